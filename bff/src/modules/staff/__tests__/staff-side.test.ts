// The staff side end to end, against simulator processes, a BFF process and
// FerretDB: who may do what, the audit trail and its chain, masking, the
// dashboard against counts made from the cases, and the problem list.
import { randomUUID } from 'node:crypto';
import {
  IDENTITY_STAFF_ROLE_LABELS,
  MATTERS,
  NOTICE,
  addWorkingDays,
  chinaToday,
  isWeekend,
  maskName,
  type MatterId,
} from '@flexins/shared';
import ExcelJS from 'exceljs';
import mongoose, { type Connection } from 'mongoose';
import { findPerson, type RosterPerson } from '../../../../simulators/roster';
import { STAFF_ACCOUNTS } from '../../../../simulators/identity/staff';
import type { Service } from '../../../../../scripts/lib/services';
import { Citizen } from '../../../../../tests/support/citizen';
import { enroll, makePeople } from '../../../../../tests/support/people';
import { startBffProcess, startStack, type Stack } from '../../../../../tests/support/stack';
import { dueDate } from '../../supervision/daily-summary.service';

jest.setTimeout(240_000);

let stack: Stack;
let bff: Service;
let db: Connection;
const tokens: Record<string, string> = {};
/** Every staff reply except reveals, to look for unmasked values in. */
const staffReplies: string[] = [];

interface Reply {
  status: number;
  body: any;
}

