import { randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PAYMENT_CREATE_ORDER_REPLY,
  PAYMENT_NOTIFICATION,
  PAYMENT_ORDER_REPLY,
  PAYMENT_REFUND_REPLY,
  type PaymentCreateOrderReply,
  type PaymentOrderReply,
  type PaymentRefundReply,
} from '@flexins/shared';
import { GatewayClient, check, signatureMatches, signedHeaders, type CallOutcome } from '@flexins/shared/server';
import { TEST_CALLER, TEST_SECRET, useTestSimulator } from '../../test-support';
import { paymentSimulator } from '../index';

const NOTIFY_SECRET = 'payment-notify-secret';
const HRSS_SECRET = 'hrss-secret-for-payment';
const RETURN_URL = 'http://127.0.0.1:5173/pay/return?case=A1';

// ---------------------------------------------------------------- receiver
// A tiny stand-in for the BFF's notification endpoint. Per path it can answer
// a planned series of statuses first, or hold answers until released.

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: { orderId: string; [key: string]: unknown };
}

const received: Received[] = [];
const plans = new Map<string, number[]>();
const held: ServerResponse[] = [];
let holdAnswers = false;
let receiverUrl = '';
const receiver = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  req.on('end', () => {
    received.push({ path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) });
    if (holdAnswers) return void held.push(res);
    const status = plans.get(req.url ?? '')?.shift() ?? 200;
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const sim = useTestSimulator(paymentSimulator, {
  callers: new Map([
    [TEST_CALLER, TEST_SECRET],
    ['hrss', HRSS_SECRET],
  ]),
  options: { NOTIFY_SECRET, NOTIFY_RETRY_BASE_MS: '10', NOTIFY_TIMEOUT_MS: '2000' },
});

// ---------------------------------------------------------------- helpers

function ok<T>(outcome: CallOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.body;
}

const write = <T>(path: string, body: unknown, key: string = randomUUID()) =>
  sim.client.post<T>(path, body, { idempotencyKey: key });

/** A signed write read raw: the GatewayClient's outcome leaves out an error's `details`. */
async function errorDetails(path: string, body: object): Promise<unknown> {
  const text = JSON.stringify(body);
  const response = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
      ...signedHeaders(TEST_CALLER, TEST_SECRET, { method: 'POST', path, body: text }),
    },
    body: text,
  });
  return ((await response.json()) as { error: { details?: unknown } }).error.details;
}

async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let serial = 0;
function newOrderId(): string {
  serial += 1;
  return `CARD-POSTAGE-${String(serial).padStart(4, '0')}-${randomUUID().slice(0, 8)}`;
}

async function createOrder(overrides: Record<string, unknown> = {}): Promise<PaymentCreateOrderReply> {
  const orderId = newOrderId();
  return ok(
    await write<PaymentCreateOrderReply>('/payment/v1/orders', {
      orderId,
      amountFen: 580,
      subject: '社会保障卡邮寄费',
      notifyUrl: `${receiverUrl}/notify/${orderId}`,
      returnUrl: RETURN_URL,
      ...overrides,
    }),
  );
}

const pay = (paymentOrderNo: string) =>
  fetch(`${sim.url}/cashier/${paymentOrderNo}/pay`, { method: 'POST', redirect: 'manual' });

const queryOrder = async (orderId: string) =>
  ok(await sim.client.post<PaymentOrderReply>('/payment/v1/order-queries', { orderId }));

async function orderRecord(orderId: string) {
  return (await sim.records('orders')).find((o) => o.orderId === orderId);
}

const delivered = (orderId: string) =>
  eventually(async () => {
    const order = await orderRecord(orderId);
    return order?.notifyState === 'delivered' && order;
  });

function signedByPayment(notice: Received): boolean {
  const header = (name: string) => notice.headers[name] as string;
  return (
    header('x-caller-id') === 'payment' &&
    signatureMatches(
      NOTIFY_SECRET,
      {
        method: 'POST',
        path: notice.path,
        timestamp: header('x-timestamp'),
        nonce: header('x-nonce'),
        body: notice.raw,
      },
      header('x-signature'),
    )
  );
}

// ---------------------------------------------------------------- tests

