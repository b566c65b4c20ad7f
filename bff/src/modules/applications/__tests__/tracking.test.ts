// 办理进度追踪 end to end, against the real HRSS simulator process (its card
// and archive steps shortened), a BFF process and FerretDB: no mail number
// before the card is posted, then the very number HRSS holds; another
// citizen, and an agent of another county, get "not found"; HRSS failing or
// stopped gives an item that says so, never a 5xx.
import { CASE_TRACKING_REPLY, NOTICE, TRACKING_MESSAGES } from '@flexins/shared';
import { check } from '@flexins/shared/server';
import { findPerson, type RosterPerson } from '../../../../simulators/roster';
import { STAFF_ACCOUNTS } from '../../../../simulators/identity/staff';
import type { Service } from '../../../../../scripts/lib/services';
import { Citizen, type Reply } from '../../../../../tests/support/citizen';
import { startBffProcess, startStack, type Stack } from '../../../../../tests/support/stack';

jest.setTimeout(180_000);

// The card is posted two steps after acceptance: long enough to look before, short enough to wait for.
const CARD_STEP_MS = 6_000;
const ARCHIVE_STEP_MS = 1_000;

let stack: Stack;
let bff: Service;
let vendor: Citizen;
let caseNo = '';
let refs: { cardApplicationNo: string; transferLetterNo: string };
const staffTokens: Record<string, string> = {};

const person = (key: string): RosterPerson => {
  const found = findPerson(key);
  if (!found) throw new Error(`no roster person ${key}`);
  return found;
};