async function call(
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers = {},
): Promise<Reply> {
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
  if (path.startsWith('/api/staff/') && !path.includes('/reveals')) staffReplies.push(text);
  return { status: response.status, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
}

const as =
  (username: string) =>
  (method: string, path: string, body?: unknown, headers = {}) =>
    call(tokens[username], method, path, body, headers);

async function signIn(username: string): Promise<void> {
  const account = STAFF_ACCOUNTS.find((a) => a.username === username)!;
  const reply = await call(undefined, 'POST', '/api/staff/sessions', { username, password: account.password });
  expect({ username, status: reply.status, body: reply.status === 201 ? 'ok' : reply.body }).toEqual({
    username,
    status: 201,
    body: 'ok',
  });
  tokens[username] = reply.body.token;
}

const people = makePeople(4, 61);
// Counties cycle 640104, 640105, 640106, 640121: people[0] is in 兴庆区, people[2] in 金凤区.
const [done, failing, refused, windowPerson] = people as [RosterPerson, RosterPerson, RosterPerson, RosterPerson];
const citizens: Record<string, Citizen> = {};
const caseNos: Record<string, string> = {};

async function medicalScript(person: RosterPerson, outcome: string, times: number, code?: string) {
  const reply = await stack.admin('medical', 'POST', '/admin/scripts', {
    idNumber: person.idNumber,
    operationId: undefined,
    outcome,
    times,
    ...(code ? { code } : {}),
  });
  expect(reply.status).toBe(201);
}

async function applyAsCitizen(person: RosterPerson, beforeSubmit?: () => Promise<void>): Promise<string> {
  const citizen = new Citizen(bff.url, stack.simulators.urls.identity, person);
  citizens[person.key] = citizen;
  await citizen.signIn();
  const face = await citizen.faceCheck();
  await citizen.eligibility();
  const postageOrderId = await citizen.payPostage();
  await beforeSubmit?.();
  const reply = await citizen.submit(
    citizen.form({ faceCheckId: face.body.checkId, noticeVersion: NOTICE.version, postageOrderId, withCard: true }),
  );
  expect(reply.status).toBe(201);
  return reply.body.caseNo as string;
}

/** The card's recipient at the window case: a relative, with a phone of their own. */
const RECIPIENT_PHONE = '13955501234';

/** A clerk's whole window visit for a person present; returns the case number. */
async function applyAtWindow(clerk: string, person: RosterPerson, recipientPhone?: string): Promise<string> {
  const act = as(clerk);
  const visit = await act('POST', '/api/staff/window/visits', { idNumber: person.idNumber });
  expect(visit.status).toBe(201);
  expect(visit.body.person.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  const visitId = visit.body.visitId as string;
  const verdict = await act('POST', '/api/staff/window/eligibility', {
    visitId,
    answers: { employmentType: person.employmentType, wantsBackPayment: false, wantsSpecialPayment: false },
  });
  expect(verdict.body.eligible).toBe(true);
  const face = await act('POST', '/api/staff/window/face-checks', { visitId }, { 'idempotency-key': randomUUID() });
  expect(face.status).toBe(201);
  const order = await act('POST', '/api/staff/window/postage-orders', { visitId });
  expect(order.status).toBe(201);
  const paid = await fetch(`${order.body.cashierUrl}/pay`, { method: 'POST', redirect: 'manual' });
  expect(paid.status).toBe(303);
  const form = new Citizen(bff.url, '', person).form({
    faceCheckId: face.body.checkId,
    noticeVersion: NOTICE.version,
    postageOrderId: order.body.orderId,
    withCard: true,
  });
  if (recipientPhone) (form as any).card.mailingAddress.phone = recipientPhone;
  const submitted = await act(
    'POST',
    '/api/staff/window/applications',
    { visitId, form },
    { 'idempotency-key': randomUUID() },
  );
  expect(submitted.status).toBe(201);
  expect(submitted.body).toMatchObject({ channel: 'window', clerkId: expect.stringMatching(/^S/) });
  return submitted.body.caseNo as string;
}

async function waitForCase(caseNo: string, done: (c: any) => boolean): Promise<any> {
  const deadline = Date.now() + 60_000;
  let delay = 50;
  for (;;) {
    const found = await db.collection('cases').findOne({ _id: caseNo as any });
    if (found && done(found)) return found;
    if (Date.now() > deadline) throw new Error(`case ${caseNo} did not settle: ${JSON.stringify(found?.matters)}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 400);
  }
}

const caseAtRest = (c: any) =>
  MATTERS.every((m) => {
    const s = c.matters[m.id].state;
    return (
      ['delivered', 'decided', 'notNeeded', 'rejected', 'manual'].includes(s) ||
      (s === 'waiting' && c.matters[m.id].cause)
    );
  });

beforeAll(async () => {
  stack = await startStack({ label: 'staff' });
  bff = await startBffProcess(stack, { MAX_ATTEMPTS: '2', RETRY_BASE_MS: '50', LOG_LEVEL: 'error' });
  db = await mongoose.createConnection(stack.bffEnv.MONGODB_URI!).asPromise();
  await enroll(stack, people);
  for (const username of [
    'xq.clerk',
    'xq.agent',
    'jf.agent',
    'yc.agent',
    'nx.supervisor',
    'gy.supervisor',
    'train.clerk',
    'train.agent',
  ]) {
    await signIn(username);
  }

  // A mixed batch: one done (and rated badly), one failing into manual handling,
  // one refused by the medical system, one at the window, one in training.
  caseNos.done = await applyAsCitizen(done);
  caseNos.failing = await applyAsCitizen(failing, () => medicalScript(failing, 'unavailable', 2));
  caseNos.refused = await applyAsCitizen(refused, () => medicalScript(refused, 'refuse', 1, 'EMPLOYER_NOT_ALLOWED'));
  // At 兴庆区's window, for a resident of 永宁县 (640121), the card sent to a relative's phone.
  caseNos.window = await applyAtWindow('xq.clerk', windowPerson, RECIPIENT_PHONE);
  caseNos.training = await applyAtWindow('train.clerk', findPerson('training-delivery-rider')!);

  for (const caseNo of Object.values(caseNos)) await waitForCase(caseNo, caseAtRest);
  const doneCitizen = citizens[done.key]!;
  const view = await doneCitizen.waitForCase(caseNos.done!, (v) => v.status === 'awaitingPayment');
  expect(view.matters.find((m: any) => m.id === 'premiumDeclaration').state).toBe('decided');
  expect((await doneCitizen.payPremium(caseNos.done!)).status).toBe(200);
  await doneCitizen.waitForCase(caseNos.done!, (v) => v.status === 'completed');
  expect(
    (await doneCitizen.call('POST', `/api/applications/${caseNos.done}/rating`, { score: 1, comment: '等了很久' }))
      .status,
  ).toBe(200);
});

afterAll(async () => {
  await db?.close();
  await bff?.stop();
  await stack?.stop();
});

describe('who may do what', () => {
  it('gives each role exactly its endpoints, and refuses a citizen token on staff endpoints', async () => {
    const caseNo = caseNos.done!;
    const endpoints: [string, string, unknown?][] = [
      ['GET', '/api/staff/me'],
      ['POST', '/api/staff/window/visits', { idNumber: '11010519491231002X' }],
      ['GET', `/api/staff/cases?caseNo=${caseNo}`],
      ['GET', `/api/staff/cases/${caseNo}`],
      ['POST', `/api/staff/cases/${caseNo}/reveals`, { field: 'phone', reason: 'business', note: '角色权限测试' }],
      ['POST', `/api/staff/cases/${caseNo}/notes`, { text: '角色权限测试' }],
      ['POST', `/api/staff/cases/${caseNo}/matters/medicalRegistration/retries`, { reason: '角色权限测试' }],
      [
        'POST',
        `/api/staff/cases/${caseNo}/matters/medicalRegistration/settlements`,
        { outcome: 'done', reference: 'X1', reason: '角色权限测试' },
      ],
      ['GET', '/api/staff/audit-entries'],
      ['GET', '/api/staff/audit-entries/verification'],
      ['GET', '/api/staff/dashboard'],
      ['GET', '/api/staff/problems'],
    ];
    // What each role may reach (a 4xx other than 401/403 means the role got past auth).
    const allowed: Record<string, string[]> = {
      'xq.clerk': ['GET /api/staff/me', 'POST /api/staff/window/visits'],
      'xq.agent': [
        'GET /api/staff/me',
        'GET /api/staff/cases?',
        'GET /api/staff/cases/',
        'POST /reveals',
        'POST /notes',
        'POST /retries',
      ],
      'nx.supervisor': [
        'GET /api/staff/me',
        'GET /api/staff/cases?',
        'GET /api/staff/cases/',
        'POST /reveals',
        'POST /notes',
        'POST /retries',
        'POST /settlements',
        'GET /api/staff/audit-entries',
        'GET /api/staff/audit-entries/verification',
        'GET /api/staff/dashboard',
        'GET /api/staff/problems',
      ],
    };
    const key = (method: string, path: string) => {
      if (path.includes('?')) return `${method} ${path.slice(0, path.indexOf('?') + 1)}`;
      const tail = path.match(/\/(reveals|notes|retries|settlements)$/);
      if (tail) return `${method} /${tail[1]}`;
      if (path.startsWith('/api/staff/cases/')) return `${method} /api/staff/cases/`;
      return `${method} ${path}`;
    };
    const citizenToken = citizens[done.key]!.token;
    const table: Record<string, Record<string, number>> = {};
    for (const [method, path, body] of endpoints) {
      const row: Record<string, number> = {};
      for (const username of Object.keys(allowed)) row[username] = (await as(username)(method, path, body)).status;
      row.citizen = (await call(citizenToken, method, path, body)).status;
      row.none = (await call(undefined, method, path, body)).status;
      table[key(method, path)] = row;
    }
    for (const [endpoint, row] of Object.entries(table)) {
      for (const [username, reachable] of Object.entries(allowed)) {
        const may = reachable.includes(endpoint);
        expect({ endpoint, username, refused: row[username] === 403 }).toEqual({ endpoint, username, refused: !may });
        if (may) expect([401, 403]).not.toContain(row[username]);
      }
      expect({ endpoint, citizen: row.citizen, none: row.none }).toEqual({ endpoint, citizen: 401, none: 401 });
    }
  });

  it('keeps a county agent to their own county', async () => {
    const xq = caseNos.done!; // 兴庆区
    expect((await as('xq.agent')('GET', `/api/staff/cases/${xq}`)).status).toBe(200);
    expect((await as('jf.agent')('GET', `/api/staff/cases?caseNo=${xq}`)).body).toEqual({ cases: [] });
    expect((await as('jf.agent')('GET', `/api/staff/cases/${xq}`)).status).toBe(404);
    expect((await as('jf.agent')('GET', `/api/staff/cases?idNumber=${done.idNumber}`)).body).toEqual({ cases: [] });
    // A city supervisor elsewhere (固原) does not see Yinchuan's case either.
    expect((await as('gy.supervisor')('GET', `/api/staff/cases/${xq}`)).status).toBe(404);
  });

  it("shows a case accepted at one county's window for a resident of another to both counties' agents", async () => {
    const stored = await db.collection('cases').findOne({ _id: caseNos.window as any });
    expect(stored).toMatchObject({ regionCode: '640121', windowRegionCode: '640104' });
    // 兴庆区 accepted it; the resident's county (永宁县, under 银川市) sees it too; 金凤区 does not.
    expect((await as('xq.agent')('GET', `/api/staff/cases/${caseNos.window}`)).status).toBe(200);
    expect((await as('yc.agent')('GET', `/api/staff/cases/${caseNos.window}`)).status).toBe(200);
    expect((await as('jf.agent')('GET', `/api/staff/cases/${caseNos.window}`)).status).toBe(404);
    const byId = await as('xq.agent')('GET', `/api/staff/cases?idNumber=${windowPerson.idNumber}`);
    expect(byId.body.cases.map((c: any) => c.caseNo)).toEqual([caseNos.window]);
  });

  it('keeps training accounts to training cases and real accounts to real ones', async () => {
    expect((await as('train.agent')('GET', `/api/staff/cases/${caseNos.training}`)).status).toBe(200);
    // Refused in so many words (training-mode.test.ts has the rest).
    expect((await as('train.agent')('GET', `/api/staff/cases/${caseNos.done}`)).status).toBe(403);
    expect((await as('xq.agent')('GET', `/api/staff/cases/${caseNos.training}`)).status).toBe(403);
  });
});

describe('look-up, reveal and the audit trail', () => {
  it('finds a case by case number, ID number and phone, masked, each look-up audited', async () => {
    const agent = as('xq.agent');
    for (const query of [`caseNo=${caseNos.done}`, `idNumber=${done.idNumber}`, `phone=${done.phone}`]) {
      const found = await agent('GET', `/api/staff/cases?${query}`);
      expect(found.status).toBe(200);
      expect(found.body.cases.map((c: any) => c.caseNo)).toEqual([caseNos.done]);
      expect(found.body.cases[0]).toMatchObject({
        idNumber: `${done.idNumber.slice(0, 6)}********${done.idNumber.slice(-4)}`,
        phone: `${done.phone.slice(0, 3)}****${done.phone.slice(-4)}`,
        applicantName: maskName(done.name),
      });
    }
    // The card's recipient phone finds the case too (a relative calling), hashed like the applicant's.
    const byRecipient = await agent('GET', `/api/staff/cases?phone=${RECIPIENT_PHONE}`);
    expect(byRecipient.body.cases.map((c: any) => c.caseNo)).toEqual([caseNos.window]);
    const stored = await db.collection('cases').findOne({ _id: caseNos.window as any });
    expect(stored!.mailingPhoneHash).toMatch(/^[0-9a-f]{16,}$/i);
    expect(JSON.stringify(stored)).not.toContain(RECIPIENT_PHONE);
    const trail = await as('nx.supervisor')('GET', '/api/staff/audit-entries?staffId=S0002&action=lookup');
    const targets = trail.body.entries.map((e: any) => e.target);
    expect(targets).toEqual(
      expect.arrayContaining([
        `caseNo:${caseNos.done}`,
        `idNumber:${done.idNumber.slice(0, 6)}********${done.idNumber.slice(-4)}`,
        `phone:${done.phone.slice(0, 3)}****${done.phone.slice(-4)}`,
      ]),
    );
  });

  it('reveals a full value only with a chosen reason, and records who, what and why, numbers in the note masked', async () => {
    const agent = as('xq.agent');
    const noReason = await agent('POST', `/api/staff/cases/${caseNos.done}/reveals`, { field: 'phone' });
    expect(noReason).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', fields: { reason: expect.stringMatching(/理由/) } } },
    });
    const otherWithoutNote = await agent('POST', `/api/staff/cases/${caseNos.done}/reveals`, {
      field: 'phone',
      reason: 'other',
    });
    expect(otherWithoutNote).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', fields: { note: expect.stringMatching(/说明/) } } },
    });
    const revealed = await agent('POST', `/api/staff/cases/${caseNos.done}/reveals`, {
      field: 'phone',
      reason: 'callerIdentity',
      note: `来电号码 13812340000，自称本人，身份证 ${done.idNumber}`,
    });
    expect(revealed).toMatchObject({ status: 200, body: { field: 'phone', value: done.phone } });
    const trail = await as('nx.supervisor')('GET', `/api/staff/audit-entries?caseNo=${caseNos.done}&action=reveal`);
    expect(trail.body.entries[0]).toMatchObject({
      staffId: 'S0002',
      staffName: '王晓峰',
      role: 'agent',
      roleLabel: IDENTITY_STAFF_ROLE_LABELS.agent,
      target: 'phone',
      targetLabel: '手机号',
      reason: `来电核实身份：来电号码 138****0000，自称本人，身份证 ${done.idNumber.slice(0, 6)}********${done.idNumber.slice(-4)}`,
      at: expect.any(String),
    });
    const stored = await db.collection('audit_entries').find({ action: 'reveal' }).toArray();
    expect(JSON.stringify(stored)).not.toContain('13812340000');
    expect(JSON.stringify(stored)).not.toContain(done.idNumber);
  });

  it('names the clerk, the authors of notes and of each timeline entry on the case page', async () => {
    const view = (await as('yc.agent')('GET', `/api/staff/cases/${caseNos.window}`)).body;
    expect(view).toMatchObject({ clerkId: 'S0001', clerkName: '马慧敏' });
    expect(view.timeline[0]).toMatchObject({ author: '窗口 马慧敏（S0001）', at: expect.any(String) });
    const medical = view.timeline.find((e: any) => e.matter && e.text.includes('医疗'));
    expect(medical.author).toBe('医疗保障部门');
    expect(view.timeline.every((e: any) => e.author.length > 0)).toBe(true);
    const noted = await as('yc.agent')('POST', `/api/staff/cases/${caseNos.window}/notes`, { text: '已回电说明进度' });
    expect(noted.body.notes.at(-1)).toMatchObject({ staffId: 'S0004', staffName: '张志强', at: expect.any(String) });
  });

  it('lets an agent retry a matter in manual handling, and a supervisor settle one', async () => {
    // The failing case is in 西夏区: the city's agent handles it.
    const view = await as('yc.agent')('GET', `/api/staff/cases/${caseNos.failing}`);
    const medical = view.body.matters.find((m: any) => m.id === 'medicalRegistration');
    expect(medical).toMatchObject({ state: 'manual', canRetry: true, lastError: expect.any(String) });
    const retried = await as('yc.agent')(
      'POST',
      `/api/staff/cases/${caseNos.failing}/matters/medicalRegistration/retries`,
      {
        reason: '医保系统已恢复，重新提交',
      },
    );
    expect(retried.status).toBe(200);
    const again = await as('yc.agent')(
      'POST',
      `/api/staff/cases/${caseNos.failing}/matters/medicalRegistration/retries`,
      {
        reason: '医保系统已恢复，重新提交',
      },
    );
    expect(again.body.error?.code ?? 'moved on').toMatch(/MATTER_NOT_RETRYABLE|moved on/);
    // At rest only once the premium it unblocked is decided too: until then the premium still
    // waits with the cause it had while medical was in manual handling.
    await waitForCase(
      caseNos.failing!,
      (c) =>
        c.matters.medicalRegistration.state === 'delivered' &&
        c.matters.premiumDeclaration.state === 'decided' &&
        caseAtRest(c),
    );
    const noted = await as('yc.agent')('POST', `/api/staff/cases/${caseNos.failing}/notes`, { text: '已电话告知群众' });
    expect(noted.body.notes).toEqual([expect.objectContaining({ staffId: 'S0004', text: '已电话告知群众' })]);
    const notManual = await as('nx.supervisor')(
      'POST',
      `/api/staff/cases/${caseNos.failing}/matters/medicalRegistration/settlements`,
      { outcome: 'done', reference: 'YB-OFFLINE-1', reason: '线下已办' },
    );
    expect(notManual.body.error.code).toBe('MATTER_NOT_IN_MANUAL');
    const actions = (
      await as('nx.supervisor')('GET', `/api/staff/audit-entries?caseNo=${caseNos.failing}`)
    ).body.entries.map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['view', 'retry', 'note']));
  });

  it('exports the trail as CSV and JSON', async () => {
    const csv = await as('nx.supervisor')('GET', '/api/staff/audit-entries/export?format=csv&action=reveal');
    expect(csv.status).toBe(200);
    const [header, ...rows] = (csv.body as string).replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toContain('时间（北京时间）');
    const row = rows.find((r) => r.includes('来电核实身份'))!;
    expect(row).toContain('来电核实身份：来电号码 138****0000');
    expect(row).toContain('王晓峰');
    expect(row).toContain(IDENTITY_STAFF_ROLE_LABELS.agent);
    expect(row).toContain('手机号');
    // China time: the entry's instant shifted by eight hours, as the page shows it.
    const entry = (await as('nx.supervisor')('GET', '/api/staff/audit-entries?action=reveal')).body.entries.find(
      (e: any) => e.reason.startsWith('来电核实身份'),
    );
    const china = new Date(Date.parse(entry.at) + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    expect(row).toContain(china);
    const json = await as('nx.supervisor')('GET', '/api/staff/audit-entries/export?format=json');
    expect(json.body.entries.length).toBeGreaterThan(5);
    expect(json.body.entries[0].seq).toBe(1);
  });
});

describe('nothing unmasked', () => {
  it('carries no full ID number, phone or name in any staff reply but a reveal', () => {
    const all = staffReplies.join('\n');
    for (const person of [done, failing, refused, windowPerson]) {
      expect(all.includes(person.idNumber)).toBe(false);
      expect(all.includes(person.phone)).toBe(false);
      expect(all.includes(`"${person.name}"`)).toBe(false);
    }
    expect(staffReplies.length).toBeGreaterThan(40);
  });
});

describe('the dashboard', () => {
  it('equals counts made directly from the cases, without training cases', async () => {
    const dashboard = (await as('nx.supervisor')('GET', '/api/staff/dashboard')).body;
    const cases = await db.collection('cases').find({ training: false }).toArray();
    const training = await db.collection('cases').countDocuments({ training: true });
    expect(training).toBe(1);
    const any = (c: any, state: string) => MATTERS.some((m) => c.matters[m.id].state === state);
    expect(dashboard.totals).toEqual({
      applications: cases.length,
      completed: cases.filter((c) => c.status === 'completed').length,
      manual: cases.filter((c) => any(c, 'manual')).length,
      rejected: cases.filter((c) => any(c, 'rejected')).length,
      awaitingPayment: cases.filter((c) => c.matters.premiumDeclaration.state === 'decided').length,
    });
    // Done (and paid), failed then retried (awaiting the premium), refused, at the window (awaiting the premium).
    expect(dashboard.totals).toEqual({ applications: 4, completed: 1, manual: 0, rejected: 1, awaitingPayment: 2 });
    for (const { id } of MATTERS) {
      const row = dashboard.byMatter.find((m: any) => m.matter === id);
      const states = cases.map((c) => c.matters[id as MatterId].state);
      expect({ id, done: row.done, awaiting: row.awaitingPayment, manual: row.manual, rejected: row.rejected }).toEqual(
        {
          id,
          // Decided is 待缴费 (the premium assessed, not paid), not done.
          done: states.filter((s) => s === 'delivered').length,
          awaiting: states.filter((s) => s === 'decided').length,
          manual: states.filter((s) => s === 'manual').length,
          rejected: states.filter((s) => s === 'rejected').length,
        },
      );
    }
    const windowRow = dashboard.byChannel.find((c: any) => c.channel === 'window');
    expect(windowRow.applications).toBe(cases.filter((c) => c.channel === 'window').length);
    const city = dashboard.byRegion.find((r: any) => r.regionCode === '6401');
    expect(city.applications).toBe(cases.filter((c) => c.cityCode === '6401').length);
    expect(dashboard.ratings).toMatchObject({ count: 1, bad: 1 });
    expect(dashboard.timeToComplete.completed).toBe(1);
    const seconds = cases
      .filter((c) => c.completedAt)
      .map((c) => (c.completedAt.getTime() - c.createdAt.getTime()) / 1000)
      .sort((a, b) => a - b);
    expect(dashboard.timeToComplete.p95Seconds).toBeGreaterThanOrEqual(seconds[0]! / 2);
    expect(dashboard.failureReasons.length).toBeGreaterThan(0);

    const county = (await as('nx.supervisor')('GET', '/api/staff/dashboard?regionCode=640104')).body;
    expect(county.totals.applications).toBe(cases.filter((c) => c.regionCode === '640104').length);
    expect((await as('gy.supervisor')('GET', '/api/staff/dashboard?regionCode=6401')).status).toBe(403);
  });
});

describe('the problem list', () => {
  it('has a reported problem and a bad rating, each due 15 working days out, overdue first', async () => {
    const reported = await citizens[refused.key]!.call('POST', '/api/problems', {
      category: 'result',
      text: '医疗保险为什么不予办理？',
      caseNo: caseNos.refused,
    });
    expect(reported.status).toBe(201);
    const due = addWorkingDays(chinaToday(), 15);
    expect(isWeekend(due)).toBe(false);
    expect(reported.body.deadline).toBe(due);
    const someoneElses = await citizens[refused.key]!.call('POST', '/api/problems', {
      category: 'result',
      text: '别人的办件也想反映一下',
      caseNo: caseNos.done,
    });
    expect(someoneElses.status).toBe(404);

    // One made overdue, as if raised long ago.
    await db.collection('problems').insertOne({
      _id: 'WT20260101OVERDUE0' as any,
      source: 'report',
      regionCode: '640104',
      applicantId: 'A-old',
      category: 'other',
      text: '很久以前反映的问题',
      status: 'open',
      deadline: '2026-01-22',
      training: false,
      createdAt: new Date('2026-01-01'),
      updatedAt: new Date('2026-01-01'),
    });

    const list = (await as('nx.supervisor')('GET', '/api/staff/problems')).body;
    expect(list.items[0]).toMatchObject({ problemId: 'WT20260101OVERDUE0', overdue: true });
    const rating = list.items.find((p: any) => p.source === 'rating');
    const report = list.items.find((p: any) => p.problemId === reported.body.problemId);
    expect(rating).toMatchObject({ caseNo: caseNos.done, score: 1, deadline: due, status: 'open', overdue: false });
    expect(report).toMatchObject({ caseNo: caseNos.refused, category: 'result', deadline: due });

    // Without a case number: tied to the citizen's latest case and its county, so that county's staff see it.
    const unnamed = await citizens[done.key]!.call('POST', '/api/problems', {
      category: 'card',
      text: '社保卡什么时候寄到？',
    });
    expect(unnamed.status).toBe(201);
    const listed = (await as('nx.supervisor')('GET', '/api/staff/problems')).body.items.find(
      (p: any) => p.problemId === unnamed.body.problemId,
    );
    expect(listed).toMatchObject({ caseNo: caseNos.done, regionCode: '640104', regionName: '银川市兴庆区' });

    const resolving = await as('nx.supervisor')('PATCH', `/api/staff/problems/${rating.problemId}`, {
      status: 'resolved',
    });
    expect(resolving.body.error.fields.fix).toMatch(/整改情况/);
    const resolved = await as('nx.supervisor')('PATCH', `/api/staff/problems/${rating.problemId}`, {
      owner: '兴庆区人社局 王科长',
      status: 'resolved',
      fix: '已回访群众，说明办理时限并致歉',
    });
    expect(resolved.body).toMatchObject({ status: 'resolved', owner: '兴庆区人社局 王科长' });

    const dashboard = (await as('nx.supervisor')('GET', '/api/staff/dashboard')).body;
    expect(dashboard.followUps.items.map((p: any) => p.problemId)).toContain(rating.problemId);
  });
});

describe('exports for supervisors', () => {
  /** Every export's body, to look for unmasked values in. */
  const exported: string[] = [];

  async function download(username: string, path: string) {
    const response = await fetch(`${bff.url}${path}`, { headers: { authorization: `Bearer ${tokens[username]}` } });
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status === 200) exported.push(body.toString('utf8'));
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      disposition: response.headers.get('content-disposition'),
      body,
    };
  }

  /** A workbook's sheets as rows of cell values (header first). */
  async function sheetsOf(body: Buffer): Promise<Record<string, unknown[][]>> {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(body as never);
    const sheets: Record<string, unknown[][]> = {};
    book.eachSheet((sheet) => {
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      sheets[sheet.name] = rows;
      exported.push(JSON.stringify(rows));
    });
    return sheets;
  }

  const figures = (f: any) => [f.applications, f.completed, f.awaitingPayment, f.manual, f.rejected];

  it("exports the dashboard as a workbook whose figures are the dashboard's, as numbers, with a 说明 sheet", async () => {
    const board = (await as('nx.supervisor')('GET', '/api/staff/dashboard')).body;
    const file = await download('nx.supervisor', '/api/staff/dashboard/export?format=xlsx');
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.disposition).toMatch(/^attachment; filename="stats-64-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const sheets = await sheetsOf(file.body);
    expect(Object.keys(sheets)).toEqual(['各地', '各事项', '办理渠道', '各月', '常见失败原因', '好差评', '说明']);

    const [regionHeader, ...regions] = sheets['各地']!;
    expect(regionHeader).toEqual([
      '地区代码',
      '地区',
      '申请（件）',
      '全部办结（件）',
      '待缴费（件）',
      '有事项转人工处理（件）',
      '有事项不予办理（件）',
    ]);
    expect(regions).toEqual([
      ...board.byRegion.map((r: any) => [r.regionCode, r.regionName, ...figures(r)]),
      ['64', '合计（宁夏回族自治区）', ...figures(board.totals)],
    ]);
    expect(regions.flatMap((r) => r.slice(2)).every((v) => typeof v === 'number')).toBe(true);

    for (const m of board.byMatter) {
      const total = sheets['各事项']!.find((r) => r[0] === m.name && r[1] === '合计');
      expect(total).toEqual([m.name, '合计', m.done, m.awaitingPayment, m.manual, m.rejected]);
      const atWindow = sheets['各事项']!.find((r) => r[0] === m.name && r[1] === '窗口受理');
      expect(atWindow!.slice(2)).toEqual(Object.values(m.byChannel.window));
    }
    expect(sheets['办理渠道']!.slice(1)).toEqual([
      ...board.byChannel.map((c: any) => [c.label, ...figures(c)]),
      ['合计', ...figures(board.totals)],
    ]);
    const months = sheets['各月']!.slice(1, -1);
    expect(months.length).toBeGreaterThan(0);
    expect(months.every((r) => /^\d{4}-\d{2}$/.test(String(r[0])))).toBe(true);
    const summed = [0, 0, 0, 0, 0].map((_, i) => months.reduce((a, r) => a + (r[i + 1] as number), 0));
    expect(summed).toEqual(figures(board.totals));
    expect(sheets['常见失败原因']!.slice(1)).toEqual(board.failureReasons.map((f: any) => [f.reason, f.count]));

    const about = Object.fromEntries(sheets['说明']!.map((r) => [r[0], r[1]]));
    expect(about).toMatchObject({
      地区: '宁夏回族自治区（64）',
      统计期间: '全部时间（按提交月份）',
      导出人: '杨建华（S0005）',
    });
    expect(about['导出时间（北京时间）']).toMatch(new RegExp(`^${chinaToday()} \\d{2}:\\d{2}:\\d{2}$`));

    const period = await download('nx.supervisor', '/api/staff/dashboard/export?format=xlsx&from=2020-01&to=2020-12');
    const empty = await sheetsOf(period.body);
    expect(empty['各地']).toEqual([regionHeader, ['64', '合计（宁夏回族自治区）', 0, 0, 0, 0, 0]]);
    expect(Object.fromEntries(empty['说明']!.map((r) => [r[0], r[1]]))).toMatchObject({
      统计期间: '2020-01 至 2020-12（按提交月份）',
    });
  });

  it('exports one table as CSV with a byte-order mark, text that would run as a formula kept as text', async () => {
    const board = (await as('nx.supervisor')('GET', '/api/staff/dashboard?regionCode=6401')).body;
    const file = await download(
      'nx.supervisor',
      '/api/staff/dashboard/export?format=csv&table=channel&regionCode=6401',
    );
    expect(file.type).toBe('text/csv; charset=utf-8');
    expect(file.disposition).toMatch(/filename="stats-channel-6401-[\d-]+\.csv"/);
    const text = file.body.toString('utf8');
    expect(text.startsWith('\uFEFF渠道,申请（件）,')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines.slice(1)).toEqual([
      ...board.byChannel.map((c: any) => [c.label, ...figures(c)].join(',')),
      ['合计', ...figures(board.totals)].join(','),
    ]);

    // A citizen's text that a spreadsheet would run: exported with a leading quote.
    const formula = '=HYPERLINK("http://example.invalid","点我查看办理结果")';
    const reported = await citizens[refused.key]!.call('POST', '/api/problems', { category: 'result', text: formula });
    expect(reported.status).toBe(201);
    const problems = await download('nx.supervisor', '/api/staff/problems/export?format=csv');
    const csv = problems.body.toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain(`"'=HYPERLINK(""http://example.invalid"",""点我查看办理结果"")"`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
  });

  it('exports the problem list with its deadlines, overdue first, like the list on screen', async () => {
    const list = (await as('nx.supervisor')('GET', '/api/staff/problems?limit=200')).body;
    const file = await download('nx.supervisor', '/api/staff/problems/export?format=xlsx');
    const sheets = await sheetsOf(file.body);
    expect(Object.keys(sheets)).toEqual(['问题清单', '说明']);
    const [header, ...rows] = sheets['问题清单']!;
    expect(header).toContain('办理期限');
    const at = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[at('问题编号')])).toEqual(list.items.map((p: any) => p.problemId));
    expect(rows.map((r) => r[at('办理期限')])).toEqual(list.items.map((p: any) => p.deadline));
    expect(rows[0]![at('是否超期')]).toBe('已超期');
    const rated = rows.find((r) => r[at('来源')] === '差评')!;
    expect(rated[at('评分')]).toBe(1);

    const overdue = await download('nx.supervisor', '/api/staff/problems/export?format=csv&overdue=true');
    const lines = overdue.body.toString('utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + list.overdue);
  });

  it("keeps a city's supervisor to their city, in the figures and in the problem list", async () => {
    expect((await download('gy.supervisor', '/api/staff/dashboard/export?format=xlsx&regionCode=6401')).status).toBe(
      403,
    );
    const own = await sheetsOf((await download('gy.supervisor', '/api/staff/dashboard/export?format=xlsx')).body);
    expect(own['各地']!.slice(1).every((r) => String(r[0]).startsWith('6404'))).toBe(true);
    expect(Object.fromEntries(own['说明']!.map((r) => [r[0], r[1]]))).toMatchObject({ 地区: '固原市（6404）' });
    const theirs = (await download('gy.supervisor', '/api/staff/problems/export?format=csv')).body.toString('utf8');
    expect(theirs).not.toContain('WT20260101OVERDUE0');
    expect(theirs).not.toContain(caseNos.done!);
  });

  it('writes every export to the audit trail, with what was exported', async () => {
    const stats = (await as('nx.supervisor')('GET', '/api/staff/audit-entries?action=statsExport')).body.entries;
    expect(stats.length).toBeGreaterThanOrEqual(3);
    expect(stats.find((e: any) => e.staffId === 'S0005' && /CSV（办理渠道），银川市/.test(e.detail))).toMatchObject({
      actionLabel: '导出监督统计',
      target: '6401',
    });
    expect(stats.some((e: any) => e.staffId === 'S0006')).toBe(true);
    const problems = (await as('nx.supervisor')('GET', '/api/staff/audit-entries?action=problemExport')).body.entries;
    expect(problems[0]).toMatchObject({ actionLabel: '导出问题清单', detail: expect.stringMatching(/^CSV，\d+ 条/) });
  });

  it('carries no full ID number, phone or name in any export', () => {
    const all = exported.join('\n');
    expect(exported.length).toBeGreaterThan(8);
    for (const person of [done, failing, refused, windowPerson]) {
      expect(all.includes(person.idNumber)).toBe(false);
      expect(all.includes(person.phone)).toBe(false);
      expect(all.includes(person.name)).toBe(false);
    }
  });

  it('refuses a wrong format, table or month, naming the field in Chinese', async () => {
    const act = as('nx.supervisor');
    const bad = await act('GET', '/api/staff/dashboard/export?format=pdf&table=people&from=2026-13');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['format', 'from', 'table']);
    expect(bad.body.error.fields.format).toMatch(/格式/);
    expect(bad.body.error.fields.from).toMatch(/起始月份/);
    expect((await act('GET', '/api/staff/problems/export')).body.error.fields.format).toMatch(/格式/);
    expect((await as('xq.agent')('GET', '/api/staff/dashboard/export?format=csv')).status).toBe(403);
  });
});

describe('daily summaries', () => {
  const yesterday = () => new Date(Date.parse(`${chinaToday()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

  it("are made by the BFF's own worker for the day due, without anyone asking", async () => {
    const due = dueDate(new Date(), '00:10');
    const deadline = Date.now() + 30_000;
    let list = (await as('gy.supervisor')('GET', '/api/staff/daily-summaries')).body;
    while (!list.summaries.some((s: any) => s.date === due) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      list = (await as('gy.supervisor')('GET', '/api/staff/daily-summaries')).body;
    }
    expect(list.summaries.find((s: any) => s.date === due)).toMatchObject({
      regionCode: '6404',
      producedBy: 'worker',
      received: 0,
    });
  });

  it("makes a past day again on a supervisor's request, lists it, and refuses today and a day that does not exist", async () => {
    const act = as('gy.supervisor');
    const made = await act('POST', '/api/staff/daily-summaries', { date: yesterday() });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      regionCode: '6404',
      regionName: '固原市',
      date: yesterday(),
      producedBy: 'S0006',
    });
    const list = (await act('GET', '/api/staff/daily-summaries')).body;
    expect(list.scheduledAt).toBe('00:10');
    expect(list.summaries[0]).toMatchObject({ date: yesterday(), regionCode: '6404' });
    expect((await act('GET', '/api/staff/daily-summaries?regionCode=6401')).status).toBe(403);

    const today = await act('POST', '/api/staff/daily-summaries', { date: chinaToday() });
    expect(today.status).toBe(400);
    expect(today.body.error.fields.date).toMatch(/日期/);
    const none = await act('POST', '/api/staff/daily-summaries', { date: '2026-02-31' });
    expect(none.body.error.fields.date).toMatch(/没有这一天/);
    const entries = (await as('nx.supervisor')('GET', '/api/staff/audit-entries?action=summaryRecompute')).body;
    expect(entries.entries[0]).toMatchObject({
      staffId: 'S0006',
      target: yesterday(),
      actionLabel: '重新生成每日汇总',
    });
  });
});

describe('training data and the chain', () => {
  it('clears training data on demand', async () => {
    const cleared = await as('nx.supervisor')('POST', '/api/staff/training/clearances');
    expect(cleared.body.cases).toBe(1);
    expect(await db.collection('cases').countDocuments({ training: true })).toBe(0);
  });

  it('verifies an intact chain, and names the entry where an altered one breaks it', async () => {
    const intact = (await as('nx.supervisor')('GET', '/api/staff/audit-entries/verification')).body;
    expect(intact).toMatchObject({ intact: true });
    expect(intact.checked).toBeGreaterThan(10);
    await db.collection('audit_entries').updateOne({ _id: 5 as any }, { $set: { reason: '改过的理由' } });
    const broken = (await as('nx.supervisor')('GET', '/api/staff/audit-entries/verification')).body;
    expect(broken).toMatchObject({ intact: false, brokenAt: 5 });
  });
});
