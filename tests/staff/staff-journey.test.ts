// The staff pages in a real browser: the H5 build served by a real BFF, the
// six simulators as processes, FerretDB — on a desktop-sized screen.
// A citizen's case (made through the API) has its medical registration in
// manual handling because the medical system was down; a window clerk takes
// an application for someone present; an agent finds the citizen's case,
// sees it masked, reveals the phone with a reason and retries the failed
// matter; the supervisor sees the audit trail (and checks its chain), the
// dashboard (exporting its figures as a workbook and a table as CSV, and
// seeing the daily summaries) and the problem list; an idle session ends at
// the sign-in page.
// Screenshots go to artifacts/screenshots/staff/.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { NOTICE } from '@flexins/shared';
import type { RosterPerson } from '../../bff/simulators/roster';
import { STAFF_ACCOUNTS } from '../../bff/simulators/identity/staff';
import type { Service } from '../../scripts/lib/services';
import { ARTIFACTS_DIR, H5_DIST_DIR } from '../../scripts/paths';
import { expectAccessible } from '../support/axe';
import { launchBrowser, screenshot } from '../support/browser';
import { Citizen } from '../support/citizen';
import { enroll, makePeople } from '../support/people';
import { startBffProcess, startStack, type Stack } from '../support/stack';

let stack: Stack;
let bff: Service;
let browser: Browser;

// people[0] lives in 兴庆区 (the agent's county); people[1]'s case the supervisor settles;
// people[3] comes to the window.
const [applicant, settled, , visitor] = makePeople(4, 71) as [RosterPerson, RosterPerson, RosterPerson, RosterPerson];
let caseNo = '';
let settledCaseNo = '';

const passwordOf = (username: string) => STAFF_ACCOUNTS.find((a) => a.username === username)!.password;
const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

