// The host app's payment sheet (mini-program): each order carries signed
// parameters for it, and the host's confirmation pays the order once, through
// the same notification as the cashier page.
import { randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PAYMENT_CREATE_ORDER_REPLY,
  PAYMENT_HOST_PAY_PARAMS,
  PAYMENT_HOST_PAY_REPLY,
  type PaymentCreateOrderReply,
  type PaymentHostPayParams,
  type PaymentOrderReply,
} from '@flexins/shared';
import { check, signatureMatches, type CallOutcome } from '@flexins/shared/server';
import { startSimulator } from '../../common/run';
import { useTestSimulator } from '../../test-support';
import { paymentSimulator } from '../index';

const NOTIFY_SECRET = 'payment-notify-secret-host';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { orderId: string; [key: string]: unknown };
}

const received: Received[] = [];
let receiverUrl = '';
const receiver = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  req.on('end', () => {
    received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
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
  options: { NOTIFY_SECRET, NOTIFY_RETRY_BASE_MS: '10' },
});

function ok<T>(outcome: CallOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.body;
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

async function createOrder(): Promise<PaymentCreateOrderReply> {
  const orderId = `CARD-HOST-${randomUUID().slice(0, 12)}`;
  return ok(
    await sim.client.post<PaymentCreateOrderReply>(
      '/payment/v1/orders',
      {
        orderId,
        amountFen: 580,
        subject: '社会保障卡邮寄费',
        notifyUrl: `${receiverUrl}/notify/${orderId}`,
        returnUrl: 'http://127.0.0.1:5173/pages/review/index',
      },
      { idempotencyKey: randomUUID() },
    ),
  );
}

/** The host app's payment sheet, confirmed by the citizen. */
async function hostPay(params: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sim.url}/host/v1/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: await response.json() };
}

const queryOrder = async (orderId: string) =>
  ok(await sim.client.post<PaymentOrderReply>('/payment/v1/order-queries', { orderId }));

const orderRecord = async (orderId: string) => (await sim.records('orders')).find((o) => o.orderId === orderId);

const delivered = (orderId: string) =>
  eventually(async () => {
    const order = await orderRecord(orderId);
    return order?.notifyState === 'delivered' && order;
  });

describe('the host payment parameters', () => {
  it('come with each order, in the shape the payment sheet takes, and the same on a replayed create', async () => {
    const key = randomUUID();
    const body = {
      orderId: `CARD-HOST-${randomUUID().slice(0, 12)}`,
      amountFen: 580,
      subject: '社会保障卡邮寄费',
      notifyUrl: `${receiverUrl}/notify/x`,
      returnUrl: 'http://127.0.0.1:5173/pages/review/index',
    };
    const created = ok(
      await sim.client.post<PaymentCreateOrderReply>('/payment/v1/orders', body, { idempotencyKey: key }),
    );
    expect(check(PAYMENT_CREATE_ORDER_REPLY, created)).toMatchObject({ ok: true });
    expect(check(PAYMENT_HOST_PAY_PARAMS, created.payParams)).toMatchObject({ ok: true });
    expect(created.payParams).toEqual({
      timeStamp: expect.stringMatching(/^\d{10}$/),
      nonceStr: expect.stringMatching(/^[0-9a-f]{32}$/),
      package: expect.stringMatching(/^prepay_id=wx[0-9a-f]{32}$/),
      signType: 'HMAC-SHA256',
      paySign: expect.stringMatching(/^[0-9A-F]{64}$/),
    });
    expect(Math.abs(Number(created.payParams.timeStamp) * 1000 - Date.now())).toBeLessThan(60_000);

    const replay = ok(
      await sim.client.post<PaymentCreateOrderReply>('/payment/v1/orders', body, { idempotencyKey: key }),
    );
    expect(replay.payParams).toEqual(created.payParams);
  });

  it('differ from order to order', async () => {
    const [a, b] = [await createOrder(), await createOrder()];
    expect(a.payParams.package).not.toBe(b.payParams.package);
    expect(a.payParams.paySign).not.toBe(b.payParams.paySign);
  });
});