async function staffCall(username: string, path: string): Promise<Reply> {
  const response = await fetch(`${bff.url}${path}`, { headers: { authorization: `Bearer ${staffTokens[username]}` } });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function staffSignIn(username: string): Promise<void> {
  const { password } = STAFF_ACCOUNTS.find((a) => a.username === username)!;
  const response = await fetch(`${bff.url}/api/staff/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(201);
  staffTokens[username] = ((await response.json()) as { token: string }).token;
}

const tracking = () => vendor.call('GET', `/api/applications/${caseNo}/tracking`);

/** The reply as the mini-app and the OpenAPI document expect it. */
function expectWellFormed(reply: Reply): void {
  expect(reply.status).toBe(200);
  expect(check(CASE_TRACKING_REPLY, reply.body)).toEqual({ ok: true, value: reply.body });
}

beforeAll(async () => {
  stack = await startStack({
    label: 'tracking',
    simulatorEnv: { SIM_OPT_CARD_STEP_MS: String(CARD_STEP_MS), SIM_OPT_ARCHIVE_STEP_MS: String(ARCHIVE_STEP_MS) },
  });
  bff = await startBffProcess(stack);
  vendor = new Citizen(bff.url, stack.simulators.urls.identity, person('eligible-vendor'));
  const submitted = await vendor.apply(NOTICE.version);
  expect(submitted.status).toBe(201);
  caseNo = submitted.body.caseNo;
  // Look as soon as both matters are done: the card has just been accepted.
  const view = await vendor.waitForCase(caseNo, (v) =>
    v.matters.every((m: any) => !['socialSecurityCard', 'archiveTransfer'].includes(m.id) || m.state === 'delivered'),
  );
  const byId = Object.fromEntries(view.matters.map((m: any) => [m.id, m]));
  refs = {
    cardApplicationNo: byId.socialSecurityCard.refs.cardApplicationNo,
    transferLetterNo: byId.archiveTransfer.refs.transferLetterNo,
  };
  await Promise.all(['xq.agent', 'jf.agent', 'xq.clerk', 'nx.supervisor'].map(staffSignIn));
});

afterAll(async () => {
  await bff?.stop();
  await stack?.stop();
});

describe("the citizen's tracking", () => {
  it('has no mail number before the card is posted', async () => {
    const reply = await tracking();
    expectWellFormed(reply);
    const { card, archive } = reply.body;
    expect(reply.body.caseNo).toBe(caseNo);
    expect(card).toMatchObject({ available: true, number: refs.cardApplicationNo });
    expect(['accepted', 'producing']).toContain(card.status);
    expect(card.trackingNo).toBeUndefined();
    expect(card.carrier).toBeUndefined();
    expect(card.history[0]).toMatchObject({ status: 'accepted', statusText: '已受理' });
    expect(archive).toMatchObject({ available: true, number: refs.transferLetterNo });
    const [record] = await stack.records('hrss', 'card_applications', vendor.person.idNumber);
    expect(record.trackingNo).toBeUndefined();
  });

  it('shows the EMS number HRSS holds once the card is posted, and every step with its date', async () => {
    const deadline = Date.now() + 4 * CARD_STEP_MS + 30_000;
    let reply = await tracking();
    while (!['posted', 'delivered'].includes(reply.body?.card?.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      reply = await tracking();
    }
    expectWellFormed(reply);
    const { card, archive } = reply.body;
    const [record] = await stack.records('hrss', 'card_applications', vendor.person.idNumber);
    expect(record.trackingNo).toMatch(/^EMS\d{10}$/);
    expect(card).toMatchObject({ available: true, trackingNo: record.trackingNo, carrier: '中国邮政 EMS' });
    expect(card.history.slice(0, 3)).toEqual([
      { status: 'accepted', statusText: '已受理', at: expect.any(String) },
      { status: 'producing', statusText: '制卡中', at: expect.any(String) },
      { status: 'posted', statusText: '已邮寄', at: expect.any(String) },
    ]);
    const times = card.history.map((h: { at: string }) => Date.parse(h.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Two steps of 1 s each were long past: the archive has arrived.
    expect(archive).toMatchObject({ available: true, status: 'received', statusText: '档案已接收' });
    expect(archive.history.map((h: { status: string }) => h.status)).toEqual([
      'accepted',
      'letterIssued',
      'inTransit',
      'received',
    ]);
  });

  it('has no card item for a card holder, who applied for no card', async () => {
    const holder = new Citizen(bff.url, stack.simulators.urls.identity, person('holds-ningxia-card'));
    const submitted = await holder.apply(NOTICE.version);
    expect(submitted.status).toBe(201);
    await holder.waitForCase(submitted.body.caseNo, (v) => v.status === 'awaitingPayment');
    const reply = await holder.call('GET', `/api/applications/${submitted.body.caseNo}/tracking`);
    expectWellFormed(reply);
    expect(reply.body.card).toBeUndefined();
    expect(reply.body.archive).toMatchObject({ available: true });
  });

  it("answers another citizen's token with 404, and no token with 401", async () => {
    const other = new Citizen(bff.url, stack.simulators.urls.identity, person('part-time-worker'));
    await other.signIn();
    const peek = await other.call('GET', `/api/applications/${caseNo}/tracking`);
    expect(peek).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    const anonymous = new Citizen(bff.url, stack.simulators.urls.identity, vendor.person);
    expect((await anonymous.call('GET', `/api/applications/${caseNo}/tracking`)).status).toBe(401);
  });

  it('is listed in the OpenAPI document, for citizens and for staff', async () => {
    const document = (await (await fetch(`${bff.url}/openapi.json`)).json()) as { paths: Record<string, any> };
    expect(document.paths['/api/applications/{caseNo}/tracking']?.get).toBeDefined();
    expect(document.paths['/api/staff/cases/{caseNo}/tracking']?.get).toBeDefined();
  });
});

describe("staff's tracking", () => {
  it('shows an agent of the county the same, audited as a view; refuses an agent of another county and a clerk', async () => {
    const mine = await staffCall('xq.agent', `/api/staff/cases/${caseNo}/tracking`);
    expectWellFormed(mine);
    expect(mine.body.card).toMatchObject({ available: true, number: refs.cardApplicationNo });
    const [record] = await stack.records('hrss', 'card_applications', vendor.person.idNumber);
    expect(mine.body.card.trackingNo).toBe(record.trackingNo);

    const elsewhere = await staffCall('jf.agent', `/api/staff/cases/${caseNo}/tracking`);
    expect(elsewhere).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    const clerk = await staffCall('xq.clerk', `/api/staff/cases/${caseNo}/tracking`);
    expect(clerk).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });

    const trail = await staffCall('nx.supervisor', `/api/staff/audit-entries?caseNo=${caseNo}&action=view`);
    const entries = trail.body.entries.filter((e: { target?: string }) => e.target === 'tracking');
    expect(entries).toEqual([expect.objectContaining({ staffId: 'S0002', role: 'agent', action: 'view' })]);
  });
});

describe('when HRSS does not answer', () => {
  const unavailable = (number: string) => ({ available: false, number, message: TRACKING_MESSAGES.unavailable });

  it('says "暂时查不到" for both items while HRSS answers every call with an error', async () => {
    const set = await stack.admin('hrss', 'PUT', '/admin/faults', { errorRate: 1 });
    expect(set.status).toBe(200);
    try {
      const reply = await tracking();
      expectWellFormed(reply);
      expect(reply.body.card).toEqual(unavailable(refs.cardApplicationNo));
      expect(reply.body.archive).toEqual(unavailable(refs.transferLetterNo));
      const staff = await staffCall('xq.agent', `/api/staff/cases/${caseNo}/tracking`);
      expectWellFormed(staff);
      expect(staff.body.card).toEqual(unavailable(refs.cardApplicationNo));
    } finally {
      await stack.admin('hrss', 'PUT', '/admin/faults', { errorRate: 0 });
    }
  });

  it('says "暂时查不到" once HRSS is stopped, and the case itself still shows', async () => {
    const hrss = stack.simulators.services.find((s) => s.url === stack.simulators.urls.hrss)!;
    await hrss.stop();
    const reply = await tracking();
    expectWellFormed(reply);
    expect(reply.body.card).toEqual(unavailable(refs.cardApplicationNo));
    expect(reply.body.archive).toEqual(unavailable(refs.transferLetterNo));
    expect((await vendor.call('GET', `/api/applications/${caseNo}`)).status).toBe(200);
  });
});