beforeAll(async () => {
  // This run's pictures only.
  fs.rmSync(path.join(ARTIFACTS_DIR, 'screenshots', 'staff'), { recursive: true, force: true });
  stack = await startStack({ label: 'staffui' });
  // The medical system fails twice: after two attempts the matter goes to staff.
  bff = await startBffProcess(stack, {
    H5_DIR: H5_DIST_DIR,
    MAX_ATTEMPTS: '2',
    RETRY_BASE_MS: '50',
    LOG_LEVEL: 'error',
  });
  await enroll(stack, [applicant, settled, visitor]);
  [browser, caseNo, settledCaseNo] = await Promise.all([
    launchBrowser(),
    applyWithMedicalDown(applicant),
    applyWithMedicalDown(settled),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await bff?.stop();
  await stack?.stop();
});

/** The citizen applies through the API while the medical system is down for them; returns the case number. */
async function applyWithMedicalDown(person: RosterPerson): Promise<string> {
  const citizen = new Citizen(bff.url, stack.simulators.urls.identity, person);
  await citizen.signIn();
  const face = await citizen.faceCheck();
  await citizen.eligibility();
  const postageOrderId = await citizen.payPostage();
  const script = await stack.admin('medical', 'POST', '/admin/scripts', {
    idNumber: person.idNumber,
    outcome: 'unavailable',
    times: 2,
  });
  expect(script.status).toBe(201);
  const submitted = await citizen.submit(
    citizen.form({ faceCheckId: face.body.checkId, noticeVersion: NOTICE.version, postageOrderId, withCard: true }),
  );
  expect(submitted.status).toBe(201);
  const made = submitted.body.caseNo as string;
  await citizen.waitForCase(made, (v) =>
    v.matters.some((m: any) => m.id === 'medicalRegistration' && m.state === 'manual'),
  );
  return made;
}

interface Desk {
  context: BrowserContext;
  page: Page;
  shot: (step: string) => Promise<string>;
}

/** A desktop browser of its own (a member of staff at a desk). */
async function newDesk(): Promise<Desk> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const shot = async (step: string) => {
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    // Taro's page scrolls inside its own box: make the window as tall as the page for the picture.
    const size = page.viewportSize()!;
    const height = await page.evaluate(() =>
      Math.max(
        0,
        ...Array.from(document.querySelectorAll<HTMLElement>('.staff'))
          .filter((e) => e.offsetParent)
          .map((e) => e.scrollHeight),
      ),
    );
    await page.setViewportSize({ width: size.width, height: Math.min(Math.max(size.height, height), 4000) });
    try {
      return await screenshot(page, 'staff', step);
    } finally {
      await page.setViewportSize(size);
      // every screen photographed is one a clerk meets: none may stop a screen-reader or keyboard user
      if (step !== 'failed') await expectAccessible(page, `staff ${step}`);
    }
  };
  return { context, page, shot };
}

/** Runs a journey; when a step fails, shows what the page said (its alerts and notices) beside the error. */
async function onDesk(desk: Desk, journey: (desk: Desk) => Promise<void>): Promise<void> {
  try {
    await journey(desk);
  } catch (err) {
    const said = await desk.page
      .locator('[role="alert"], [role="status"]')
      .allInnerTexts()
      .catch(() => []);
    await desk.shot('failed').catch(() => undefined);
    throw new Error(`${(err as Error).message}\npage said: ${JSON.stringify(said)}`);
  } finally {
    await desk.context.close();
  }
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

async function signIn(page: Page, username: string, password = passwordOf(username)): Promise<void> {
  await page.goto(`${bff.url}/staff/signin/index`);
  await heading(page, '工作人员登录').waitFor();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByTestId('sign-in').click();
}

describe('the staff pages', () => {
  it('a window clerk takes the one form for a citizen who is present', async () => {
    await onDesk(await newDesk(), async ({ page, shot }) => {
      await signIn(page, 'xq.clerk');
      await heading(page, '工作台').waitFor();
      await page.getByTestId('go-window').click();
      await heading(page, '窗口受理').waitFor();

      await page.getByLabel('身份证号').fill(visitor.idNumber);
      await page.getByTestId('window-read').click();
      const person = page.getByTestId('window-person');
      await person.getByText(visitor.idNumber.slice(0, 6) + '********' + visitor.idNumber.slice(-4)).waitFor();
      expect(await person.innerText()).not.toContain(visitor.idNumber);

      const group = (name: string | RegExp) => page.getByRole('radiogroup', { name });
      await group('申请人现在是怎么工作的')
        .getByRole('radio', { name: /^灵活就业人员/ })
        .click();
      await group(/是否要补缴/)
        .getByRole('radio', { name: '不需要' })
        .click();
      await group(/是否要办理特殊缴费/)
        .getByRole('radio', { name: '不需要' })
        .click();
      await page.getByTestId('window-check').click();
      await page.locator('[data-testid="window-verdict"][data-eligible="true"]').waitFor();
      await page.getByTestId('window-next').click();

      await page.getByTestId('window-face').click();
      await page.getByTestId('window-face-result').getByText('✓ 人脸核验已通过').waitFor();
      await page.getByTestId('window-next').click();

      await page.getByTestId('window-order-postage').click();
      await page.getByRole('img', { name: /邮寄费付款二维码/ }).waitFor();
      await shot('01-window-postage-qr');
      // The citizen pays on their phone.
      const cashierUrl = await page.getByTestId('window-cashier-link').getAttribute('href');
      const paid = await fetch(`${cashierUrl}/pay`, { method: 'POST', redirect: 'manual' });
      expect(paid.status).toBe(303);
      await page.locator('[data-testid="window-postage"][data-status="paid"]').waitFor();
      await page.getByTestId('window-next').click();

      // The one form: a missing answer is named beside its field.
      await page.getByTestId('window-submit').click();
      await page.getByText(/处需要修改/).waitFor();
      await group('人事档案现在在哪里')
        .getByRole('radio', { name: /^原工作单位/ })
        .click();
      await page.locator('#archive-detail').fill('银川市某商贸有限公司');
      await group('养老保险缴费档次')
        .getByRole('radio', { name: /^全区平均工资的100%/ })
        .click();
      await group('社保卡开户银行')
        .getByRole('radio', { name: /^中国工商银行/ })
        .click();
      await page.locator('#mailing-detail').fill('解放西街 100 号 2 单元 301 室');
      await page.locator('#mailing-recipient').fill(visitor.name);
      await page.locator('#mailing-phone').fill(visitor.phone);
      // The form speaks to the clerk; the notice is shown to the applicant before they consent.
      expect(await page.getByTestId('window').innerText()).not.toMatch(/您不用自己去取|邮寄给您/);
      await page.getByTestId('window-show-notice').click();
      const notice = page.getByTestId('window-notice');
      await notice.getByText('一次办好的六个事项').waitFor();
      expect(await notice.innerText()).toMatch(/各部门收到您的哪些信息[\s\S]*需要到窗口办理的情况/);
      await page.getByRole('checkbox', { name: /申请人已阅读一次告知/ }).click();
      await shot('02-window-form');
      await page.getByTestId('window-submit').click();
      const done = await page
        .getByTestId('window-done')
        .getByText(/已提交，办件编号 LJ\d{14}/)
        .innerText();
      // The acceptance slip (受理回执): to print or show, masked, with the premium still to pay in the app.
      const slip = page.getByTestId('window-slip');
      const slipText = await slip.innerText();
      expect(slipText).toContain(done.match(/LJ\d{14}/)![0]);
      expect(slipText).toContain(visitor.idNumber.slice(0, 6) + '********' + visitor.idNumber.slice(-4));
      expect(slipText).not.toContain(visitor.idNumber);
      expect(slipText).not.toContain(visitor.phone);
      expect(slipText).toMatch(/首期社会保险费还没有缴纳[\s\S]*我的宁夏/);
      expect(slipText).toMatch(/经办人/);
      await slip.getByRole('img', { name: '扫码查看办理进度' }).waitFor();
      await page.getByTestId('window-print').waitFor();
      expect(await page.getByTestId('window-done').innerText()).toMatch(/首期社会保险费要在“我的宁夏”里缴纳/);
      await shot('03-window-submitted');
    });
  });

  it('a locked account is told plainly when it may try again', async () => {
    for (let i = 0; i < 5; i++) {
      await fetch(`${bff.url}/api/staff/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'jf.agent', password: 'wrong-password' }),
      });
    }
    await onDesk(await newDesk(), async ({ page, shot }) => {
      await signIn(page, 'jf.agent');
      await page
        .getByRole('alert')
        .getByText(/账号已被锁定.*\d{4}-\d{2}-\d{2} \d{2}:\d{2} 以后再试/)
        .waitFor();
      await shot('04-sign-in-locked');
    });
  });

  it('an agent finds the case, sees it masked, reveals the phone with a reason and retries the failed matter', async () => {
    await onDesk(await newDesk(), async ({ page, shot }) => {
      // A wrong password is named plainly; the password box is cleared.
      await signIn(page, 'xq.agent', 'not-the-password');
      await page
        .getByRole('alert')
        .getByText(/用户名或密码不对/)
        .waitFor();
      await shot('05-sign-in-wrong-password');
      await page.getByLabel('密码').fill(passwordOf('xq.agent'));
      await page.getByTestId('sign-in').click();
      await heading(page, '工作台').waitFor();
      await page
        .getByTestId('signed-in-as')
        .getByText(/王晓峰（.+兴庆区）/)
        .waitFor();
      expect(await page.getByTestId('menu-audit').count()).toBe(0);
      await shot('06-agent-home');

      await page.getByTestId('menu-cases').click();
      await heading(page, '办件查询').waitFor();
      await page.getByRole('radiogroup', { name: '按什么查' }).getByRole('radio', { name: '手机号' }).click();
      await page.getByLabel('手机号').fill(applicant.phone);
      await page.getByTestId('lookup').click();
      const row = page.locator(`[data-case="${caseNo}"]`);
      await row.getByText(masked(applicant.phone)).waitFor();
      expect(await page.getByTestId('lookup-results').innerText()).not.toContain(applicant.phone);
      await shot('07-lookup');
      await page.getByTestId(`open-${caseNo}`).click();

      await heading(page, `办件详情 ${caseNo}`).waitFor();
      const medical = page.locator('[data-matter="medicalRegistration"]');
      await page.locator('[data-matter="medicalRegistration"][data-state="manual"]').waitFor();
      await page.getByTestId('last-error-medicalRegistration').waitFor();
      await page.getByTestId('person-phone').getByText(masked(applicant.phone)).waitFor();
      await page.getByTestId('timeline').getByRole('listitem').first().waitFor();
      expect(await page.locator('body').innerText()).not.toContain(applicant.phone);
      expect(await page.locator('body').innerText()).not.toContain(applicant.idNumber);
      await shot('08-case-masked');

      // Reveal: a reason is required, then the full phone shows.
      await page.getByTestId('reveal-phone').click();
      const dialog = page.getByRole('dialog', { name: '查看完整手机号' });
      await dialog.getByTestId('reveal-dialog-confirm').click();
      await dialog.getByText('请选择查看理由').waitFor();
      await dialog.getByRole('radiogroup', { name: '查看理由' }).getByRole('radio', { name: '来电核实身份' }).click();
      await dialog.getByLabel(/说明/).fill('群众来电核对手机号');
      await shot('09-reveal-dialog');
      await dialog.getByTestId('reveal-dialog-confirm').click();
      await page.getByTestId('revealed-phone').getByText(applicant.phone).waitFor();
      await shot('10-phone-revealed');
      // The same page on a phone: the table becomes labelled rows.
      await page.setViewportSize({ width: 390, height: 844 });
      await medical.getByText('基本医疗保险参保和变更登记').waitFor();
      await shot('10b-case-on-a-phone');
      await page.setViewportSize({ width: 1280, height: 800 });

      // Retry the matter in manual handling; the page follows it to its end.
      await page.getByTestId('retry-medicalRegistration').click();
      const retry = page.getByRole('dialog', { name: /重新提交/ });
      await retry.getByLabel(/理由/).fill('医保系统已恢复，重新提交');
      await retry.getByTestId('retry-dialog-confirm').click();
      await page
        .getByTestId('done-notice')
        .getByText(/已重新提交/)
        .waitFor();
      await page.locator('[data-matter="medicalRegistration"][data-state="delivered"]').waitFor({ timeout: 40_000 });
      expect(await medical.getByTestId('retry-medicalRegistration').count()).toBe(0);

      await page.getByLabel(/添加备注/).fill('已电话告知群众医疗保险已办好');
      await page.getByTestId('add-note').click();
      await page.getByTestId('notes').getByText('已电话告知群众医疗保险已办好').first().waitFor();
      await shot('11-retried-and-noted');
    });
  });

  it('the supervisor settles a matter done offline, sees the audit trail, checks its chain, and sees the dashboard and the problem list', async () => {
    await onDesk(await newDesk(), async ({ page, shot }) => {
      await signIn(page, 'nx.supervisor');
      await heading(page, '工作台').waitFor();

      // A matter in manual handling, done offline: the supervisor records it with the department's number.
      await page.goto(`${bff.url}/staff/case/index?caseNo=${settledCaseNo}`);
      await page.locator('[data-matter="medicalRegistration"][data-state="manual"]').waitFor();
      await page.getByTestId('settle-medicalRegistration').click();
      const settle = page.getByRole('dialog', { name: /登记.*处理结果/ });
      await settle.getByRole('radio', { name: /已线下办结/ }).waitFor();
      await settle.getByLabel('部门业务编号').fill('YB-OFFLINE-0001');
      await settle.getByLabel(/理由/).fill('群众到医保窗口线下办理完毕');
      await shot('12-settle-dialog');
      await settle.getByTestId('settle-dialog-confirm').click();
      await page
        .getByTestId('done-notice')
        .getByText(/已登记为线下办结/)
        .waitFor();
      await page.locator('[data-matter="medicalRegistration"][data-state="delivered"]').waitFor();

      await page.getByTestId('menu-cases').click();
      await heading(page, '办件查询').waitFor();
      await page.getByTestId('menu-audit').click();
      await heading(page, '审计日志').waitFor();
      await page.getByLabel('办件编号').fill(caseNo);
      await page.getByTestId('audit-search').click();
      const reveal = page.locator('[data-testid="audit-entries"] [data-action="reveal"]');
      await reveal.getByText('理由：来电核实身份：群众来电核对手机号').waitFor();
      expect(await reveal.innerText()).toContain('S0002');
      await page
        .locator('[data-testid="audit-entries"] [data-action="retry"]')
        .getByText(/医保系统已恢复/)
        .waitFor();
      await page.getByTestId('audit-verify').click();
      await page
        .locator('[data-testid="chain-result"][data-intact="true"]')
        .getByText(/日志完好/)
        .waitFor();
      const download = page.waitForEvent('download');
      await page.getByTestId('audit-export-csv').click();
      expect((await download).suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
      // With the byte-order mark the reply had (reading it as text drops it; saveFile puts it back).
      expect(fs.readFileSync(await (await download).path(), 'utf8').startsWith('\uFEFF序号,')).toBe(true);
      await shot('13-audit');

      await page.getByTestId('menu-dashboard').click();
      await heading(page, '监督看板').waitFor();
      await page.getByTestId('total-applications').getByText('3', { exact: true }).waitFor();
      await page
        .getByTestId('chart-channel')
        .getByRole('listitem', { name: /窗口.*：1 件/ })
        .waitFor();
      await page.getByTestId('chart-failures').getByRole('listitem').first().waitFor();
      await shot('14-dashboard');

      // The figures as a workbook: its 说明 sheet names the region and who exported it.
      const workbook = page.waitForEvent('download');
      await page.getByTestId('export-stats-xlsx').click();
      const saved = await workbook;
      expect(saved.suggestedFilename()).toMatch(/^监督统计-64-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(await saved.path());
      expect(book.worksheets.map((w) => w.name)).toEqual([
        '各地',
        '各事项',
        '办理渠道',
        '各月',
        '常见失败原因',
        '好差评',
        '说明',
      ]);
      const about = book.getWorksheet('说明')!;
      expect(about.getCell('B2').value).toBe('宁夏回族自治区（64）');
      expect(String(about.getCell('B4').value)).toContain('S0005');
      const totals = book.getWorksheet('各地')!.lastRow!;
      expect(totals.getCell(3).value).toBe(3);
      await page
        .getByTestId('export-done')
        .getByText(/已导出 监督统计-64-.*\.xlsx/)
        .waitFor();

      // One table as CSV, with its byte-order mark.
      await page.getByRole('radio', { name: '办理渠道' }).click();
      const csv = page.waitForEvent('download');
      await page.getByTestId('export-stats-csv').click();
      const savedCsv = await csv;
      expect(savedCsv.suggestedFilename()).toMatch(/^监督统计-办理渠道-64-[\d-]+\.csv$/);
      const text = fs.readFileSync(await savedCsv.path(), 'utf8');
      expect(text.startsWith('\uFEFF渠道,申请（件）')).toBe(true);
      await page
        .getByTestId('daily-summaries')
        .getByText(/后台自动生成前一天的汇总/)
        .waitFor();
      await shot('14b-dashboard-exports');

      await page.getByTestId('menu-problems').click();
      await heading(page, '问题清单').waitFor();
      await page.getByTestId('problem-count').waitFor();
      await shot('15-problems');

      // Idle past the limit: the next check sends the supervisor back to sign in, with the reason.
      await page.evaluate(() => {
        const key = 'flexins.staff.session';
        const stored = JSON.parse(localStorage.getItem(key)!);
        const session = JSON.parse(stored.data);
        session.expiresAt = new Date(Date.now() - 1000).toISOString();
        localStorage.setItem(key, JSON.stringify({ ...stored, data: JSON.stringify(session) }));
      });
      await page
        .getByTestId('signed-out-notice')
        .getByText(/登录已超时/)
        .waitFor();
      await heading(page, '工作人员登录').waitFor();
      await shot('16-idle-signed-out');
    });
  });
});
