// `npm run lighthouse`: Lighthouse's mobile profile (a mid-range phone: 4× slower
// CPU, simulated slow 4G) on the H5 pages, in Debian's Chromium, against a stack
// this script starts itself: FerretDB (unless MONGODB_URI is set), the simulators
// and the BFF serving the H5 build. A citizen signs in through the identity
// platform's page in the same browser, so the signed-in pages are scored as they
// are seen, and walks on to the form; a case is submitted for the progress page;
// a clerk signs in for the look-up page.
// Prints a table and writes it, with each page's full report, to artifacts/lighthouse/.
// Before each page the browser's cache is emptied (the sign-in stays): every
// figure is a first visit. Each page is scored LIGHTHOUSE_RUNS times (3 unless
// set) and the run with the median performance score is reported, with the
// lowest and highest beside it: one run moves by several points on this machine.
// LIGHTHOUSE_PAGES=form,review (keys: home, notice, form, review, progress, staff)
// scores only those pages (the walk to them still runs); LIGHTHOUSE_TRACE=1 also
// writes each scored page's trace, with V8's CPU samples, beside its report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NOTICE } from '@flexins/shared';
import { chromium, type Page } from 'playwright-core';
import { findPerson } from '../../bff/simulators/roster';
import { findStaffSeed } from '../../bff/simulators/identity/staff';
import { CHROMIUM_ARGS } from '../../tests/support/browser';
import { atRest, Citizen } from '../../tests/support/citizen';
import { startBffProcess, startStack } from '../../tests/support/stack';
import { ensureFerretDbBuilt, startFerretDb, type RunningDatabase } from '../lib/ferretdb';
import { ensureH5Built } from '../lib/h5';
import { ARTIFACTS_DIR, CHROMIUM_BIN, H5_DIST_DIR } from '../paths';
import { kb } from './first-screen';

interface Row {
  page: string;
  path: string;
  performance?: number;
  /** The lowest and highest performance score of the runs. */
  range?: [number, number];
  accessibility?: number;
  bestPractices?: number;
  lcpMs?: number;
  tbtMs?: number;
  cls?: number;
  bytes?: number;
  note?: string;
}

const OUT_DIR = path.join(ARTIFACTS_DIR, 'lighthouse');
const RUNS = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 3));
const PAGE_KEYS = ['home', 'notice', 'form', 'review', 'progress', 'staff'] as const;
type PageKey = (typeof PAGE_KEYS)[number];
const ONLY = process.env.LIGHTHOUSE_PAGES?.split(',')
  .map((k) => k.trim())
  .filter(Boolean);
const unknownKeys = ONLY?.filter((k) => !(PAGE_KEYS as readonly string[]).includes(k)) ?? [];
if (unknownKeys.length)
  throw new Error(`LIGHTHOUSE_PAGES: unknown page ${unknownKeys.join(', ')} (${PAGE_KEYS.join(', ')})`);
const TRACE = process.env.LIGHTHOUSE_TRACE === '1';
const log = (line: string) => console.log(line);

