/// <reference lib="dom" />
// The switches for the messages outside the app (短信, “我的宁夏”订阅消息) on the
// messages page, in a real browser on the H5 build: both on at first, SMS
// switched off and still off after a reload, the page accessible with them.
import type { Browser } from 'playwright-core';
import { findPerson } from '../../bff/simulators/roster';
import type { Service } from '../../scripts/lib/services';
import { H5_DIST_DIR } from '../../scripts/paths';
import { expectAccessible } from '../support/axe';
import { launchBrowser, phoneContext, screenshot } from '../support/browser';
import { startBffProcess, startStack, type Stack } from '../support/stack';

let stack: Stack;
let bff: Service;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ label: 'switches' });
  bff = await startBffProcess(stack, { H5_DIR: H5_DIST_DIR });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await bff?.stop();
  await stack?.stop();
});

it('switches SMS off on the messages page, keeps it off after a reload, and leaves the subscription messages on', async () => {
  const vendor = findPerson('eligible-vendor')!;
  const context = await phoneContext(browser);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    // signed in through the host's sign-in page, then to the messages
    await page.goto(`${bff.url}/`);
    await page.getByTestId('start').click();
    await page.getByRole('link', { name: new RegExp(vendor.label.replace(/[()（）]/g, '.')) }).click();
    await page.getByRole('heading', { level: 1, name: '办理前请先阅读：一次告知' }).waitFor();
    await page.goto(`${bff.url}/case/messages/index`);

    const sms = (checked: boolean) => page.getByRole('checkbox', { name: /同时用短信通知我/, checked });
    const subscription = (checked: boolean) => page.getByRole('checkbox', { name: /订阅消息通知我/, checked });
    await sms(true).waitFor();
    await subscription(true).waitFor();
    await page.getByText('晚上 10 点到早上 8 点的提醒会等到早上再发').waitFor();
    await screenshot(page, 'miniapp-switches', '01-both-on');
    await expectAccessible(page, 'switches both on');

    await sms(true).click();
    await sms(false).waitFor();
    await page.reload();
    await sms(false).waitFor();
    await subscription(true).waitFor();
    await screenshot(page, 'miniapp-switches', '02-sms-off');
  } finally {
    await context.close();
  }
});
