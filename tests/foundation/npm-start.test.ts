// `npm start` on the embedded defaults, as a person would run it: it starts
// the database, the BFF (compiled, build/) and the H5 app, says where to open
// it, refuses to start twice, and Ctrl-C stops everything it started.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MATTERS } from '@flexins/shared';
import type { Browser } from 'playwright-core';
import { processes, withDescendants, type ProcessCpu } from '../../scripts/lib/proc';
import { launchBrowser, phoneContext, screenshot } from '../support/browser';
import { cleanEnv, freePort, portsFree, ROOT, run, type Running } from '../support/process';

const BOOTSTRAP = path.join(ROOT, 'scripts/bootstrap.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexins-start-'));
let port: number;
let first: Running;
let url: string;
let browser: Browser | undefined;

beforeAll(async () => {
  port = await freePort();
  // The simulators take PORT+100 … PORT+105, the metrics PORT+90; keep clear of ports in use.
  while (!(await portsFree([port + 90, port + 100, port + 101, port + 102, port + 103, port + 104, port + 105])))
    port = await freePort();
  first = run([BOOTSTRAP, 'start'], cleanEnv({ PORT: String(port), FLEXINS_DATA_DIR: dataDir }));
  const line = await first.waitForLine(/打开 Open:\s+(\S+)/);
  url = /打开 Open:\s+(\S+)/.exec(line)![1]!;
});

/** Every process started below `pid`, to any depth, with its command line (Linux /proc). */
function descendants(pid: number): ProcessCpu[] {
  const all = processes();
  const family = withDescendants(pid, all);
  return all.filter((p) => p.pid !== pid && family.has(p.pid));
}

afterAll(async () => {
  await browser?.close();
  if (first.child.exitCode === null) {
    first.child.kill('SIGKILL');
    await first.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('prints the address, and the BFF there is ready with its database', async () => {
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    const ready = await fetch(`${url}readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  it('runs the BFF and the simulators compiled, with plain node (no tsx)', () => {
    const node = descendants(first.child.pid!).filter((p) => p.argv[0] === process.execPath);
    const bff = node.filter((p) => p.argv.some((arg) => arg.includes('bff/src/server')));
    expect(bff.map((p) => p.argv)).toEqual([[process.execPath, path.join(ROOT, 'build/bff/src/server.js')]]);
    const simulators = node.filter((p) => p.argv.some((arg) => arg.includes('bff/simulators/')));
    expect(simulators.map((p) => p.argv).sort()).toEqual(
      ['hrss', 'identity', 'market', 'medical', 'payment', 'sms', 'tax'].map((d) => [
        process.execPath,
        path.join(ROOT, `build/bff/simulators/${d}/server.js`),
      ]),
    );
  });

  it('starts the six department simulators and the SMS gateway and says where they are', async () => {
    const listed = first.output
      .filter((line) => /\/openapi\.json$/.test(line))
      .map((line) => line.trim().split(/\s+/).pop()!);
    expect(listed).toHaveLength(7);
    const titles = await Promise.all(
      listed.map(async (u) => ((await (await fetch(u)).json()) as { info: { title: string } }).info.title),
    );
    expect(titles.join('|')).toMatch(/统一身份认证.*\|.*人社.*\|.*医疗保障.*\|.*税务.*\|.*市场监管.*\|.*短信/);
  });

  it('serves the metrics on a port of their own, said where, to a scraper with the token only', async () => {
    const line = first.output.find((l) => l.includes('监控指标 Metrics:'));
    const metricsUrl = /(http:\/\/\S+\/metrics)/.exec(line ?? '')?.[1];
    expect(metricsUrl).toBe(`http://127.0.0.1:${port + 90}/metrics`);
    expect((await fetch(metricsUrl!)).status).toBe(401);
    // the public port has none: at most the H5 app's page
    expect(await (await fetch(`${url}metrics`)).text()).not.toContain('flexins_http');
    const { token } = JSON.parse(fs.readFileSync(path.join(dataDir, 'metrics.json'), 'utf8')) as { token: string };
    const scraped = await fetch(metricsUrl!, { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('# TYPE flexins_http_request_duration_seconds histogram');
  });

  it('keeps the embedded database in the data folder', () => {
    expect(fs.statSync(path.join(dataDir, 'ferretdb')).isDirectory()).toBe(true);
  });

  it('serves the H5 app, which shows the six matters in a real browser', async () => {
    browser = await launchBrowser();
    const page = await (await phoneContext(browser)).newPage();
    await page.goto(url);
    for (const matter of MATTERS) await expect(page.getByText(matter.name).first().isVisible()).resolves.toBe(true);
    await screenshot(page, 'foundation', 'home');
  });

  it('says so clearly when it is already running, instead of failing on a busy port', async () => {
    const second = run([BOOTSTRAP, 'start'], cleanEnv({ PORT: String(port), FLEXINS_DATA_DIR: dataDir }));
    expect(await second.exited).toBe(1);
    expect(second.output).toEqual([expect.stringMatching(/^已经在运行了（进程 \d+）：请打开 /)]);
    expect(second.output[0]).toContain(url);
  });

  it('stops everything it started on Ctrl-C', async () => {
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    await expect(fetch(`${url}healthz`)).rejects.toThrow();
    expect(fs.existsSync(path.join(dataDir, 'npm-start.json'))).toBe(false);
  });
});

describe('npm start without Go and without MONGODB_URI', () => {
  it('fails fast with one line that says what to install or set', async () => {
    const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), 'flexins-nocache-'));
    const attempt = run([BOOTSTRAP, 'start'], {
      PATH: '/usr/bin:/bin',
      FLEXINS_CACHE_DIR: emptyCache,
      HOME: os.tmpdir(),
    });
    expect(await attempt.exited).toBe(1);
    expect(attempt.output).toHaveLength(1);
    expect(attempt.output[0]).toContain('缺少 Go');
    expect(attempt.output[0]).toContain('MONGODB_URI');
    expect(fs.readdirSync(emptyCache)).toEqual([]); // nothing was built first
    fs.rmSync(emptyCache, { recursive: true, force: true });
  });
});
