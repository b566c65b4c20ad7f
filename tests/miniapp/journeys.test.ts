/// <reference lib="dom" />
// The citizen mini-app in a real browser: the H5 build served by a real BFF,
// the six simulators as processes, FerretDB — on a phone-sized screen.
// One stack and one browser for the whole file; each journey gets a fresh
// browser context (a new phone) and a person from the roster.
// Screenshots of the key screens go to artifacts/screenshots/miniapp-*/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findPerson, type RosterPerson } from '../../bff/simulators/roster';
import type { Service } from '../../scripts/lib/services';
import { H5_DIST_DIR } from '../../scripts/paths';
import { expectAccessible } from '../support/axe';
import { launchBrowser, phoneContext, screenshot } from '../support/browser';
import { startBffProcess, startStack, type Stack } from '../support/stack';

let stack: Stack;
let bff: Service;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ label: 'miniapp', simulatorEnv: { SIM_HANG_MS: '4000' } });
  // A failing department is tried three times, each attempt held to 1.5 s, with retries
  // a second or more apart (long enough for the progress page to show them), then handed to staff.
  bff = await startBffProcess(stack, {
    H5_DIR: H5_DIST_DIR,
    DEPARTMENT_TIMEOUT_MS: '1500',
    MAX_ATTEMPTS: '3',
    RETRY_BASE_MS: '2500',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await bff?.stop();
  await stack?.stop();
});

const person = (key: string): RosterPerson => {
  const found = findPerson(key);
  if (!found) throw new Error(`no roster person ${key}`);
  return found;
};

interface Phone {
  context: BrowserContext;
  page: Page;
  shot: (step: string) => Promise<string>;
}

async function newPhone(journey: string): Promise<Phone> {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const shot = async (step: string) => {
    // Taro slides pages in: let the animation finish so the picture shows the page.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    const file = await screenshot(page, `miniapp-${journey}`, step);
    // every screen photographed is one a citizen meets: none may stop a screen-reader or keyboard user
    await expectAccessible(page, `${journey} ${step}`);
    return file;
  };
  return { context, page, shot };
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const radio = (page: Page, group: string | RegExp, name: string | RegExp) =>
  page.getByRole('radiogroup', { name: group }).getByRole('radio', { name });

/** From the home page through the host's sign-in to wherever the app sends this person. */
async function signIn({ page }: Phone, who: RosterPerson, query = ''): Promise<void> {
  await page.goto(`${bff.url}/${query}`);
  await page.getByTestId('start').click();
  await page.getByRole('link', { name: new RegExp(who.label.replace(/[()（）]/g, '.')) }).click();
}

const EMPLOYMENT_TYPES: Record<string, RegExp> = {
  flexible: /^灵活就业人员/,
  partTime: /^非全日制/,
  selfEmployedNoEmployees: /^无雇工的个体工商户/,
};

/** Notice read and agreed, the three questions answered and checked. */
async function agreeAndCheck(phone: Phone, who: RosterPerson): Promise<void> {
  const { page } = phone;
  await heading(page, '办理前请先阅读：一次告知').waitFor();
  await page.getByText('邮寄费 5.80 元').first().waitFor();
  await phone.shot('01-notice');
  await page.getByRole('checkbox', { name: /我已阅读并同意/ }).click();
  await page.getByTestId('agree').click();
  await heading(page, '看看您能不能办').waitFor();
  await radio(page, '您现在是怎么工作的', EMPLOYMENT_TYPES[who.employmentType]!).click();
  await radio(page, /是否要补缴/, '不需要').click();
  await radio(page, /是否要办理特殊缴费/, '不需要').click();
  await page.getByTestId('check').click();
}

async function passIdentity(phone: Phone): Promise<void> {
  const { page } = phone;
  await heading(page, '核对身份')
    .waitFor()
    .catch(async (err) => {
      // Seen once: say where the phone was instead.
      await phone.shot('failed-before-identity');
      throw new Error(`${(err as Error).message}\n页面内容：${await page.locator('body').innerText()}`);
    });
  await page.getByTestId('face-check').click();
  await page.getByText('✓ 人脸核验已通过').waitFor();
  await phone.shot('03-identity');
  await page.getByTestId('next').click();
  await heading(page, '填写申请表').waitFor();
}

/**
 * Types into a field once and waits until the app has it (the draft kept on the phone holds it).
 * Typing is never repeated: a field that has just appeared (the holding unit, after its choice)
 * lost its first typing under load, most likely because Taro's H5 View was then a Stencil custom
 * element that moved the input into its slot after React had mounted it (now a plain div);
 * tests/miniapp/typing-at-once.test.ts types at once on a slowed CPU.
 */
async function typed(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label).fill(value);
  await page
    .waitForFunction((v) => (localStorage.getItem('flexins.draft') ?? '').includes(v), value, { timeout: 5_000 })
    .catch(() => {
      throw new Error(`${label}：输入后 5 秒，草稿里仍没有“${value}”`);
    });
}

