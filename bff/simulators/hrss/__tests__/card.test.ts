import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  HRSS_CARD_APPLICATION_QUERY_REPLY,
  HRSS_CARD_APPLICATION_REPLY,
  HRSS_CARD_QUERY_REPLY,
  PAYMENT_PATHS,
  type HrssCardApplicationQueryReply,
  type PaymentCreateOrderReply,
} from '@flexins/shared';
import { paymentSimulator } from '../../payment';
import type { RosterPerson } from '../../roster';
import { TEST_CALLER, TEST_SECRET, useTestSimulator, type TestSimulator } from '../../test-support';
import { hrssSimulator } from '../index';
import { expectValid, homeCounty, person, post, registerUpToPension, useClock } from './support';

const HRSS_CALLER = 'hrss';
const HRSS_SECRET = 'test-secret-hrss-to-payment';

/** Where the payment system sends its paid notifications (the BFF's job; here they are just taken). */
const notifications = useNotificationSink();
const payment = useTestSimulator(paymentSimulator, {
  callers: new Map([
    [TEST_CALLER, TEST_SECRET],
    [HRSS_CALLER, HRSS_SECRET],
  ]),
  options: { NOTIFY_SECRET: 'test-secret-payment-to-bff' },
});
const sim = useTestSimulator(hrssSimulator, () => ({
  peers: { payment: { url: payment.url, callerId: HRSS_CALLER, secret: HRSS_SECRET } },
}));
const clock = useClock(sim);