describe('paying the card postage', () => {
  it('creates an order, shows ¥5.80 at the cashier, pays, notifies with a valid signature, and refunds', async () => {
    // create
    const created = await createOrder();
    expect(check(PAYMENT_CREATE_ORDER_REPLY, created)).toMatchObject({ ok: true });
    expect(created).toMatchObject({ status: 'created', amountFen: 580 });
    expect(created.paymentOrderNo).toMatch(/^ZF\d{14}$/);
    expect(created.cashierUrl).toBe(`${sim.url}/cashier/${created.paymentOrderNo}`);

    // the cashier page
    const page = await fetch(created.cashierUrl);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('¥5.80');
    expect(html).toContain('社会保障卡邮寄费');
    expect(html).toContain(`<form method="post" action="/cashier/${created.paymentOrderNo}/pay">`);
    expect(html).toContain('>确认支付</button>');
    const cancel = new URL(/href="([^"]+)">取消</.exec(html)![1]!.replace(/&amp;/g, '&'));
    expect(cancel.searchParams.get('status')).toBe('cancelled');
    expect(cancel.searchParams.get('case')).toBe('A1');

    // pay
    const paid = await pay(created.paymentOrderNo);
    expect(paid.status).toBe(303);
    const back = new URL(paid.headers.get('location')!);
    expect(back.origin + back.pathname).toBe('http://127.0.0.1:5173/pay/return');
    expect(Object.fromEntries(back.searchParams)).toEqual({ case: 'A1', orderId: created.orderId, status: 'paid' });

    // query
    const afterPay = await queryOrder(created.orderId);
    expect(check(PAYMENT_ORDER_REPLY, afterPay)).toMatchObject({ ok: true });
    expect(afterPay).toMatchObject({ status: 'paid', amountFen: 580, paymentOrderNo: created.paymentOrderNo });
    expect(afterPay.paidAt).toBeDefined();

    // the notification
    await delivered(created.orderId);
    const notices = received.filter((r) => r.body.orderId === created.orderId);
    expect(notices).toHaveLength(1);
    const notice = notices[0]!;
    expect(signedByPayment(notice)).toBe(true);
    expect(notice.headers['idempotency-key']).toBe(`${created.paymentOrderNo}:paid`);
    expect(check(PAYMENT_NOTIFICATION, notice.body)).toMatchObject({ ok: true });
    expect(notice.body).toEqual({
      orderId: created.orderId,
      paymentOrderNo: created.paymentOrderNo,
      status: 'paid',
      amountFen: 580,
      paidAt: afterPay.paidAt,
    });

    // refund
    const refund = ok(
      await write<PaymentRefundReply>('/payment/v1/refunds', {
        orderId: created.orderId,
        refundId: `RF-${created.orderId}`,
        amountFen: 580,
        reason: '社保卡申领未成功，退还邮寄费',
      }),
    );
    expect(check(PAYMENT_REFUND_REPLY, refund)).toMatchObject({ ok: true });
    expect(refund).toMatchObject({ orderId: created.orderId, status: 'refunded', amountFen: 580 });
    expect(refund.refundNo).toMatch(/^TK\d{14}$/);

    const afterRefund = await queryOrder(created.orderId);
    expect(check(PAYMENT_ORDER_REPLY, afterRefund)).toMatchObject({ ok: true });
    expect(afterRefund).toMatchObject({
      status: 'refunded',
      refundedAt: refund.refundedAt,
      refund: { refundNo: refund.refundNo, refundId: `RF-${created.orderId}`, amountFen: 580 },
    });
    expect((await sim.records('refunds')).filter((r) => r.orderId === created.orderId)).toHaveLength(1);
  });

  it('lets HRSS query an order as caller hrss, to check the postage', async () => {
    const created = await createOrder();
    const hrss = new GatewayClient({ baseUrl: sim.url, callerId: 'hrss', secret: HRSS_SECRET });
    const outcome = await hrss.post<PaymentOrderReply>('/payment/v1/order-queries', { orderId: created.orderId });
    expect(outcome).toMatchObject({ kind: 'ok', body: { status: 'created', amountFen: 580 } });
  });

  it('pays only once when the button is pressed twice at the same time', async () => {
    const created = await createOrder();
    const [first, second] = await Promise.all([pay(created.paymentOrderNo), pay(created.paymentOrderNo)]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const paidAt = (await queryOrder(created.orderId)).paidAt;

    const third = await pay(created.paymentOrderNo);
    expect(third.status).toBe(303);
    expect(new URL(third.headers.get('location')!).searchParams.get('status')).toBe('paid');

    const order = await delivered(created.orderId);
    expect((await queryOrder(created.orderId)).paidAt).toBe(paidAt);
    expect(order.notifications).toHaveLength(1);
    expect(received.filter((r) => r.body.orderId === created.orderId)).toHaveLength(1);
  });

  it('shows a paid order as paid, with no pay button', async () => {
    const created = await createOrder();
    await pay(created.paymentOrderNo);
    const html = await (await fetch(created.cashierUrl)).text();
    expect(html).toContain('已经支付成功');
    expect(html).not.toContain('确认支付');
  });

  it('escapes the subject on the cashier page', async () => {
    const created = await createOrder({ subject: '<script>alert(1)</script>邮寄费' });
    const html = await (await fetch(created.cashierUrl)).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;邮寄费');
  });

  it('answers an unknown cashier page with a Chinese 404 page', async () => {
    for (const no of ['ZF20260101999999', 'not-a-number']) {
      const response = await fetch(`${sim.url}/cashier/${no}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('没有找到这笔支付订单');
      expect((await pay(no)).status).toBe(404);
    }
  });
});

describe('the paid notification', () => {
  it('is retried when the receiver first answers 500, then 200, with the same key and a fresh signature', async () => {
    const orderId = newOrderId();
    plans.set(`/notify/${orderId}`, [500]);
    const created = await createOrder({ orderId, notifyUrl: `${receiverUrl}/notify/${orderId}` });
    await pay(created.paymentOrderNo);

    const order = await delivered(orderId);
    expect(order.notifications.map((n: { ok: boolean; status: number }) => [n.ok, n.status])).toEqual([
      [false, 500],
      [true, 200],
    ]);
    const notices = received.filter((r) => r.body.orderId === orderId);
    expect(notices).toHaveLength(2);
    expect(notices.every(signedByPayment)).toBe(true);
    expect(new Set(notices.map((n) => n.headers['idempotency-key']))).toEqual(
      new Set([`${created.paymentOrderNo}:paid`]),
    );
    expect(notices[0]!.headers['x-nonce']).not.toBe(notices[1]!.headers['x-nonce']);
  });

  it('does not hold up the browser while the receiver is slow', async () => {
    holdAnswers = true;
    try {
      const created = await createOrder();
      const paid = await pay(created.paymentOrderNo);
      expect(paid.status).toBe(303);
      // The notification is still waiting for an answer, and the order is already paid.
      await eventually(async () => held.length > 0);
      expect((await queryOrder(created.orderId)).status).toBe('paid');
      expect((await orderRecord(created.orderId)).notifyState).toBe('pending');
    } finally {
      holdAnswers = false;
      for (const res of held.splice(0)) res.writeHead(200).end('{}');
    }
  });

  it('gives up after 6 attempts when the receiver is down, records each, and keeps serving', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const created = await createOrder({ notifyUrl: `http://127.0.0.1:${port}/notify` });
    expect((await pay(created.paymentOrderNo)).status).toBe(303);
    const order = await eventually(async () => {
      const record = await orderRecord(created.orderId);
      return record?.notifyState === 'failed' && record;
    });
    expect(order.notifications).toHaveLength(6);
    for (const attempt of order.notifications) {
      expect(attempt).toMatchObject({ ok: false, error: '无法连接通知地址' });
    }
    expect((await queryOrder(created.orderId)).status).toBe('paid');
  });
});

describe('without NOTIFY_SECRET', () => {
  const unsigned = useTestSimulator(paymentSimulator, { options: { NOTIFY_RETRY_BASE_MS: '10' } });

  it('still notifies, unsigned', async () => {
    const orderId = newOrderId();
    const created = ok(
      await unsigned.client.post<PaymentCreateOrderReply>(
        '/payment/v1/orders',
        {
          orderId,
          amountFen: 580,
          subject: '社会保障卡邮寄费',
          notifyUrl: `${receiverUrl}/notify/${orderId}`,
          returnUrl: RETURN_URL,
        },
        { idempotencyKey: randomUUID() },
      ),
    );
    await fetch(`${unsigned.url}/cashier/${created.paymentOrderNo}/pay`, { method: 'POST', redirect: 'manual' });
    const notice = await eventually(async () => received.find((r) => r.body.orderId === orderId));
    expect(notice.headers['x-signature']).toBeUndefined();
    expect(notice.headers['idempotency-key']).toBe(`${created.paymentOrderNo}:paid`);
  });
});

describe('one order per business order id', () => {
  it('answers the same orderId with a new key by ORDER_EXISTS carrying the existing order, and creates nothing', async () => {
    const orderId = newOrderId();
    const body = {
      orderId,
      amountFen: 580,
      subject: '社会保障卡邮寄费',
      notifyUrl: `${receiverUrl}/notify/${orderId}`,
      returnUrl: RETURN_URL,
    };
    const key = randomUUID();
    const first = ok(await write<PaymentCreateOrderReply>('/payment/v1/orders', body, key));
    const replay = ok(await write<PaymentCreateOrderReply>('/payment/v1/orders', body, key));
    const again = await write('/payment/v1/orders', body);
    expect(replay).toEqual(first);
    expect(again).toMatchObject({ kind: 'error', status: 409, code: 'ORDER_EXISTS' });
    expect(await errorDetails('/payment/v1/orders', body)).toEqual(first);
    expect((await sim.records('orders')).filter((o) => o.orderId === orderId)).toHaveLength(1);
  });

  it('answers ORDER_EXISTS to parallel creates with different keys, with one order', async () => {
    const orderId = newOrderId();
    const body = {
      orderId,
      amountFen: 580,
      subject: '社会保障卡邮寄费',
      notifyUrl: `${receiverUrl}/n`,
      returnUrl: RETURN_URL,
    };
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => write('/payment/v1/orders', body)));
    expect(outcomes.filter((o) => o.kind === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'error' && o.code === 'ORDER_EXISTS')).toHaveLength(4);
    expect((await sim.records('orders')).filter((o) => o.orderId === orderId)).toHaveLength(1);
  });
});