/** The form's sections with the answers a flexible worker gives; the card section when there is one. */
async function fillForm(phone: Phone, who: RosterPerson, withCard: boolean): Promise<void> {
  const { page } = phone;
  const next = () => page.getByTestId('next').click();
  // 1. prefilled from the platform: check and go on
  await expect(await radio(page, '就业形式', EMPLOYMENT_TYPES[who.employmentType]!).getAttribute('aria-checked')).toBe(
    'true',
  );
  await next();
  await radio(page, '人事档案现在在哪里', /^原工作单位/).click();
  await typed(page, '档案保管单位', '银川市某商贸有限公司');
  await next();
  await radio(page, '养老保险缴费档次', /^全区平均工资的100%/).click();
  await page.getByTestId('premium-calculator').getByText('1736.00 元').first().waitFor();
  await phone.shot('04-form-pension');
  await next();
  if (withCard) {
    await radio(page, '社保卡开户银行', /^中国工商银行/).click();
    await typed(page, '收件人手机号码', who.phone);
    await phone.shot('05-form-card');
    await next();
  }
  await page.getByText(/第 \d 步/).waitFor();
  await next();
  await heading(page, '核对并提交').waitFor();
}

describe('the eligible street vendor, on the phone', () => {
  it('signs in, reads the notice, passes every check, fills the form, pays the postage and submits once; then pays the premium, gets the certificate and rates', async () => {
    const vendor = person('eligible-vendor');
    const phone = await newPhone('eligible-vendor');
    const { page } = phone;

    await signIn(phone, vendor);
    await agreeAndCheck(phone, vendor);
    await page.getByText('✓ 您可以通过本服务办理').waitFor();
    const failed = await page.locator('[data-status="failed"]').count();
    expect(failed).toBe(0);
    await phone.shot('02-eligible');
    await page.getByTestId('next').click();
    await passIdentity(phone);
    await fillForm(phone, vendor, true);

    // check your answers: every section with a change link
    for (const section of ['就业情况和居住地', '人事档案', '养老保险缴费档次', '社保卡和邮寄地址', '缴费月份']) {
      await page.getByRole('button', { name: `修改${section}` }).waitFor();
    }
    await expect(await page.getByTestId('submit').isDisabled()).toBe(true);
    // both checks stand, and what is due after submitting is said before anything is paid
    await page.locator('[data-testid="submission-checks"][data-ready="yes"]').waitFor();
    expect(await page.getByTestId('premium-due').innerText()).toMatch(/约 1736\.00 元[\s\S]*现在不扣款/);
    await phone.shot('06-review');

    // the postage at the host's cashier, then back
    await page.getByTestId('pay-postage').click();
    await page.getByRole('button', { name: '确认支付' }).click();
    await page.getByTestId('postage').getByText('✓ 已支付').waitFor();
    await phone.shot('07-postage-paid');

    // a double tap submits once
    await page.getByTestId('submit').dblclick();
    await heading(page, '办理进度和结果').waitFor();
    const caseNo = (await page.getByTestId('case-status').innerText()).match(/LJ\d{14}/)?.[0];
    expect(caseNo).toBeDefined();
    await phone.shot('08-progress');

    // the first premium, assessed by the tax system: the months and the amount first, then the same cashier
    const premium = page.getByTestId('premium');
    await premium.getByText(/共 1 个月/).waitFor();
    expect(await premium.innerText()).toMatch(/合计\s*1736\.00 元/);
    await phone.shot('08-premium-confirm');
    await page.getByTestId('pay-premium').click();
    await page.getByText('¥1736.00').waitFor();
    await page.getByRole('button', { name: '确认支付' }).click();
    await page.getByTestId('payment-return').getByText('✓ 支付成功').waitFor();
    await page
      .getByTestId('receipt')
      .getByText(/^PJ\d+$/)
      .waitFor();
    // The progress page polls with back-off (up to 8 s between looks): give it a few looks.
    await page.locator('[data-testid="case-status"][data-status="completed"]').waitFor({ timeout: 40_000 });
    for (const id of [
      'employmentRegistration',
      'archiveTransfer',
      'pensionRegistration',
      'socialSecurityCard',
      'medicalRegistration',
      'premiumDeclaration',
    ]) {
      await expect(await page.locator(`[data-matter="${id}"]`).getAttribute('data-state')).toBe('delivered');
    }
    await expect(await page.locator('[data-matter="socialSecurityCard"]').innerText()).toMatch(/电子社保卡号\s*DZ/);
    // what HRSS says happened since: asked live once the matters were done (the card is posted 60 s after acceptance)
    const cardTracking = page.locator('[data-matter="socialSecurityCard"] [data-testid="tracking-card"]');
    await cardTracking.getByText('当前状态').waitFor();
    expect(await cardTracking.innerText()).toMatch(/邮件号\s*(寄出后显示|EMS\d{10})/);
    expect(
      await cardTracking.getByRole('listitem', { name: /^已受理，已完成，\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/ }).count(),
    ).toBe(1);
    const archiveTracking = page.locator('[data-matter="archiveTransfer"] [data-testid="tracking-archive"]');
    await archiveTracking.getByText('当前状态').waitFor();
    await phone.shot('09-completed');
    await cardTracking.scrollIntoViewIfNeeded();
    await phone.shot('09-card-tracking');

    // the certificate with its QR code
    await page.getByTestId('certificate').click();
    await heading(page, '办结凭证').waitFor();
    const qr = page.getByRole('img', { name: /办结凭证核验二维码/ });
    await qr.waitFor();
    await expect(await qr.getAttribute('src')).toMatch(/^data:image\/gif;base64,/);
    await phone.shot('10-certificate');
    await page.goBack();

    // 好差评
    await page.getByTestId('rate').click();
    await radio(page, '请选择满意程度', /非常满意/).click();
    await page.getByLabel('意见建议（可以不填）').fill('很方便，不用跑腿');
    await page.getByTestId('send-rating').click();
    await page.getByText('✓ 感谢您的评价').waitFor();
    await phone.shot('11-rated');

    // messages about every step
    await page.goto(`${bff.url}/case/messages/index`);
    await page
      .getByText(/已全部办结/)
      .first()
      .waitFor();
    await phone.shot('12-messages');
    await page.goto(`${bff.url}/case/progress/index?caseNo=${caseNo}`);
    await page.getByTestId('receipt').getByText('1736.00 元').first().waitFor();

    // coming back later from the host app lands on the case, not on a new application
    await page.goto(`${bff.url}/`);
    await page.getByTestId('start').click();
    await heading(page, '办理进度和结果').waitFor();
    expect(await page.getByTestId('case-status').innerText()).toContain(caseNo!);

    const applications = await stack.records('hrss', 'employment_registrations', vendor.idNumber);
    expect(applications).toHaveLength(1);
    await phone.context.close();
  });
});