describe('paying in the host payment sheet', () => {
  it('pays the order once and notifies the caller exactly as the cashier page does', async () => {
    const created = await createOrder();

    const paid = await hostPay(created.payParams);

    expect(paid.status).toBe(200);
    expect(check(PAYMENT_HOST_PAY_REPLY, paid.body)).toMatchObject({ ok: true });
    expect(paid.body).toMatchObject({
      orderId: created.orderId,
      paymentOrderNo: created.paymentOrderNo,
      status: 'paid',
      amountFen: 580,
      alreadyPaid: false,
    });
    expect(await queryOrder(created.orderId)).toMatchObject({ status: 'paid', paidAt: paid.body.paidAt });
    const order = await delivered(created.orderId);
    expect(order.notifications).toHaveLength(1);
    const notices = received.filter((r) => r.body.orderId === created.orderId);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.headers['idempotency-key']).toBe(`${created.paymentOrderNo}:paid`);
    expect(
      signatureMatches(
        NOTIFY_SECRET,
        {
          method: 'POST',
          path: `/notify/${created.orderId}`,
          timestamp: notices[0]!.headers['x-timestamp'] as string,
          nonce: notices[0]!.headers['x-nonce'] as string,
          body: notices[0]!.raw,
        },
        notices[0]!.headers['x-signature'] as string,
      ),
    ).toBe(true);
  });

  it('answers a second confirmation of a paid order as the first, says alreadyPaid, and charges nothing', async () => {
    const created = await createOrder();
    const first = await hostPay(created.payParams);

    const second = await hostPay(created.payParams);

    expect(second.status).toBe(200);
    expect(second.body).toEqual({ ...first.body, alreadyPaid: true });
    await delivered(created.orderId);
    expect((await orderRecord(created.orderId)).notifications).toHaveLength(1);
    expect(received.filter((r) => r.body.orderId === created.orderId)).toHaveLength(1);
  });

  it('charges once when the sheet and the cashier page confirm at the same time', async () => {
    const created = await createOrder();
    const answers = await Promise.all([
      hostPay(created.payParams),
      hostPay(created.payParams),
      fetch(`${sim.url}/cashier/${created.paymentOrderNo}/pay`, { method: 'POST', redirect: 'manual' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 303]);
    const firstTimers = [answers[0], answers[1]].filter((a) => !(a as { body: any }).body.alreadyPaid);
    expect(firstTimers.length).toBeLessThanOrEqual(1);
    const order = await delivered(created.orderId);
    expect(order.notifications).toHaveLength(1);
    expect((await sim.records('orders')).filter((o) => o.orderId === created.orderId)).toHaveLength(1);
  });

  it('takes a cashier-paid order as already paid', async () => {
    const created = await createOrder();
    await fetch(`${sim.url}/cashier/${created.paymentOrderNo}/pay`, { method: 'POST', redirect: 'manual' });
    const paid = await hostPay(created.payParams);
    expect(paid).toMatchObject({ status: 200, body: { alreadyPaid: true, status: 'paid' } });
  });

  it.each([
    [
      'a changed signature',
      (p: PaymentHostPayParams) => ({ ...p, paySign: p.paySign.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }),
    ],
    ['a changed time stamp', (p: PaymentHostPayParams) => ({ ...p, timeStamp: String(Number(p.timeStamp) + 1) })],
    ['a made-up prepay id', (p: PaymentHostPayParams) => ({ ...p, package: `prepay_id=wx${'0'.repeat(32)}` })],
  ])('refuses %s with PAY_SIGN_INVALID in Chinese, and the order stays unpaid', async (_, forge) => {
    const created = await createOrder();
    const refused = await hostPay(forge(created.payParams));
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({
      code: 'PAY_SIGN_INVALID',
      message: expect.stringContaining('签名不符'),
    });
    expect((await queryOrder(created.orderId)).status).toBe('created');
  });

  it("refuses one order's signature with another order's prepay id", async () => {
    const [mine, other] = [await createOrder(), await createOrder()];
    const refused = await hostPay({ ...mine.payParams, package: other.payParams.package });
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'PAY_SIGN_INVALID' } } });
    expect((await queryOrder(other.orderId)).status).toBe('created');
  });

  it('refuses a closed order with ORDER_NOT_PAYABLE', async () => {
    const created = await createOrder();
    ok(
      await sim.client.post('/payment/v1/orders/close', { orderId: created.orderId }, { idempotencyKey: randomUUID() }),
    );
    const refused = await hostPay(created.payParams);
    expect(refused).toMatchObject({
      status: 409,
      body: { error: { code: 'ORDER_NOT_PAYABLE', message: expect.stringContaining('已关闭') } },
    });
    expect((await queryOrder(created.orderId)).status).toBe('closed');
  });

  it.each([
    [{ paySign: 'abc' }, { paySign: expect.stringContaining('支付签名') }],
    [{ package: 'prepay_id=' }, { package: expect.stringContaining('预支付交易标识') }],
    [{ signType: 'MD5' }, { signType: expect.stringContaining('签名方式') }],
    [{ timeStamp: 1234567890 }, { timeStamp: expect.stringContaining('时间戳') }],
  ])('answers %j with 400 naming the field in Chinese', async (change, fields) => {
    const created = await createOrder();
    const refused = await hostPay({ ...created.payParams, ...change });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', fields } } });
  });

  it('keeps its signing key across a restart: parameters issued before still pay', async () => {
    const created = await createOrder();
    const settings = await sim.running.deps.db.collection('settings').countDocuments();
    expect(settings).toBe(1);
    // A second payment system on the same database (as after a restart) takes them.
    const again = await startSimulator(paymentSimulator, { ...sim.running.deps.config, port: 0 });
    try {
      const response = await fetch(`${again.url}/host/v1/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(created.payParams),
      });
      expect(response.status).toBe(200);
    } finally {
      await again.stop();
    }
  });
});