describe('refunds', () => {
  async function paidOrder() {
    const created = await createOrder();
    await pay(created.paymentOrderNo);
    return created;
  }
  const refund = (orderId: string, amountFen = 580, key?: string) =>
    write<PaymentRefundReply>(
      '/payment/v1/refunds',
      { orderId, refundId: `RF-${orderId}`, amountFen, reason: '退还邮寄费' },
      key,
    );

  it('refuses an unpaid order with ORDER_NOT_PAID', async () => {
    const created = await createOrder();
    const outcome = await refund(created.orderId);
    expect(outcome).toMatchObject({ kind: 'error', status: 409, code: 'ORDER_NOT_PAID' });
    if (outcome.kind === 'error') expect(outcome.message).toContain('尚未支付');
  });

  it('refuses anything but the full amount with REFUND_AMOUNT_INVALID naming the amount', async () => {
    const created = await paidOrder();
    const outcome = await refund(created.orderId, 300);
    expect(outcome).toMatchObject({
      kind: 'error',
      status: 422,
      code: 'REFUND_AMOUNT_INVALID',
      fields: { amountFen: '退款金额必须等于实付金额 580 分' },
    });
    if (outcome.kind === 'error') expect(outcome.message).toContain('5.80 元');
    expect((await queryOrder(created.orderId)).status).toBe('paid');
  });

  it('refunds once: a second refund with a new key is ALREADY_REFUNDED with the first refund in details', async () => {
    const created = await paidOrder();
    const key = randomUUID();
    const first = ok(await refund(created.orderId, 580, key));
    expect(ok(await refund(created.orderId, 580, key))).toEqual(first);
    const second = await refund(created.orderId);
    expect(second).toMatchObject({ kind: 'error', status: 409, code: 'ALREADY_REFUNDED' });
    const details = await errorDetails('/payment/v1/refunds', {
      orderId: created.orderId,
      refundId: 'RF-SECOND-TRY',
      amountFen: 580,
      reason: '再退一次',
    });
    expect(details).toEqual(first);
    expect((await sim.records('refunds')).filter((r) => r.orderId === created.orderId)).toHaveLength(1);
  });

  it('refunds only one of several parallel refunds with different keys', async () => {
    const created = await paidOrder();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => refund(created.orderId)));
    expect(outcomes.filter((o) => o.kind === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'error' && o.code === 'ALREADY_REFUNDED')).toHaveLength(4);
  });

  it('will not take payment again for a refunded order', async () => {
    const created = await paidOrder();
    ok(await refund(created.orderId));
    const again = await pay(created.paymentOrderNo);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('已经退款，不能再支付');
    expect((await queryOrder(created.orderId)).status).toBe('refunded');
  });
});