describe('someone already insured as an employee in another province', () => {
  it('sees which rule fails, why, and what to do instead, and cannot go on', async () => {
    const insured = person('employee-pension-other-province');
    const phone = await newPhone('insured-elsewhere');
    const { page } = phone;

    await signIn(phone, insured);
    await agreeAndCheck(phone, insured);
    await page.getByText('✗ 暂时不能通过本服务办理').waitFor();
    const rule = page.locator('[data-rule="noEmployeeInsurance"]');
    await expect(await rule.getAttribute('data-status')).toBe('failed');
    const text = await rule.innerText();
    expect(text).toContain('✗ 不符合');
    expect(text).toMatch(/广东/);
    expect(text).toMatch(/怎么办：.*(12333|窗口)/s);
    expect(await page.getByTestId('next').count()).toBe(0);
    // the failing rule leads the list, and no next step is promised
    const statuses = await page
      .locator('[data-rule]')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-status')));
    const failing = statuses.filter((st) => st === 'failed').length;
    expect(failing).toBeGreaterThan(0);
    expect(statuses.slice(0, failing)).toEqual(Array(failing).fill('failed'));
    expect(await page.locator('body').innerText()).not.toContain('下一步进行人脸核验');
    await page.getByRole('link', { name: '拨打 12333（人社服务热线）' }).waitFor();
    await rule.scrollIntoViewIfNeeded();
    await phone.shot('01-failing-rule');
    await phone.context.close();
  });
});

