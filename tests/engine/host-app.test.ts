// The mini-program's two host-app steps end to end, against real simulator
// processes, a real BFF process and FerretDB: the postage paid in the host's
// payment sheet (charged once, learnt by the signed notification, good for
// the card), and the face check confirmed from the host face SDK's token.
import { randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { NOTICE, PAYMENT_HOST_PAY_PARAMS } from '@flexins/shared';
import { check } from '@flexins/shared/server';
import { findPerson } from '../../bff/simulators/roster';
import type { Service } from '../../scripts/lib/services';
import { Citizen, atRest, hostFaceVerifyResult, payInHostSheet } from '../support/citizen';
import { startBffProcess, startStack, type Stack } from '../support/stack';

let stack: Stack;
let bff: Service;
const bffLines: string[] = [];
/** Everything secret the host steps handed around: none of it may reach a log line. */
const secrets: string[] = [];

beforeAll(async () => {
  stack = await startStack({ label: 'host' });
  // Every line, down to debug, so "never logged" covers all the BFF writes.
  bff = await startBffProcess(stack, { LOG_LEVEL: 'debug' }, (line) => {
    bffLines.push(line);
    if (line.includes('"level":"error"')) process.stderr.write(`[BFF] ${line}\n`);
  });
});

afterAll(async () => {
  await bff?.stop();
  await stack?.stop();
});

const person = (key: string) => {
  const found = findPerson(key);
  if (!found) throw new Error(`no roster person ${key}`);
  return found;
};

async function signedIn(key: string): Promise<Citizen> {
  const citizen = new Citizen(bff.url, stack.simulators.urls.identity, person(key));
  await citizen.signIn();
  return citizen;
}

/** The host face SDK's result token for this roster person. */
async function faceToken(key: string): Promise<string> {
  const token = await hostFaceVerifyResult(
    { url: stack.simulators.urls.identity, callerId: 'bff', secret: stack.simulators.secrets.bff.identity },
    key,
  );
  secrets.push(token);
  return token;
}

async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The BFF's own record of a postage order, read from its database (no call that would ask the payment system). */
async function bffPostageRecord(orderId: string): Promise<any> {
  const connection = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  try {
    return await connection
      .useDb(stack.dbName)
      .collection('postage_orders')
      .findOne({ _id: orderId as any });
  } finally {
    await connection.close();
  }
}

const paymentRecords = async (orderId: string) =>
  (await stack.records('payment', 'orders')).filter((o: any) => o.orderId === orderId);

describe('the eligible street vendor in the mini-program', () => {
  let vendor: Citizen;
  let orderId = '';
  let payParams: any;
  let faceCheckId = '';
  let firstPaidAt = '';

  beforeAll(async () => {
    vendor = await signedIn('eligible-vendor');
  });

  it('passes the face check with the token the host face SDK gave', async () => {
    const token = await faceToken('eligible-vendor');

    const face = await vendor.faceCheckWith({ verifyResult: token });

    expect(face).toMatchObject({ status: 201, body: { passed: true, checkId: expect.stringMatching(/^RL\d{14}$/) } });
    faceCheckId = face.body.checkId;
    const me = await vendor.call('GET', '/api/me');
    expect(me.body.faceCheck).toMatchObject({ passed: true, checkId: faceCheckId });
    const confirmed = await stack.records('identity', 'face_checks', vendor.person.idNumber);
    expect(confirmed.filter((r: any) => r.checkId === faceCheckId)).toMatchObject([{ hostResult: true }]);
    // Eligibility too: no money is taken before both checks stand.
    expect((await vendor.eligibility()).body.eligible).toBe(true);
  });

  it('gets the payment sheet’s signed parameters with its postage order, and the same again while unpaid', async () => {
    const order = await vendor.call('POST', '/api/postage-orders', { returnUrl: `${bff.url}/pages/review/index` });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ status: 'created', amountFen: 580 });
    expect(check(PAYMENT_HOST_PAY_PARAMS, order.body.payParams)).toMatchObject({ ok: true });
    orderId = order.body.orderId;
    payParams = order.body.payParams;
    secrets.push(payParams.paySign, payParams.package, payParams.nonceStr);

    const again = await vendor.call('GET', `/api/postage-orders/${orderId}`);
    expect(again.body).toMatchObject({ status: 'created', payParams });
    const tappedAgain = await vendor.call('POST', '/api/postage-orders', {
      returnUrl: `${bff.url}/pages/review/index`,
    });
    expect(tappedAgain.body).toMatchObject({ orderId, payParams });
  });

  it("is not shown to another citizen, who gets 404 and nothing of the order's parameters", async () => {
    const other = await signedIn('part-time-worker');
    const peek = await other.call('GET', `/api/postage-orders/${orderId}`);
    expect(peek.status).toBe(404);
    const text = JSON.stringify(peek.body);
    for (const secret of [payParams.paySign, payParams.package, payParams.nonceStr]) expect(text).not.toContain(secret);
  });

  it('pays once in the host sheet; the payment system charges once and the BFF learns it by the signed notification', async () => {
    const paid = await payInHostSheet(stack.simulators.urls.payment, payParams);

    expect(paid).toMatchObject({ status: 200, body: { orderId, status: 'paid', amountFen: 580, alreadyPaid: false } });
    firstPaidAt = paid.body.paidAt;
    // The notification reached the BFF and it took it (a 2xx), before anyone asked about the order.
    const [order] = await eventually(async () => {
      const records = await paymentRecords(orderId);
      return records[0]?.notifyState === 'delivered' && records;
    });
    expect(order.notifications).toMatchObject([{ ok: true, status: 200 }]);
    expect(await bffPostageRecord(orderId)).toMatchObject({ status: 'paid' });

    const status = await vendor.call('GET', `/api/postage-orders/${orderId}`);
    expect(status.body).toMatchObject({ orderId, status: 'paid' });
    expect(status.body.payParams).toBeUndefined();
  });

  it('takes a second confirmation of the same prepay id as the first, charging nothing (idempotent)', async () => {
    const again = await payInHostSheet(stack.simulators.urls.payment, payParams);

    expect(again).toMatchObject({
      status: 200,
      body: { orderId, status: 'paid', alreadyPaid: true, paidAt: firstPaidAt },
    });
    const records = await paymentRecords(orderId);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'paid', amountFen: 580 });
    expect(records[0].notifications).toHaveLength(1);
    const paidAt = (await vendor.call('GET', `/api/postage-orders/${orderId}`)).body.paidAt;
    expect(Date.parse(paidAt)).toBe(Date.parse(firstPaidAt));
  });

  it('submits with the host-paid postage and gets the card matter done', async () => {
    const verdict = await vendor.eligibility();
    expect(verdict.body.eligible).toBe(true);
    const submitted = await vendor.submit(
      vendor.form({ faceCheckId, noticeVersion: NOTICE.version, postageOrderId: orderId, withCard: true }),
    );
    expect(submitted.status).toBe(201);

    const view = await vendor.waitForCase(submitted.body.caseNo, atRest);
    const card = view.matters.find((m: any) => m.id === 'socialSecurityCard');
    expect(card).toMatchObject({ state: 'delivered', refs: { cardApplicationNo: expect.stringMatching(/^SB/) } });
    expect(view.postage).toMatchObject({ amountFen: 580, paid: true });
    expect(await stack.records('hrss', 'card_applications', vendor.person.idNumber)).toHaveLength(1);
    expect((await stack.records('payment', 'orders')).filter((o: any) => o.status === 'paid')).toHaveLength(1);
  });

  it('repeats a face check whose reply was lost (same attempt, same token) as the same check', async () => {
    const token = await faceToken('eligible-vendor');
    const attempt = randomUUID();
    const first = await vendor.faceCheckWith({ verifyResult: token }, attempt);
    const repeat = await vendor.faceCheckWith({ verifyResult: token }, attempt);
    expect(first.status).toBe(201);
    expect(repeat).toMatchObject({ status: 201, body: { checkId: first.body.checkId, passed: true } });
  });

  it('refuses a token used before, with a plain Chinese reason', async () => {
    const token = await faceToken('eligible-vendor');
    expect((await vendor.faceCheckWith({ verifyResult: token })).status).toBe(201);

    const reused = await vendor.faceCheckWith({ verifyResult: token });

    expect(reused).toMatchObject({ status: 422, body: { error: { code: 'FACE_CHECK_UNAVAILABLE' } } });
    expect(reused.body.error.message).toContain('已经用过');
  });

  it('refuses a forged token, with a plain Chinese reason', async () => {
    const forged = await vendor.faceCheckWith({ verifyResult: randomBytes(32).toString('base64url') });
    expect(forged).toMatchObject({ status: 422, body: { error: { code: 'FACE_CHECK_UNAVAILABLE' } } });
    expect(forged.body.error.message).toContain('无效');
  });
});