describe('closing an order', () => {
  const close = (orderId: string) => write<PaymentOrderReply>('/payment/v1/orders/close', { orderId });
  const refund = (orderId: string) =>
    write('/payment/v1/refunds', { orderId, refundId: `RF-${orderId}`, amountFen: 580, reason: '退还' });

  it('closes an unpaid order, twice without harm, and the cashier then refuses to take payment', async () => {
    const created = await createOrder();
    const closed = ok(await close(created.orderId));
    expect(check(PAYMENT_ORDER_REPLY, closed)).toMatchObject({ ok: true });
    expect(closed).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect(ok(await close(created.orderId))).toEqual(closed);

    const attempt = await pay(created.paymentOrderNo);
    expect(attempt.status).toBe(409);
    expect(await attempt.text()).toContain('已关闭，不能支付');
    expect((await queryOrder(created.orderId)).status).toBe('closed');
    expect(await refund(created.orderId)).toMatchObject({ code: 'ORDER_NOT_PAID' });
  });

  it('refuses to close a paid order with ORDER_ALREADY_PAID', async () => {
    const created = await createOrder();
    await pay(created.paymentOrderNo);
    expect(await close(created.orderId)).toMatchObject({ kind: 'error', status: 409, code: 'ORDER_ALREADY_PAID' });
    expect((await queryOrder(created.orderId)).status).toBe('paid');
  });
});