async function main(): Promise<void> {
  ensureH5Built(log);
  let database: RunningDatabase | undefined;
  if (!process.env.MONGODB_URI) {
    ensureFerretDbBuilt(log);
    database = await startFerretDb({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'flexins-lighthouse-db-')) });
    process.env.MONGODB_URI = database.uri;
  }
  // Lighthouse and chrome-launcher are ES modules only.
  const { default: lighthouse } = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');

  const stack = await startStack({ label: 'lighthouse' });
  const bff = await startBffProcess(stack, { H5_DIR: H5_DIST_DIR, LOG_LEVEL: 'error' });
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_BIN,
    chromeFlags: CHROMIUM_ARGS,
    userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'flexins-lighthouse-chrome-')),
  });
  // The same browser for Lighthouse and for signing in: its tabs share the sign-in.
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
  const context = browser.contexts()[0]!;
  const rows: Row[] = [];
  fs.mkdirSync(OUT_DIR, { recursive: true });

  const once = async (urlPath: string) => {
    const cdp = await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    const result = await lighthouse(`${bff.url}${urlPath}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
      // Keep the sign-in in localStorage; the cache was emptied above.
      disableStorageReset: true,
      ...(TRACE ? { additionalTraceCategories: 'disabled-by-default-v8.cpu_profiler' } : {}),
    });
    if (!result) throw new Error(`Lighthouse gave no result for ${urlPath}`);
    return { lhr: result.lhr, trace: TRACE ? (result.artifacts as { Trace?: unknown }).Trace : undefined };
  };
  const score = async (key: PageKey, name: string, urlPath: string) => {
    if (ONLY && !ONLY.includes(key)) return;
    const runs: Awaited<ReturnType<typeof once>>[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(urlPath));
    const performanceOf = (r: (typeof runs)[number]) => r.lhr.categories.performance?.score ?? 0;
    runs.sort((a, b) => performanceOf(a) - performanceOf(b));
    const { lhr, trace } = runs[Math.floor((runs.length - 1) / 2)]!;
    const slug =
      urlPath
        .replace(/\?.*$/, '')
        .replace(/[^a-z0-9]+/gi, '-')
        .replace(/^-|-$/g, '') || 'home';
    fs.writeFileSync(path.join(OUT_DIR, `${slug}.json`), JSON.stringify(lhr));
    if (trace) fs.writeFileSync(path.join(OUT_DIR, `${slug}.trace.json`), JSON.stringify(trace));
    const pct = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
    // The pass-or-fail checks that did not pass (the metrics are in the table).
    const failed = Object.values(lhr.audits)
      .filter((a) => a.scoreDisplayMode === 'binary' && a.score !== null && a.score < 1)
      .map((a) => a.id);
    const row: Row = {
      page: name,
      path: urlPath.replace(/caseNo=[^&]+/, 'caseNo=…'),
      performance: pct('performance'),
      range: [Math.round(performanceOf(runs[0]!) * 100), Math.round(performanceOf(runs[runs.length - 1]!) * 100)],
      accessibility: pct('accessibility'),
      bestPractices: pct('best-practices'),
      lcpMs: lhr.audits['largest-contentful-paint']?.numericValue,
      tbtMs: lhr.audits['total-blocking-time']?.numericValue,
      cls: lhr.audits['cumulative-layout-shift']?.numericValue,
      bytes: lhr.audits['total-byte-weight']?.numericValue,
      note: lhr.runtimeError?.message ?? (failed.length ? `not passed: ${failed.join(', ')}` : undefined),
    };
    rows.push(row);
    log(
      `  ${name}: ${row.performance} (${row.range!.join('–')}) / ${row.accessibility} / ${row.bestPractices}` +
        (row.note ? ` (${row.note})` : ''),
    );
  };
  /** A step of the walk that may fail (the pages change under other hands): the rest is still scored. */
  const attempt = async (key: PageKey, name: string, urlPath: string | (() => string), walk: () => Promise<void>) => {
    try {
      await walk();
      await score(key, name, typeof urlPath === 'string' ? urlPath : urlPath());
    } catch (err) {
      const shown = typeof urlPath === 'string' ? urlPath : '—';
      rows.push({ page: name, path: shown, note: `not scored: ${(err as Error).message.split('\n')[0]}` });
      log(`  ${name}: not scored (${(err as Error).message.split('\n')[0]})`);
    }
  };

  const page: Page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();
  const radio = (group: string | RegExp, name: string | RegExp) =>
    page.getByRole('radiogroup', { name: group }).getByRole('radio', { name }).click();
  const vendor = findPerson('eligible-vendor')!;

  try {
    log(`Lighthouse（移动端）对 ${bff.url} 的页面打分…`);
    await score('home', '首页 home', '/');
    await attempt('notice', '一次告知 notice', '/journey/notice/index', async () => {
      await page.goto(`${bff.url}/`);
      await page.getByTestId('start').click();
      await page.getByRole('link', { name: new RegExp(vendor.label.replace(/[()（）]/g, '.')) }).click();
      await heading('办理前请先阅读：一次告知');
    });
    await attempt('form', '申请表 form', '/journey/form/index', async () => {
      await page.goto(`${bff.url}/journey/notice/index`);
      await page.getByRole('checkbox', { name: /我已阅读并同意/ }).click();
      await page.getByTestId('agree').click();
      await heading('看看您能不能办');
      await radio('您现在是怎么工作的', /^灵活就业人员/);
      await radio(/是否要补缴/, '不需要');
      await radio(/是否要办理特殊缴费/, '不需要');
      await page.getByTestId('check').click();
      await page.getByText('✓ 您可以通过本服务办理').waitFor();
      await page.getByTestId('next').click();
      await heading('核对身份');
      await page.getByTestId('face-check').click();
      await page.getByText('✓ 人脸核验已通过').waitFor();
      await page.getByTestId('next').click();
      await heading('填写申请表');
    });
    await attempt('review', '核对并提交 review', '/journey/review/index', async () => {
      await page.goto(`${bff.url}/journey/form/index`);
      const next = () => page.getByTestId('next').click();
      await heading('填写申请表');
      await next();
      await radio('人事档案现在在哪里', /^原工作单位/);
      await page.getByLabel('档案保管单位').fill('银川市某商贸有限公司');
      await next();
      await radio('养老保险缴费档次', /^全区平均工资的100%/);
      await next();
      await radio('社保卡开户银行', /^中国工商银行/);
      await page.getByLabel('收件人手机号码').fill(vendor.phone);
      await next();
      await page.getByText(/第 \d 步/).waitFor();
      await next();
      await heading('核对并提交');
    });
    let caseNo = '';
    await attempt(
      'progress',
      '办理进度 progress',
      () => `/case/progress/index?caseNo=${caseNo}`,
      async () => {
        // Another person's case, submitted through the API as the app would; the browser takes that sign-in.
        const citizen = new Citizen(bff.url, stack.simulators.urls.identity, findPerson('holds-ningxia-card')!);
        const submitted = await citizen.apply(NOTICE.version);
        if (submitted.status !== 201) throw new Error(`submission answered ${submitted.status}`);
        caseNo = submitted.body.caseNo;
        await citizen.waitForCase(caseNo, atRest);
        await page.goto(`${bff.url}/`);
        await page.evaluate(
          ({ token, expiresAt }) =>
            localStorage.setItem('flexins.token', JSON.stringify({ data: JSON.stringify({ token, expiresAt }) })),
          { token: citizen.token, expiresAt: new Date(Date.now() + 20 * 60_000).toISOString() },
        );
        await page.goto(`${bff.url}/case/progress/index?caseNo=${caseNo}`);
        await page.getByText(caseNo).first().waitFor();
      },
    );
    await attempt('staff', '工作人员查询 staff look-up', '/staff/cases/index', async () => {
      const clerk = findStaffSeed('xq.agent')!;
      await page.goto(`${bff.url}/staff/signin/index`);
      await heading('工作人员登录');
      await page.getByLabel('用户名').fill(clerk.username);
      await page.getByLabel('密码').fill(clerk.password);
      await page.getByTestId('sign-in').click();
      await heading('工作台');
    });
  } finally {
    await browser.close().catch(() => undefined);
    chrome.kill();
    await bff.stop();
    await stack.stop();
    await database?.stop();
  }

  const table = [
    `| page | path | performance (median of ${RUNS}; lowest–highest) | accessibility | best practices | LCP | TBT | CLS | bytes transferred |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) =>
      r.performance === undefined
        ? `| ${r.page} | \`${r.path}\` | ${r.note} | | | | | | |`
        : `| ${r.page} | \`${r.path}\` | ${r.performance} (${r.range!.join('–')}) | ${r.accessibility} | ${r.bestPractices} | ` +
          `${((r.lcpMs ?? 0) / 1000).toFixed(1)} s | ${Math.round(r.tbtMs ?? 0)} ms | ${(r.cls ?? 0).toFixed(2)} | ${kb(r.bytes ?? 0)} |`,
    ),
  ].join('\n');
  const notes = rows.filter((r) => r.note && r.performance !== undefined).map((r) => `- ${r.page}: ${r.note}`);
  log(`\n${table}\n${notes.join('\n')}`);
  fs.writeFileSync(path.join(OUT_DIR, 'summary.md'), `${table}\n\n${notes.join('\n')}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