function useNotificationSink(): { readonly url: string } {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/payment-notifications`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    get url() {
      return url;
    },
  };
}

const CARD = '/hrss/v1/card-applications';
const CARD_QUERY = '/hrss/v1/card-application-queries';
const HOLDS_CARD_QUERY = '/hrss/v1/card-queries';
const POSTAGE_FEN = 580;

/** A 1×1 PNG: the identity platform's certified photos are PNGs. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function cardBody(p: RosterPerson, postageOrderId: string, overrides: Record<string, unknown> = {}) {
  return {
    idNumber: p.idNumber,
    name: p.name,
    photo: { contentType: 'image/png', base64: PNG_BASE64 },
    issuingBank: 'bankOfNingxia',
    mailingAddress: {
      regionCode: homeCounty(p),
      detail: p.household.address,
      recipient: p.name,
      phone: p.phone,
    },
    postageOrderId,
    ...overrides,
  };
}

/** A postage order at the payment system, as the BFF creates it; not paid yet. */
async function postageOrder(amountFen = POSTAGE_FEN): Promise<{ orderId: string; paymentOrderNo: string }> {
  const orderId = `PO-${randomUUID()}`;
  const created = await payment.client.post<PaymentCreateOrderReply>(
    PAYMENT_PATHS.orders,
    {
      orderId,
      amountFen,
      subject: '社会保障卡邮寄费',
      notifyUrl: notifications.url,
      returnUrl: 'http://127.0.0.1/after-payment',
    },
    { idempotencyKey: randomUUID() },
  );
  if (created.kind !== 'ok') throw new Error(`could not create a payment order: ${JSON.stringify(created)}`);
  return { orderId, paymentOrderNo: created.body.paymentOrderNo };
}

/** The citizen presses 确认支付 at the cashier. */
async function pay(paymentOrderNo: string): Promise<void> {
  const response = await fetch(`${payment.url}/cashier/${paymentOrderNo}/pay`, { method: 'POST', redirect: 'manual' });
  expect(response.status).toBe(303);
}

/** A postage order created and paid, for the given amount (the right one unless said). */
async function paidPostage(amountFen = POSTAGE_FEN): Promise<string> {
  const order = await postageOrder(amountFen);
  await pay(order.paymentOrderNo);
  return order.orderId;
}

async function holdsCard(target: TestSimulator, idNumber: string) {
  const reply = await post(target, HOLDS_CARD_QUERY, { idNumber }, null);
  expect(reply.status).toBe(200);
  expectValid(HRSS_CARD_QUERY_REPLY, reply.body);
  return reply.body;
}

describe('the Ningxia card query (首次申领核验)', () => {
  it('says who already holds a Ningxia card, with the number masked', async () => {
    expect(await holdsCard(sim, person('holds-ningxia-card').idNumber)).toEqual({
      holdsNingxiaCard: true,
      cardNumberMasked: 'NX***0009',
    });
    expect(await holdsCard(sim, person('eligible-vendor').idNumber)).toEqual({ holdsNingxiaCard: false });
  });
});

describe('card application (社会保障卡申领)', () => {
  it('accepts a paid first-time application, issues the e-card at once, after the payment system confirms the postage', async () => {
    const vendor = person('eligible-vendor');
    await registerUpToPension(sim, vendor);
    const orderId = await paidPostage();

    const reply = await post(sim, CARD, cardBody(vendor, orderId));

    expect(reply.status).toBe(200);
    expectValid(HRSS_CARD_APPLICATION_REPLY, reply.body);
    expect(reply.body).toEqual({
      cardApplicationNo: expect.stringMatching(/^SB\d{14}$/),
      status: 'accepted',
      electronicCard: {
        eCardNo: expect.stringMatching(/^DZ\d{14}$/),
        issuedAt: clock.now.toISOString(),
        qrPayload: expect.stringMatching(/^NXESSC:1:DZ\d{14}:[0-9a-f]{16}$/),
      },
      acceptedAt: clock.now.toISOString(),
    });
    expect(reply.body.electronicCard.qrPayload).not.toContain(vendor.idNumber);
    expect(await sim.records('card_applications', vendor.idNumber)).toMatchObject([
      { postageOrderId: orderId, postageFen: 580, issuingBank: 'bankOfNingxia', photo: { contentType: 'image/png' } },
    ]);
    expect(await holdsCard(sim, vendor.idNumber)).toEqual({
      holdsNingxiaCard: false,
      applicationNo: reply.body.cardApplicationNo,
    });
  });

  it('answers a second application with a new key with 409 and the first number, and keeps one record', async () => {
    const vendor = person('eligible-vendor');
    const [first] = await sim.records('card_applications', vendor.idNumber);
    const again = await post(sim, CARD, cardBody(vendor, await paidPostage()));
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'ALREADY_APPLIED',
      details: { cardApplicationNo: first.cardApplicationNo },
    });
    expect(await sim.records('card_applications', vendor.idNumber)).toHaveLength(1);
  });

  it('refuses rule 4 for someone who already holds a Ningxia card, before asking for the pension registration', async () => {
    const holder = person('holds-ningxia-card');
    const reply = await post(sim, CARD, cardBody(holder, await paidPostage()));
    expect(reply.status).toBe(422);
    expect(reply.body.error).toMatchObject({ code: 'ALREADY_HOLDS_CARD', details: { cardNumberMasked: 'NX***0009' } });
    expect(reply.body.error.message).toContain('本服务只办理首次申领');
    expect(await sim.records('card_applications', holder.idNumber)).toHaveLength(0);
  });

  it('refuses before the pension registration', async () => {
    const reply = await post(sim, CARD, cardBody(person('part-time-worker'), await paidPostage()));
    expect(reply.status).toBe(422);
    expect(reply.body.error).toMatchObject({
      code: 'PENSION_NOT_REGISTERED',
      message: '请先办理社会保险登记，再申领社会保障卡',
    });
  });

  describe('postage (邮寄费 5.8 元)', () => {
    const applicant = person('self-employed-no-employees');
    beforeAll(async () => {
      await registerUpToPension(sim, applicant);
    });

    it('refuses an order that is not paid yet', async () => {
      const { orderId } = await postageOrder();
      const reply = await post(sim, CARD, cardBody(applicant, orderId));
      expect(reply.status).toBe(422);
      expect(reply.body.error.code).toBe('POSTAGE_NOT_PAID');
      expect(reply.body.error.message).toBe(`邮寄费订单 ${orderId} 尚未支付；请先支付社保卡邮寄费 5.80 元`);
    });

    it('refuses an order the payment system does not know', async () => {
      const reply = await post(sim, CARD, cardBody(applicant, 'PO-never-created-here'));
      expect(reply.status).toBe(422);
      expect(reply.body.error.code).toBe('POSTAGE_NOT_PAID');
      expect(reply.body.error.message).toContain('没有找到邮寄费订单 PO-never-created');
    });

    it('refuses a paid order of the wrong amount, and a refunded one', async () => {
      const cheap = await paidPostage(100);
      const wrongAmount = await post(sim, CARD, cardBody(applicant, cheap));
      expect(wrongAmount.body.error.code).toBe('POSTAGE_NOT_PAID');
      expect(wrongAmount.body.error.message).toContain('金额为 1.00 元，社保卡邮寄费应为 5.80 元');

      const refunded = await paidPostage();
      const refund = await payment.client.post(
        PAYMENT_PATHS.refunds,
        { orderId: refunded, refundId: `RF-${randomUUID()}`, amountFen: POSTAGE_FEN, reason: '测试：已退款的订单' },
        { idempotencyKey: randomUUID() },
      );
      expect(refund.kind).toBe('ok');
      expect((await post(sim, CARD, cardBody(applicant, refunded))).body.error.code).toBe('POSTAGE_NOT_PAID');
      expect(await sim.records('card_applications', applicant.idNumber)).toHaveLength(0);
    });

    it('answers 503 while the payment system is down, and the same key succeeds once it is back', async () => {
      const orderId = await paidPostage();
      const key = randomUUID();
      await payment.admin('PUT', '/admin/faults', { errorRate: 1 });
      try {
        const down = await post(sim, CARD, cardBody(applicant, orderId), key);
        expect(down.status).toBe(503);
        expect(down.body.error.code).toBe('PAYMENT_CHECK_UNAVAILABLE');
        expect(await sim.records('card_applications', applicant.idNumber)).toHaveLength(0);
      } finally {
        await payment.admin('PUT', '/admin/faults', { errorRate: 0 });
      }
      const retried = await post(sim, CARD, cardBody(applicant, orderId), key);
      expect(retried.status).toBe(200);
      expect(await sim.records('card_applications', applicant.idNumber)).toHaveLength(1);
    });

    it('refuses a postage order that already paid for someone else’s card', async () => {
      const [used] = await sim.records('card_applications', applicant.idNumber);
      const other = person('training-breakfast-stall');
      await registerUpToPension(sim, other);
      const reply = await post(sim, CARD, cardBody(other, used.postageOrderId));
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe('POSTAGE_ORDER_ALREADY_USED');
    });
  });

  it('answers bad input with 400 naming the fields in Chinese', async () => {
    const p = person('residence-permit-ningxia');
    const reply = await post(
      sim,
      CARD,
      cardBody(p, await paidPostage(), {
        issuingBank: 'hsbc',
        mailingAddress: { regionCode: '620102', detail: '兰州', recipient: '', phone: '12345' },
        photo: { contentType: 'image/png', base64: Buffer.from('GIF89a not a png').toString('base64') },
      }),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toEqual({
      issuingBank:
        '发卡银行只能选：中国工商银行、中国农业银行、中国银行、中国建设银行、宁夏银行、黄河农村商业银行、中国邮政储蓄银行',
      'mailingAddress.regionCode': expect.stringMatching(/^邮寄地址所在县（市、区）只能选：银川市兴庆区/),
      'mailingAddress.detail': '详细地址至少 5 个字',
      'mailingAddress.recipient': '请填写收件人',
      'mailingAddress.phone': '收件人手机号码格式不正确，应为以1开头的11位数字',
    });

    const notPng = await post(
      sim,
      CARD,
      cardBody(p, await paidPostage(), {
        photo: { contentType: 'image/png', base64: Buffer.from('GIF89a not a png').toString('base64') },
      }),
    );
    expect(notPng.status).toBe(400);
    expect(notPng.body.error.fields).toEqual({
      'photo.base64': '照片内容不是 PNG 图片，请使用身份认证平台提供的证件照片',
    });

    const tooBig = await post(
      sim,
      CARD,
      cardBody(p, await paidPostage(), {
        photo: { contentType: 'image/jpeg', base64: Buffer.alloc(210 * 1024, 0xff).toString('base64') },
      }),
    );
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.fields).toEqual({ 'photo.base64': '照片内容最多 273068 个字' });
  });
});

describe('card progress (制卡和邮寄进度)', () => {
  it('moves from accepted through producing and posted (with an EMS number) to delivered, 30 s a step', async () => {
    const p = person('training-delivery-rider');
    await registerUpToPension(sim, p);
    const accepted = await post(sim, CARD, cardBody(p, await paidPostage()));
    const t0 = clock.now.getTime();

    const seen: HrssCardApplicationQueryReply[] = [];
    for (let step = 0; step < 5; step++) {
      const reply = await post(sim, CARD_QUERY, { cardApplicationNo: accepted.body.cardApplicationNo }, null);
      expect(reply.status).toBe(200);
      expectValid(HRSS_CARD_APPLICATION_QUERY_REPLY, reply.body);
      seen.push(reply.body);
      clock.advance(30_000);
    }

    const [atStart, producing, posted, delivered, later] = seen as [
      HrssCardApplicationQueryReply,
      ...HrssCardApplicationQueryReply[],
    ];
    expect(seen.map((s) => s.status)).toEqual(['accepted', 'producing', 'posted', 'delivered', 'delivered']);
    expect(atStart.trackingNo).toBeUndefined();
    expect(producing?.trackingNo).toBeUndefined();
    expect(posted).toMatchObject({ trackingNo: expect.stringMatching(/^EMS\d{10}$/), carrier: '中国邮政 EMS' });
    expect(delivered?.trackingNo).toBe(posted?.trackingNo);
    expect(later?.electronicCard).toEqual(accepted.body.electronicCard);
    expect(later?.history).toEqual([
      { status: 'accepted', at: new Date(t0).toISOString() },
      { status: 'producing', at: new Date(t0 + 30_000).toISOString() },
      { status: 'posted', at: new Date(t0 + 60_000).toISOString() },
      { status: 'delivered', at: new Date(t0 + 90_000).toISOString() },
    ]);
    expect(await sim.records('card_applications', p.idNumber)).toMatchObject([
      { status: 'delivered', trackingNo: posted?.trackingNo },
    ]);
  });

  it('gives concurrent readers one tracking number', async () => {
    const p = person('training-ended-medical');
    await registerUpToPension(sim, p);
    const accepted = await post(sim, CARD, cardBody(p, await paidPostage()));
    clock.advance(60_000);
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        post(sim, CARD_QUERY, { cardApplicationNo: accepted.body.cardApplicationNo }, null),
      ),
    );
    expect(new Set(replies.map((r) => r.body.trackingNo)).size).toBe(1);
    expect(replies[0]!.body.trackingNo).toMatch(/^EMS\d{10}$/);
  });

  it('answers 404 for an unknown application', async () => {
    const reply = await post(sim, CARD_QUERY, { cardApplicationNo: 'SB20261129999999' }, null);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('CARD_APPLICATION_NOT_FOUND');
  });
});

describe('when the postage cannot be checked', () => {
  const unconfigured = useTestSimulator(hrssSimulator);
  const wrongSecret = useTestSimulator(hrssSimulator, () => ({
    peers: { payment: { url: payment.url, callerId: HRSS_CALLER, secret: 'not-the-secret' } },
  }));

  it.each([
    ['no payment system is configured', () => unconfigured],
    ['the payment system refuses our signature', () => wrongSecret],
  ])('answers 503 PAYMENT_CHECK_UNAVAILABLE when %s, rather than accepting unpaid postage', async (_case, which) => {
    const target = which();
    const p = person('eligible-vendor');
    await registerUpToPension(target, p);
    const reply = await post(target, CARD, cardBody(p, await paidPostage()));
    expect(reply.status).toBe(503);
    expect(reply.body.error.code).toBe('PAYMENT_CHECK_UNAVAILABLE');
    expect(await target.records('card_applications', p.idNumber)).toHaveLength(0);
  });
});