describe('unknown orders and bad input', () => {
  it('answers an unknown order with ORDER_NOT_FOUND', async () => {
    const orderId = 'NO-SUCH-ORDER-0001';
    expect(await sim.client.post('/payment/v1/order-queries', { orderId })).toMatchObject({
      kind: 'error',
      status: 404,
      code: 'ORDER_NOT_FOUND',
    });
    expect(
      await write('/payment/v1/refunds', { orderId, refundId: 'RF-00000001', amountFen: 580, reason: '退' }),
    ).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
    expect(await write('/payment/v1/orders/close', { orderId })).toMatchObject({
      status: 404,
      code: 'ORDER_NOT_FOUND',
    });
  });

  it.each([
    [{ orderId: 'short' }, { orderId: '业务订单号格式不正确，应为 8 到 64 位字母、数字、下划线或短横线' }],
    [{ amountFen: 0 }, { amountFen: '金额（分）不能小于 1' }],
    [{ amountFen: 5.8 }, { amountFen: '金额（分）的类型不对' }],
    [{ amountFen: 10_000_001 }, { amountFen: '金额（分）不能大于 10000000' }],
    [{ subject: '' }, { subject: '请填写商品说明' }],
    [
      { notifyUrl: 'ftp://127.0.0.1/notify' },
      { notifyUrl: '支付结果通知地址格式不正确，应为以 http:// 或 https:// 开头的完整网址' },
    ],
    [{ returnUrl: 'http://' }, { returnUrl: expect.stringContaining('支付后返回地址') }],
  ])('answers %j with 400 naming the field in Chinese', async (change, fields) => {
    const body = {
      orderId: newOrderId(),
      amountFen: 580,
      subject: '社会保障卡邮寄费',
      notifyUrl: `${receiverUrl}/n`,
      returnUrl: RETURN_URL,
      ...change,
    };
    const outcome = await write('/payment/v1/orders', body);
    expect(outcome).toMatchObject({ kind: 'error', status: 400, code: 'VALIDATION_FAILED', fields });
  });
});

describe('the OpenAPI document', () => {
  it('lists every operation', async () => {
    const doc = (await (await fetch(`${sim.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(operations.sort()).toEqual(paymentSimulator.routes.map((r) => r.operationId).sort());
    expect(operations).toHaveLength(4);
  });
});