describe('the face check body', () => {
  let worker: Citizen;
  beforeAll(async () => {
    worker = await signedIn('part-time-worker');
  });

  it.each([
    [{ verifyResult: 'short' }, { verifyResult: expect.stringContaining('人脸核验结果凭证') }],
    [{ verifyResult: 12345 }, { verifyResult: expect.stringContaining('人脸核验结果凭证') }],
    [{ verifyResult: 'x'.repeat(40), camera: 'on' }, { camera: expect.stringContaining('不认识的字段“camera”') }],
  ])('answers %j with 400 naming the field in Chinese', async (body, fields) => {
    const reply = await worker.faceCheckWith(body);
    expect(reply).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', fields } } });
  });

  it('still works without a body (H5’s simulated camera step)', async () => {
    expect(await worker.faceCheck()).toMatchObject({ status: 201, body: { passed: true } });
  });

  it("refuses another person's token", async () => {
    const vendorsToken = await faceToken('eligible-vendor');
    const stolen = await worker.faceCheckWith({ verifyResult: vendorsToken });
    expect(stolen).toMatchObject({ status: 422, body: { error: { code: 'FACE_CHECK_UNAVAILABLE' } } });
    expect(stolen.body.error.message).toContain('不一致');
  });

  it("gives the host's 'no match' with the reason and where to go", async () => {
    const fails = await signedIn('face-check-fails');
    const face = await fails.faceCheckWith({ verifyResult: await faceToken('face-check-fails') });
    expect(face).toMatchObject({ status: 201, body: { passed: false } });
    expect(face.body.reason).toContain('窗口');
  });
});

describe('the logs', () => {
  it('never hold the payment parameters or a face token', () => {
    expect(secrets.length).toBeGreaterThan(4);
    expect(bffLines.length).toBeGreaterThan(10);
    const leaked = bffLines.filter((line) => secrets.some((secret) => line.includes(secret)));
    expect(leaked).toEqual([]);
  });
});