describe('a Ningxia card holder', () => {
  it('goes through without the card section or the postage, and the card matter is not needed', async () => {
    const holder = person('holds-ningxia-card');
    const phone = await newPhone('card-holder');
    const { page } = phone;

    // the host app opens the service in 长辈版 for this citizen
    await signIn(phone, holder, '?elderly=1');
    await agreeAndCheck(phone, holder);
    await page.getByText('✓ 您可以通过本服务办理').waitFor();
    await page.getByText('社会保障卡（含电子社保卡）申领：不需要办理').waitFor();
    await phone.shot('01-eligible-without-card');
    await page.getByTestId('next').click();
    await passIdentity(phone);
    await page.getByText('第 1 步，共 4 步').waitFor();
    // the form's choices, date box and buttons in 长辈版
    await page.locator('[data-elderly="on"]:visible').waitFor();
    const form = await sizes(page);
    expect(form.smallestText).toBeGreaterThanOrEqual(18);
    expect(form.smallestControl).toBeGreaterThanOrEqual(60);
    expect(await lowContrastTexts(page)).toEqual([]);
    await phone.shot('02-form-elderly');
    await fillForm(phone, holder, false);

    expect(await page.getByTestId('postage').count()).toBe(0);
    expect(await page.getByRole('button', { name: '修改社保卡和邮寄地址' }).count()).toBe(0);
    await phone.shot('03-review-without-postage');
    await page.getByTestId('submit').click();
    await heading(page, '办理进度和结果').waitFor();
    await page.locator('[data-matter="socialSecurityCard"][data-state="notNeeded"]').waitFor();
    await page.getByTestId('pay-premium').waitFor();
    expect(await page.getByTestId('case-status').innerText()).not.toContain('邮寄费');
    // the archive's transfer as HRSS tells it, in 长辈版 sizes too; no card item without a card
    await page.locator('[data-testid="tracking-archive"]').getByText('当前状态').waitFor();
    expect(await page.locator('[data-testid="tracking-card"]').count()).toBe(0);
    const progress = await sizes(page);
    expect(progress.smallestText).toBeGreaterThanOrEqual(18);
    expect(progress.smallestControl).toBeGreaterThanOrEqual(60);
    expect(await lowContrastTexts(page)).toEqual([]);
    await phone.shot('04-progress-card-not-needed');
    await page.locator('[data-testid="tracking-archive"]').scrollIntoViewIfNeeded();
    await phone.shot('05-archive-tracking-elderly');
    expect(await stack.records('hrss', 'card_applications', holder.idNumber)).toHaveLength(0);
    await phone.context.close();
  });
});

