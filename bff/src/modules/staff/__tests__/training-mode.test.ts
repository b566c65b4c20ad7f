// Training mode (培训模式) against simulator processes, a BFF process and
// FerretDB: a training account serves training people and training cases
// only, a real account never them; every refusal is audited. Supervisors
// clear a region's training data; the dashboard counts a premium awaiting
// payment (待缴费) apart from done.
import { randomBytes, randomUUID } from 'node:crypto';
import { NOTICE } from '@flexins/shared';
import mongoose, { type Connection } from 'mongoose';
import { findPerson, type RosterPerson } from '../../../../simulators/roster';
import { STAFF_ACCOUNTS } from '../../../../simulators/identity/staff';
import type { Service } from '../../../../../scripts/lib/services';
import { Citizen } from '../../../../../tests/support/citizen';
import { enroll, makePeople } from '../../../../../tests/support/people';
import { startBffProcess, startStack, type Stack } from '../../../../../tests/support/stack';

jest.setTimeout(240_000);

let stack: Stack;
let bff: Service;
let db: Connection;
const tokens: Record<string, string> = {};

interface Reply {
  status: number;
  body: any;
}

async function call(token: string | undefined, method: string, path: string, body?: unknown, headers = {}) {
  const response = await fetch(`${bff.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text } as Reply;
}

const as =
  (username: string) =>
  (method: string, path: string, body?: unknown, headers = {}) =>
    call(tokens[username], method, path, body, headers);

const [real] = makePeople(1, 131) as [RosterPerson];
const rider = findPerson('training-delivery-rider')!; // 西夏区, in 银川市 (6401)
const stall = findPerson('training-breakfast-stall')!; // 红寺堡区, in 吴忠市 (6403)
const masked = (idNumber: string) => `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`;
let citizen: Citizen;
let realFace: string;
let realOrder: string;
const caseNos: Record<'real' | 'rider' | 'stall', string> = { real: '', rider: '', stall: '' };

async function applyAtWindow(clerk: string, person: RosterPerson): Promise<string> {
  const act = as(clerk);
  const visit = await act('POST', '/api/staff/window/visits', { idNumber: person.idNumber });
  expect(visit.status).toBe(201);
  const visitId = visit.body.visitId as string;
  const answers = { employmentType: person.employmentType, wantsBackPayment: false, wantsSpecialPayment: false };
  expect((await act('POST', '/api/staff/window/eligibility', { visitId, answers })).body.eligible).toBe(true);
  const face = await act('POST', '/api/staff/window/face-checks', { visitId }, { 'idempotency-key': randomUUID() });
  const order = await act('POST', '/api/staff/window/postage-orders', { visitId });
  expect(order.status).toBe(201);
  expect((await fetch(`${order.body.cashierUrl}/pay`, { method: 'POST', redirect: 'manual' })).status).toBe(303);
  const form = new Citizen(bff.url, '', person).form({
    faceCheckId: face.body.checkId,
    noticeVersion: NOTICE.version,
    postageOrderId: order.body.orderId,
    withCard: true,
  });
  const submitted = await act(
    'POST',
    '/api/staff/window/applications',
    { visitId, form },
    { 'idempotency-key': randomUUID() },
  );
  expect(submitted.status).toBe(201);
  return submitted.body.caseNo as string;
}

const refusals = async (staffId: string) =>
  (await as('nx.supervisor')('GET', `/api/staff/audit-entries?staffId=${staffId}&action=trainingRefused`)).body.entries;

beforeAll(async () => {
  stack = await startStack({ label: 'training' });
  bff = await startBffProcess(stack, { LOG_LEVEL: 'error' });
  db = await mongoose.createConnection(stack.bffEnv.MONGODB_URI!).asPromise();
  await enroll(stack, [real]);
  for (const username of [
    'xq.clerk',
    'yc.agent',
    'nx.supervisor',
    'gy.supervisor',
    'train.clerk',
    'train.agent',
    'train.supervisor',
  ]) {
    const account = STAFF_ACCOUNTS.find((a) => a.username === username)!;
    const reply = await call(undefined, 'POST', '/api/staff/sessions', { username, password: account.password });
    expect(reply.status).toBe(201);
    tokens[username] = reply.body.token;
  }
  citizen = new Citizen(bff.url, stack.simulators.urls.identity, real);
  await citizen.signIn();
  realFace = (await citizen.faceCheck()).body.checkId;
  await citizen.eligibility();
  realOrder = await citizen.payPostage();
  const submitted = await citizen.submit(
    citizen.form({ faceCheckId: realFace, noticeVersion: NOTICE.version, postageOrderId: realOrder, withCard: true }),
  );
  expect(submitted.status).toBe(201);
  caseNos.real = submitted.body.caseNo;
  caseNos.rider = await applyAtWindow('train.clerk', rider);
  caseNos.stall = await applyAtWindow('train.clerk', stall);
  await citizen.waitForCase(caseNos.real, (v) => v.status === 'awaitingPayment');
});

afterAll(async () => {
  await db?.close();
  await bff?.stop();
  await stack?.stop();
});

describe('a training account serves training people only', () => {
  it('refuses a training clerk reading a real citizen at the window, and a real clerk a training person, audited', async () => {
    const trainee = await as('train.clerk')('POST', '/api/staff/window/visits', { idNumber: real.idNumber });
    expect(trainee).toMatchObject({
      status: 403,
      body: { error: { code: 'TRAINING_ONLY', message: expect.stringContaining('培训账号只能办理培训人员的业务') } },
    });
    const clerk = await as('xq.clerk')('POST', '/api/staff/window/visits', { idNumber: rider.idNumber });
    expect(clerk).toMatchObject({ status: 403, body: { error: { code: 'TRAINING_PERSON' } } });
    expect(await db.collection('window_visits').countDocuments({ clerkId: 'S0001' })).toBe(0);

    const [refused] = await refusals('S0101');
    expect(refused).toMatchObject({ training: true, target: `idNumber:${masked(real.idNumber)}` });
    expect(refused.detail).toMatch(/^窗口读取身份信息：培训账号不能办理真实群众的业务/);
    expect(JSON.stringify(await refusals('S0101'))).not.toContain(real.idNumber);
    expect((await refusals('S0001'))[0]).toMatchObject({
      training: false,
      target: `idNumber:${masked(rider.idNumber)}`,
    });
  });

  it('refuses a training clerk taking a payment or submitting for a real person, even on a visit holding one', async () => {
    // A visit opened before the identity was checked for training: the training clerk with the real person.
    const realCase = await db.collection('cases').findOne({ _id: caseNos.real as any });
    const visitId = `CK${randomBytes(12).toString('hex')}`;
    const now = new Date();
    await db.collection('window_visits').insertOne({
      _id: visitId as any,
      clerkId: 'S0101',
      applicantId: realCase!.applicantId,
      training: true,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 3600_000),
    });
    const ordersBefore = await db.collection('postage_orders').countDocuments({ applicantId: realCase!.applicantId });

    const order = await as('train.clerk')('POST', '/api/staff/window/postage-orders', { visitId });
    expect(order).toMatchObject({ status: 403, body: { error: { code: 'TRAINING_ONLY' } } });
    const form = citizen.form({
      faceCheckId: realFace,
      noticeVersion: NOTICE.version,
      postageOrderId: realOrder,
      withCard: true,
    });
    const submitted = await as('train.clerk')(
      'POST',
      '/api/staff/window/applications',
      { visitId, form },
      { 'idempotency-key': randomUUID() },
    );
    expect(submitted).toMatchObject({ status: 403, body: { error: { code: 'TRAINING_ONLY' } } });

    expect(await db.collection('postage_orders').countDocuments({ applicantId: realCase!.applicantId })).toBe(
      ordersBefore,
    );
    expect(await db.collection('cases').countDocuments({ applicantId: realCase!.applicantId })).toBe(1);
    const details = (await refusals('S0101')).map((e: any) => e.detail);
    expect(details.filter((d: string) => d.startsWith('窗口代为提交申请：'))).toHaveLength(2);
  });

  it('refuses a training agent reading, revealing or noting a real case, and a real agent a training case', async () => {
    const path = `/api/staff/cases/${caseNos.real}`;
    for (const [method, tail, body] of [
      ['GET', '', undefined],
      // 'business' passes as a chosen reason and as a written one.
      ['POST', '/reveals', { field: 'phone', reason: 'business' }],
      ['POST', '/notes', { text: '培训备注' }],
    ] as const) {
      const reply = await as('train.agent')(method, `${path}${tail}`, body);
      expect({ tail, status: reply.status, code: reply.body.error?.code }).toEqual({
        tail,
        status: 403,
        code: 'TRAINING_ONLY',
      });
    }
    expect(JSON.stringify(await db.collection('case_notes').findOne({ _id: caseNos.real as any }))).not.toContain(
      '培训备注',
    );
    const real = await as('yc.agent')('GET', `/api/staff/cases/${caseNos.rider}`);
    expect(real).toMatchObject({ status: 403, body: { error: { code: 'TRAINING_PERSON' } } });
    const trail = (await refusals('S0102')).map((e: any) => [e.caseNo, e.detail.split('：')[0]]);
    expect(trail).toEqual(
      expect.arrayContaining([
        [caseNos.real, '查看办件'],
        [caseNos.real, '查看完整信息'],
        [caseNos.real, '添加备注'],
      ]),
    );
  });

  it('lists no training case to a real account unless a supervisor asks for training data', async () => {
    const ids = (reply: Reply) => reply.body.cases.map((c: any) => c.caseNo);
    expect(ids(await as('yc.agent')('GET', `/api/staff/cases?idNumber=${rider.idNumber}`))).toEqual([]);
    expect(ids(await as('yc.agent')('GET', `/api/staff/cases?caseNo=${caseNos.rider}`))).toEqual([]);
    expect(ids(await as('nx.supervisor')('GET', `/api/staff/cases?caseNo=${caseNos.rider}`))).toEqual([]);
    const asked = await as('nx.supervisor')('GET', `/api/staff/cases?caseNo=${caseNos.rider}&training=true`);
    expect(ids(asked)).toEqual([caseNos.rider]);
    expect(asked.body.cases[0]).toMatchObject({ training: true });
    expect(ids(await as('nx.supervisor')('GET', `/api/staff/cases?caseNo=${caseNos.real}&training=true`))).toEqual([]);
    const agent = await as('yc.agent')('GET', `/api/staff/cases?caseNo=${caseNos.rider}&training=true`);
    expect(agent).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN', message: expect.stringMatching(/业务主管/) } },
    });
    // A training account finds training cases only, whatever it asks.
    expect(ids(await as('train.agent')('GET', `/api/staff/cases?idNumber=${real.idNumber}&training=false`))).toEqual(
      [],
    );
    expect(ids(await as('train.agent')('GET', `/api/staff/cases?idNumber=${rider.idNumber}`))).toEqual([caseNos.rider]);
  });
});

describe('the dashboard', () => {
  const premiumRow = (board: any) => board.byMatter.find((m: any) => m.matter === 'premiumDeclaration');

  it('counts a premium declared but unpaid as 待缴费, not done, and as done once paid', async () => {
    const before = (await as('nx.supervisor')('GET', '/api/staff/dashboard')).body;
    expect(before.totals).toMatchObject({ applications: 1, completed: 0, awaitingPayment: 1 });
    expect(premiumRow(before)).toMatchObject({ done: 0, awaitingPayment: 1 });
    expect(premiumRow(before).byChannel.app).toMatchObject({ done: 0, awaitingPayment: 1 });
    expect(before.byRegion.reduce((n: number, r: any) => n + r.awaitingPayment, 0)).toBe(1);

    expect((await citizen.payPremium(caseNos.real)).status).toBe(200);
    await citizen.waitForCase(caseNos.real, (v) => v.status === 'completed');
    // Confirming the same payment again counts nothing twice.
    expect((await citizen.call('POST', `/api/applications/${caseNos.real}/premium-payment`, {})).status).toBe(200);
    const after = (await as('nx.supervisor')('GET', '/api/staff/dashboard')).body;
    expect(after.totals).toMatchObject({ applications: 1, completed: 1, awaitingPayment: 0 });
    expect(premiumRow(after)).toMatchObject({ done: 1, awaitingPayment: 0 });
  });
});

describe('清除培训数据', () => {
  it('is for supervisors only, and only within their region', async () => {
    for (const username of ['yc.agent', 'train.agent', 'train.clerk', 'xq.clerk']) {
      expect({ username, status: (await as(username)('POST', '/api/staff/training/clearances', {})).status }).toEqual({
        username,
        status: 403,
      });
    }
    const elsewhere = await as('gy.supervisor')('POST', '/api/staff/training/clearances', { regionCode: '6401' });
    expect(elsewhere).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const own = await as('gy.supervisor')('POST', '/api/staff/training/clearances', {});
    expect(own).toMatchObject({ status: 200, body: { regionCode: '6404', cases: 0 } });
    expect(await db.collection('cases').countDocuments({ training: true })).toBe(2);
  });

  it("clears a region's training cases and what hangs off them, once, audited, leaving real data and the counts alone", async () => {
    expect(
      (await as('train.agent')('POST', `/api/staff/cases/${caseNos.rider}/notes`, { text: '培训练习备注' })).status,
    ).toBe(201);
    const riderCase = await db.collection('cases').findOne({ _id: caseNos.rider as any });
    const board = (await as('nx.supervisor')('GET', '/api/staff/dashboard')).body;
    const realOrders = await db
      .collection('postage_orders')
      .countDocuments({ applicantId: { $ne: riderCase!.applicantId } });

    const cleared = await as('nx.supervisor')('POST', '/api/staff/training/clearances', { regionCode: '6401' });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({
      regionCode: '6401',
      cases: 1,
      caseData: 1,
      notes: 1,
      windowVisits: 2,
      orders: 1,
    });
    const byRider = { _id: caseNos.rider as any };
    for (const collection of ['cases', 'case_data', 'jobs', 'follow_ups', 'case_notes']) {
      expect({ collection, left: await db.collection(collection).countDocuments(byRider) }).toEqual({
        collection,
        left: 0,
      });
    }
    expect(await db.collection('postage_orders').countDocuments({ applicantId: riderCase!.applicantId })).toBe(0);
    // 吴忠's training case, the real case and its orders, and the dashboard are as they were.
    expect(await db.collection('cases').countDocuments({ _id: caseNos.stall as any })).toBe(1);
    expect(await db.collection('cases').countDocuments({ _id: caseNos.real as any })).toBe(1);
    expect(await db.collection('postage_orders').countDocuments({ applicantId: { $ne: riderCase!.applicantId } })).toBe(
      realOrders,
    );
    expect((await as('nx.supervisor')('GET', '/api/staff/dashboard')).body.totals).toEqual(board.totals);

    const [entry] = (await as('nx.supervisor')('GET', '/api/staff/audit-entries?action=clearTraining&staffId=S0005'))
      .body.entries;
    expect(entry).toMatchObject({ role: 'supervisor', target: 'region:6401', at: expect.any(String) });
    expect(entry.detail).toMatch(/^培训办件 1 件（申请数据 1 份，.*备注 1 份）.*窗口受理 2 次，培训人员缴费订单 1 笔$/);

    const again = await as('nx.supervisor')('POST', '/api/staff/training/clearances', { regionCode: '6401' });
    expect(again.body).toMatchObject({
      cases: 0,
      caseData: 0,
      jobs: 0,
      followUps: 0,
      notes: 0,
      windowVisits: 0,
      orders: 0,
    });

    // The training supervisor (the whole region) clears the rest after class.
    const rest = await as('train.supervisor')('POST', '/api/staff/training/clearances', {});
    expect(rest.body).toMatchObject({ regionCode: '64', cases: 1 });
    expect(await db.collection('cases').countDocuments({ training: true })).toBe(0);
    expect(await db.collection('cases').countDocuments({})).toBe(1);
  });
});
