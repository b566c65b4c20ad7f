/// <reference lib="dom" />
// A citizen who types the moment a field appears loses nothing, on a slow phone.
// The archive's holding unit (档案保管单位) appears right after its choice, and under load
// the journeys saw its first typing lost. The likely cause: with Taro's H5 components as
// Stencil custom elements, the field's frame rendered itself after React had put the input
// in it and moved the input into its slot, so typing that landed in between went nowhere.
// The H5 build now takes Taro's components as plain HTML (miniapp/config,
// h5.useHtmlComponents); this types at once after the field appears, with the page's CPU
// slowed six times, over and over.
import type { Page } from 'playwright-core';
import { findPerson } from '../../bff/simulators/roster';
import { phoneContext } from '../support/browser';
import { useH5App } from '../support/h5-app';

const app = useH5App('typing');

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const radio = (page: Page, group: string | RegExp, name: string | RegExp) =>
  page.getByRole('radiogroup', { name: group }).getByRole('radio', { name });

it('keeps the holding unit typed the moment its field appears, every time, on a CPU slowed six times', async () => {
  const vendor = findPerson('eligible-vendor')!;
  const context = await phoneContext(app.browser);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  // To the form's archive section, as in the journeys.
  await page.goto(`${app.bff.url}/`);
  await page.getByTestId('start').click();
  await page.getByRole('link', { name: new RegExp(vendor.label.replace(/[()（）]/g, '.')) }).click();
  await heading(page, '办理前请先阅读：一次告知').waitFor();
  await page.getByRole('checkbox', { name: /我已阅读并同意/ }).click();
  await page.getByTestId('agree').click();
  await heading(page, '看看您能不能办').waitFor();
  await radio(page, '您现在是怎么工作的', /^灵活就业人员/).click();
  await radio(page, /是否要补缴/, '不需要').click();
  await radio(page, /是否要办理特殊缴费/, '不需要').click();
  await page.getByTestId('check').click();
  await page.getByText('✓ 您可以通过本服务办理').waitFor();
  await page.getByTestId('next').click();
  await heading(page, '核对身份').waitFor();
  await page.getByTestId('face-check').click();
  await page.getByText('✓ 人脸核验已通过').waitFor();
  await page.getByTestId('next').click();
  await heading(page, '填写申请表').waitFor();
  await page.getByTestId('next').click();
  await page.getByRole('radiogroup', { name: '人事档案现在在哪里' }).waitFor();

  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  const field = page.getByLabel('档案保管单位');
  const draftHolds = (value: string) =>
    page
      .waitForFunction((v) => (localStorage.getItem('flexins.draft') ?? '').includes(v), value, { timeout: 5_000 })
      .then(() => true)
      .catch(() => false);

  const lost: string[] = [];
  for (let round = 1; round <= 8; round++) {
    // A place with no holding unit: the field goes.
    await radio(page, '人事档案现在在哪里', /^没有档案/).click();
    await field.waitFor({ state: 'detached' });
    // Back to the former employer: the field appears, and is typed into at once (fill waits
    // only for it to be there), once.
    const value = `银川市第${round}商贸有限公司`;
    await radio(page, '人事档案现在在哪里', /^原工作单位/).click();
    await field.fill(value);
    if (!(await draftHolds(value))) lost.push(value);
    else expect(await field.inputValue()).toBe(value);
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  expect(lost).toEqual([]);
  await context.close();
});