describe('mistakes and a dropped network', () => {
  it('puts the message beside the wrong phone number and the too-short address, keeps what was typed, and retries a failed call', async () => {
    const worker = person('self-employed-no-employees');
    const phone = await newPhone('invalid-input');
    const { page } = phone;

    await signIn(phone, worker);
    // the first eligibility checks are lost on the way: a plain message and a 重试 button
    let dropped = 0;
    await page.route('**/api/eligibility', (route) =>
      route.request().method() === 'POST' && dropped++ < 2 ? route.abort('internetdisconnected') : route.continue(),
    );
    await agreeAndCheck(phone, worker);
    await page.getByText(/网络好像断了/).waitFor();
    await phone.shot('01-network-error');
    await page.getByTestId('retry').click();
    await page.getByText('✓ 您可以通过本服务办理').waitFor();
    await page.getByTestId('next').click();
    await passIdentity(phone);

    const next = () => page.getByTestId('next').click();
    await next();
    await radio(page, '人事档案现在在哪里', /^没有档案/).click();
    await next();
    await radio(page, '养老保险缴费档次', /^全区平均工资的60%/).click();
    await next();
    await radio(page, '社保卡开户银行', /^宁夏银行/).click();
    await page.getByLabel('详细地址').fill('12号');
    await page.getByLabel('收件人手机号码').fill('1380013');
    await next();

    const phoneInput = page.getByLabel('收件人手机号码');
    await expect(await phoneInput.getAttribute('aria-invalid')).toBe('true');
    const phoneError = page.locator('#mailing-phone-error');
    expect(await phoneError.innerText()).toContain('收件人手机号码格式不正确，请填写 11 位手机号码');
    expect(await phoneInput.getAttribute('aria-describedby')).toContain('mailing-phone-error');
    // beside the field: inside the same field block, right under its box
    const [inputBox, errorBox] = [await phoneInput.boundingBox(), await phoneError.boundingBox()];
    expect(errorBox!.y).toBeGreaterThan(inputBox!.y);
    expect(errorBox!.y - (inputBox!.y + inputBox!.height)).toBeLessThan(40);
    const addressError = page.locator('#mailing-detail-error');
    expect(await addressError.innerText()).toContain('详细地址至少 5 个字');
    await addressError.scrollIntoViewIfNeeded();
    await phone.shot('02-messages-beside-fields');

    await page.getByLabel('详细地址').fill('宁夏银川市西夏区文昌路 66 号');
    await phoneInput.fill('13800138000');
    await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
    // nothing typed is lost: a reload brings it back
    await page.goto(`${bff.url}/journey/form/index?section=card`);
    await expect(await page.getByLabel('收件人手机号码').inputValue()).toBe('13800138000');
    await expect(await page.getByLabel('详细地址').inputValue()).toBe('宁夏银川市西夏区文昌路 66 号');
    await phone.context.close();

    // and on another phone the server's draft carries on where this one stopped
    // (继续填写: every section is filled, so it opens at the review, said in a banner)
    const other = await newPhone('invalid-input-other-phone');
    await signIn(other, worker);
    await heading(other.page, '核对并提交').waitFor();
    await other.page.getByTestId('resume-banner').waitFor();
    await other.page.getByRole('button', { name: '修改社保卡和邮寄地址' }).click();
    await heading(other.page, '填写申请表').waitFor();
    await expect(await other.page.getByLabel('收件人手机号码').inputValue()).toBe('13800138000');
    expect(await radio(other.page, '社保卡开户银行', /^宁夏银行/).getAttribute('aria-checked')).toBe('true');
    await other.shot('03-draft-on-another-phone');
    await other.context.close();
  });
});

