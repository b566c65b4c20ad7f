/// <reference lib="dom" />
// The switches for the messages outside the app (短信, “我的宁夏”订阅消息) on the
// messages page, in a real browser on the H5 build: both on at first, SMS
// switched off and still off after a reload, the page accessible with them.
import { findPerson } from '../../bff/simulators/roster';
import { expectAccessible } from '../support/axe';
import { phoneContext, screenshot } from '../support/browser';
import { useH5App } from '../support/h5-app';

const app = useH5App('switches');

it('switches SMS off on the messages page, keeps it off after a reload, and leaves the subscription messages on', async () => {
  const vendor = findPerson('eligible-vendor')!;
  const context = await phoneContext(app.browser);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    // signed in through the host's sign-in page, then to the messages
    await page.goto(`${app.bff.url}/`);
    await page.getByTestId('start').click();
    await page.getByRole('link', { name: new RegExp(vendor.label.replace(/[()（）]/g, '.')) }).click();
    await page.getByRole('heading', { level: 1, name: '办理前请先阅读：一次告知' }).waitFor();
    await page.goto(`${app.bff.url}/case/messages/index`);

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