describe('going back and coming back', () => {
  it("walks the phone's Back through the form's steps and the journey, resumes a reload and a return visit at the step left with 继续填写, and answers the radio questions with 请选择", async () => {
    const citizen = person('residence-permit-ningxia');
    const phone = await newPhone('back-and-resume');
    const { page } = phone;
    const step = (n: number) => page.getByText(`第 ${n} 步，共 5 步`);

    await signIn(phone, citizen);
    await heading(page, '办理前请先阅读：一次告知').waitFor();
    expect(await page.getByTestId('resume-banner').count()).toBe(0);
    await page.getByRole('checkbox', { name: /我已阅读并同意/ }).click();
    await page.getByTestId('agree').click();
    await heading(page, '看看您能不能办').waitFor();
    // an unanswered question says 请选择, and its message goes as soon as it is answered
    await page.getByTestId('check').click();
    const unanswered = page.locator('#employmentType-error');
    expect(await unanswered.innerText()).toContain('请选择您现在是怎么工作的');
    await radio(page, '您现在是怎么工作的', /^非全日制/).click();
    expect(await unanswered.count()).toBe(0);
    await radio(page, /是否要补缴/, '不需要').click();
    await radio(page, /是否要办理特殊缴费/, '不需要').click();
    await page.getByTestId('check').click();
    await page.getByText('✓ 您可以通过本服务办理').waitFor();
    await page.getByTestId('next').click();
    await passIdentity(phone);

    // the way of working answered before is the form's, not asked again
    expect(await radio(page, '就业形式', /^非全日制/).getAttribute('aria-checked')).toBe('true');
    await page.getByTestId('next').click();
    await step(2).waitFor();
    // 请选择 for a choice left open; gone once chosen, with the summary
    await page.getByTestId('next').click();
    expect(await page.locator('#archive-location-error').innerText()).toContain('请选择');
    await radio(page, '人事档案现在在哪里', /^没有档案/).click();
    expect(await page.locator('#archive-location-error').count()).toBe(0);
    expect(await page.getByText(/处需要修改/).count()).toBe(0);
    await page.getByTestId('next').click();
    await step(3).waitFor();

    // the phone's Back: the previous step, then the one before, then the identity page
    await page.goBack();
    await step(2).waitFor();
    expect(await radio(page, '人事档案现在在哪里', /^没有档案/).getAttribute('aria-checked')).toBe('true');
    await page.goBack();
    await step(1).waitFor();
    await page.goBack();
    await heading(page, '核对身份').waitFor();
    await page.goForward();
    await step(1).waitFor();
    await page.getByTestId('next').click();
    await step(2).waitFor();
    await page.getByTestId('next').click();
    await step(3).waitFor();
    // 上一步 is the same Back
    await page.getByTestId('previous').click();
    await step(2).waitFor();
    await page.getByTestId('next').click();
    await step(3).waitFor();

    // a reload stays on the step, and says so
    await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
    await page.reload();
    await step(3).waitFor();
    await page.getByTestId('resume-banner').getByText('继续填写').waitFor();
    await phone.shot('01-reload-resumed');
    await phone.context.close();

    // another day, another phone: straight to the step left, not to the notice
    const back = await newPhone('back-and-resume-return');
    await signIn(back, citizen);
    await back.page.getByText('第 3 步，共 5 步').waitFor();
    await back.page.getByTestId('resume-banner').getByText('继续填写').waitFor();
    expect(await radio(back.page, '养老保险缴费档次', /^全区平均工资的100%/).isVisible()).toBe(true);
    await back.shot('02-return-visit-resumed');
    // Back from the first page after signing in is our home page, never the sign-in list
    await back.page.goBack();
    await heading(back.page, '灵活就业参保“一件事”').waitFor();
    await back.context.close();
  });
});

describe('a department system that stops answering', () => {
  it('shows the matter retrying, then in manual handling with what happens next', async () => {
    const worker = person('part-time-worker');
    const phone = await newPhone('department-down');
    const { page } = phone;

    await signIn(phone, worker);
    await agreeAndCheck(phone, worker);
    await page.getByText('✓ 您可以通过本服务办理').waitFor();
    await page.getByTestId('next').click();
    await passIdentity(phone);
    await fillForm(phone, worker, true);
    await page.getByTestId('pay-postage').click();
    await page.getByRole('button', { name: '确认支付' }).click();
    await page.getByTestId('postage').getByText('✓ 已支付').waitFor();

    // the medical security system holds every call of this person's without answering
    const scripted = await stack.admin('medical', 'POST', '/admin/scripts', {
      idNumber: worker.idNumber,
      outcome: 'hang',
    });
    expect(scripted.status).toBe(201);
    await page.getByTestId('submit').click();
    await heading(page, '办理进度和结果').waitFor();

    const medical = page.locator('[data-matter="medicalRegistration"]');
    await page.locator('[data-matter="medicalRegistration"][data-state="retrying"]').waitFor({ timeout: 30_000 });
    expect(await medical.innerText()).toContain('↻ 正在重试');
    await medical.scrollIntoViewIfNeeded();
    await phone.shot('01-retrying');
    await page.locator('[data-matter="medicalRegistration"][data-state="manual"]').waitFor({ timeout: 60_000 });
    const text = await medical.innerText();
    expect(text).toContain('人工处理中');
    expect(text).toMatch(/原因：/);
    expect(text).toContain('接下来：工作人员会接手办理');
    await medical.scrollIntoViewIfNeeded();
    await phone.shot('02-manual');
    await stack.admin('medical', 'DELETE', '/admin/scripts');
    // Back from the progress page, after submitting: our home page, not the form already sent
    await page.goBack();
    await heading(page, '灵活就业参保“一件事”').waitFor();
    await phone.context.close();
  });
});

describe('a face check that lapses after the postage is paid', () => {
  it('shows the lapsed check with 重新人脸核验 on the review page, keeps the paid postage, and submits; a cancel at the cashier says nothing was charged', async () => {
    const citizen = person('woman-55-before-retirement');
    const phone = await newPhone('face-lapsed');
    const { page } = phone;

    await signIn(phone, citizen);
    await agreeAndCheck(phone, citizen);
    await page.getByText('✓ 您可以通过本服务办理').waitFor();
    await page.getByTestId('next').click();
    await passIdentity(phone);
    await fillForm(phone, citizen, true);

    // to the cashier and back without paying
    const paidBefore = (await stack.records('payment', 'orders')).filter((o: any) => o.status === 'paid').length;
    await page.getByTestId('pay-postage').click();
    await page.getByRole('link', { name: '取消' }).click();
    await page
      .getByTestId('payment-return')
      .getByText(/您取消了支付，没有扣款/)
      .waitFor();
    await phone.shot('01-cancelled');
    await page.getByTestId('pay-postage').click();
    await page.getByRole('button', { name: '确认支付' }).click();
    await page.getByTestId('postage').getByText('✓ 已支付').waitFor();

    // half an hour passes on the phone (the check is moved back in the BFF's own record)
    await stack.withBffDb((db) =>
      db
        .collection('applicants')
        .updateMany(
          { 'faceCheck.passed': true },
          { $set: { 'faceCheck.checkedAt': new Date(Date.now() - 31 * 60_000) } },
        ),
    );
    await page.reload();
    const checks = page.locator('[data-testid="submission-checks"][data-ready="no"]');
    await checks.getByText(/人脸核验已超过 30 分钟/).waitFor();
    expect(await page.getByTestId('submit').isDisabled()).toBe(true);
    await page.getByTestId('postage').getByText('✓ 已支付').waitFor();
    await phone.shot('02-face-lapsed');

    await page.getByTestId('redo-face-check').click();
    await page.locator('[data-testid="submission-checks"][data-ready="yes"]').waitFor();
    await page.getByTestId('submit').click();
    await heading(page, '办理进度和结果').waitFor();
    expect(await page.getByTestId('case-status').innerText()).toMatch(/邮寄费\s*5\.80 元，已支付/);
    // one charge in all: the cancelled visit and the paid one were the same order
    const paidNow = (await stack.records('payment', 'orders')).filter((o: any) => o.status === 'paid');
    expect(paidNow).toHaveLength(paidBefore + 1);
    await phone.context.close();
  });
});

/** Every visible text's contrast with the background it sits on (WCAG relative luminance). */
async function lowContrastTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const background = (el: Element | null): number[] => {
      for (let node = el; node; node = node.parentElement) {
        const c = parse(getComputedStyle(node).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3]! > 0.9)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const bad: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim());
      const rect = el.getBoundingClientRect();
      if (!own || rect.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      const [a, b] = [lum(parse(getComputedStyle(el).color)), lum(background(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) bad.push(`${el.textContent!.trim().slice(0, 20)} (${ratio.toFixed(2)})`);
    }
    return bad;
  });
}

/** Font sizes of body text and heights of controls on the page, in CSS pixels. */
async function sizes(page: Page): Promise<{ smallestText: number; smallestControl: number; controls: number }> {
  return page.evaluate(() => {
    let smallestText = Infinity;
    for (const el of Array.from(document.querySelectorAll('.page *'))) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim());
      if (own && el.getBoundingClientRect().width > 0) {
        smallestText = Math.min(smallestText, parseFloat(getComputedStyle(el).fontSize));
      }
    }
    const controls = Array.from(document.querySelectorAll('.page button, .page a, .page input, .page textarea')).filter(
      (c) => c.getBoundingClientRect().width > 0,
    );
    const smallestControl = Math.min(...controls.map((c) => c.getBoundingClientRect().height));
    return { smallestText, smallestControl, controls: controls.length };
  });
}

describe('长辈版 (elderly mode)', () => {
  it('renders body text at 18 px or more and controls at least 60 px tall, with enough contrast, when the host asks for it or the citizen switches it on', async () => {
    const phone = await newPhone('elderly');
    const { page } = phone;

    await page.goto(`${bff.url}/`);
    await heading(page, '灵活就业参保“一件事”').waitFor();
    const normal = await sizes(page);
    expect(normal.smallestText).toBeLessThan(18);

    // the citizen's switch
    await page.getByRole('button', { name: '开启长辈版（大字体）' }).click();
    await page.locator('[data-elderly="on"]:visible').waitFor();
    const switched = await sizes(page);
    expect(switched.smallestText).toBeGreaterThanOrEqual(18);
    expect(switched.smallestControl).toBeGreaterThanOrEqual(60);
    expect(await lowContrastTexts(page)).toEqual([]);
    await phone.shot('01-home-elderly');

    // the host's request on a fresh phone, on the help page
    const fresh = await newPhone('elderly-host');
    await fresh.page.goto(`${bff.url}/pages/index/index?elderly=1`);
    await fresh.page.locator('[data-elderly="on"]:visible').waitFor();
    await fresh.page.getByRole('button', { name: '帮助和咨询电话' }).click();
    await heading(fresh.page, '帮助和咨询').waitFor();
    await fresh.page.locator('[data-elderly="on"]:visible').waitFor();
    const help = await sizes(fresh.page);
    expect(help.smallestText).toBeGreaterThanOrEqual(18);
    expect(help.smallestControl).toBeGreaterThanOrEqual(60);
    expect(help.controls).toBeGreaterThanOrEqual(3);
    expect(await lowContrastTexts(fresh.page)).toEqual([]);
    await fresh.shot('02-help-elderly');

    await page.getByRole('button', { name: '长辈版已开启，点按关闭' }).click();
    await page.locator('[data-elderly="off"]:visible').waitFor();
    await phone.context.close();
    await fresh.context.close();
  });
});
