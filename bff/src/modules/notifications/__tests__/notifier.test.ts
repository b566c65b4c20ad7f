// The notifier against the real database and a real SMS gateway simulator
// (HTTP, signed, idempotent): the marker every timeline write adds, the
// lease, the compare-and-set of progress, quiet hours by an injected clock,
// a channel switched off, and a gateway that fails or loses its replies.
// What reached people is counted in the gateway's own records.
import { MATTERS, NOTICE, type ApplicationData, type MatterId } from '@flexins/shared';
import { createLogger } from '@flexins/shared/server';
import { useTestDatabase } from '../../../../test/database';
import { testConfig } from '../../../../test/config';
import { TEST_CALLER, TEST_SECRET, useTestSimulator } from '../../../../simulators/test-support';
import { smsSimulator } from '../../../../simulators/sms';
import { createDepartments, type Departments } from '../../../departments';
import { caseModel, type ApplicationCase } from '../../applications/application.model';
import { applicantModel } from '../../citizens/applicant.model';
import type { NotifyFields } from '../case-hook';
import { Notifier, type NotifierOptions } from '../notifier';

const db = useTestDatabase();
const gateway = useTestSimulator(smsSimulator);
const log = createLogger('error');

const PHONE = '13900001111';
let serial = 0;
const nextCaseNo = () => `LJ2026120500${String(++serial).padStart(4, '0')}`;

/** 15:00 UTC is 23:00 in China: quiet. 04:00 UTC is 12:00: not. */
const NIGHT = new Date('2026-12-05T15:00:00Z');
const NOON = new Date('2026-12-06T04:00:00Z');
const MORNING = new Date('2026-12-06T00:00:00Z'); // 08:00 China time

let departments: Departments;
beforeAll(() => {
  const endpoints = testConfig().departments.endpoints;
  departments = createDepartments({
    callerId: TEST_CALLER,
    endpoints: { ...endpoints, sms: { url: gateway.url, secret: TEST_SECRET } },
    timeoutMs: 1_000,
    // The breaker stays out of the way: each test decides what the gateway does.
    breaker: { threshold: 1_000, coolDownMs: 10 },
  });
});

let clock = NOON;
const readData = async () => ({ applicant: { phone: PHONE } }) as unknown as ApplicationData;

function notifier(options: Partial<NotifierOptions> = {}): Notifier {
  return new Notifier(db.connection, departments, readData, log, { retryBaseMs: 1_000, ...options }, () => clock);
}

/** A case as submitted: its first entry is the submission, every matter accepted or waiting. */
async function submit(caseNo: string, extra: Partial<ApplicationCase> = {}): Promise<void> {
  const now = new Date();
  const matters = Object.fromEntries(
    MATTERS.map((m) => [
      m.id,
      { state: m.dependsOn.length ? 'waiting' : 'accepted', attempts: 0, refs: {}, updatedAt: now },
    ]),
  );
  await caseModel(db.connection).create({
    _id: caseNo,
    caseNo,
    submissionKey: `${caseNo}:k`,
    openCaseKey: caseNo,
    applicantId: `A-${caseNo}`,
    channel: 'app',
    training: false,
    regionCode: '640104',
    cityCode: '6401',
    employmentType: 'flexible',
    idNumberHash: 'h',
    phoneHash: 'h',
    nameMasked: '张*',
    idNumberMasked: '640***********0317',
    phoneMasked: '139****1111',
    consent: { noticeVersion: NOTICE.version, agreedAt: now },
    faceCheckId: 'f',
    offlineNotes: [],
    matters,
    events: [{ at: now, text: `申请已提交，办件编号 ${caseNo}` }],
    status: 'processing',
    ...extra,
  });
}

/** A matter's change with its timeline entry, as the engine writes it (one $push). */
async function matterChanged(caseNo: string, matter: MatterId, state: string, fields: Record<string, unknown> = {}) {
  await caseModel(db.connection).updateOne(
    { _id: caseNo },
    {
      $set: { [`matters.${matter}.state`]: state, ...fields },
      $push: { events: { $each: [{ at: new Date(), matter, state, text: `${matter}：${state}` }] } },
    },
  );
}

async function stored(caseNo: string): Promise<ApplicationCase & NotifyFields> {
  return (await caseModel(db.connection).findById(caseNo).lean<ApplicationCase & NotifyFields>())!;
}

async function sentFor(caseNo: string): Promise<any[]> {
  return (await gateway.records('messages')).filter((m) => m.reference === caseNo);
}

const keysOf = (records: any[]) => records.map((r) => r.idempotencyKey as string).sort();

afterEach(async () => {
  clock = NOON;
  await gateway.admin('PUT', '/admin/faults', { errorRate: 0, lostReplyRate: 0, hangRate: 0 });
});

describe('the marker every timeline write adds', () => {
  it('marks a new case due, and counts each entry pushed, one or several at once', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo);
    expect(await stored(caseNo)).toMatchObject({ notifyDue: true, eventSeq: 1 });
    await caseModel(db.connection).updateOne({ _id: caseNo }, { $unset: { notifyDue: 1 } });
    await caseModel(db.connection).updateOne({ _id: caseNo }, { $push: { events: { at: new Date(), text: 'a' } } });
    expect(await stored(caseNo)).toMatchObject({ notifyDue: true, eventSeq: 2 });
    await caseModel(db.connection).findOneAndUpdate(
      { _id: caseNo },
      {
        $push: {
          events: {
            $each: [
              { at: new Date(), text: 'b' },
              { at: new Date(), text: 'c' },
            ],
          },
        },
      },
    );
    const after = await stored(caseNo);
    expect(after).toMatchObject({ eventSeq: 4 });
    expect(after.events).toHaveLength(4);
    // A write without an entry leaves the count alone.
    await caseModel(db.connection).updateOne({ _id: caseNo }, { $set: { status: 'processing' } });
    expect((await stored(caseNo)).eventSeq).toBe(4);
  });
});

describe('sending', () => {
  it('sends each entry that makes a message once per channel, under caseNo:index:channel, and then nothing more', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo);
    await matterChanged(caseNo, 'employmentRegistration', 'reviewing'); // told in the app only
    await matterChanged(caseNo, 'employmentRegistration', 'delivered');
    const n = notifier();
    expect(await n.runDue()).toBeGreaterThanOrEqual(1);
    const sent = await sentFor(caseNo);
    expect(keysOf(sent)).toEqual([
      `${caseNo}:0:sms`,
      `${caseNo}:0:subscription`,
      `${caseNo}:2:sms`,
      `${caseNo}:2:subscription`,
    ]);
    for (const message of sent) {
      expect(message.phone).toBe(PHONE);
      expect(message.text).toContain('张*');
    }
    expect(sent.find((m) => m.idempotencyKey === `${caseNo}:2:sms`).text).toMatch(
      /^【我的宁夏】张\*您好，“灵活就业人员就业登记”已办好/,
    );
    expect(await stored(caseNo)).toMatchObject({ notifiedEvents: 3 });
    expect((await stored(caseNo)).notifyDue).toBeUndefined();
    await n.runDue();
    expect(await sentFor(caseNo)).toHaveLength(4);
  });

  it('tells the submission once (not its offline notes), and the completion with the invitation to rate', async () => {
    const caseNo = nextCaseNo();
    const note = '补缴：请到银川市人社窗口办理';
    await submit(caseNo, {
      offlineNotes: [note],
      events: [
        { at: new Date(), text: `申请已提交，办件编号 ${caseNo}` },
        { at: new Date(), text: note },
      ],
    });
    // The completion's entry, as the engine writes it: no matter.
    await caseModel(db.connection).updateOne(
      { _id: caseNo },
      { $set: { status: 'completed' }, $push: { events: { at: new Date(), text: '灵活就业参保“一件事”已全部办结' } } },
    );
    await notifier().runDue();
    const sent = await sentFor(caseNo);
    expect(keysOf(sent)).toEqual([
      `${caseNo}:0:sms`,
      `${caseNo}:0:subscription`,
      `${caseNo}:2:sms`,
      `${caseNo}:2:subscription`,
    ]);
    expect(sent.find((m) => m.idempotencyKey === `${caseNo}:2:subscription`).text).toMatch(
      /^办结评价邀请：张\*您好，.*为本次服务评价/,
    );
  });

  it('leases a due case to exactly one of many at once', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo);
    const n = notifier();
    const leases = await Promise.all(Array.from({ length: 8 }, () => n.lease(caseNo)));
    expect(leases.filter(Boolean)).toHaveLength(1);
    // Another process after the lease ran out takes it; the first one's progress is then not recorded.
    const first = leases.find(Boolean)!;
    clock = new Date(NOON.getTime() + n.options.leaseMs + 1);
    const second = await n.lease(caseNo);
    expect(second).not.toBeNull();
    expect((await n.send(first.caseDoc, first.token)).recorded).toBe(false);
    expect((await n.send(second!.caseDoc, second!.token)).recorded).toBe(true);
    // Both sent under the same keys: the gateway sent each once.
    expect(keysOf(await sentFor(caseNo))).toEqual([`${caseNo}:0:sms`, `${caseNo}:0:subscription`]);
  });

  it('keeps a case due when an entry was added while it was being sent (compare-and-set), and sends that one next', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo);
    const n = notifier();
    const leased = (await n.lease(caseNo))!;
    await matterChanged(caseNo, 'medicalRegistration', 'rejected', {
      'matters.medicalRegistration.cause': '已在外省参加职工医保',
    });
    await n.send(leased.caseDoc, leased.token);
    expect(await stored(caseNo)).toMatchObject({ notifyDue: true, notifiedEvents: 1, eventSeq: 2 });
    await n.runDue();
    const refused = (await sentFor(caseNo)).find((m) => m.idempotencyKey === `${caseNo}:1:sms`);
    expect(refused.text).toContain('“基本医疗保险参保和变更登记”未能办理：已在外省参加职工医保。如有疑问请拨打 12393');
    expect(await sentFor(caseNo)).toHaveLength(4);
    expect((await stored(caseNo)).notifyDue).toBeUndefined();
  });

  it('sends nothing for a training case, and leaves it not due', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo, { training: true });
    await notifier().runDue();
    expect(await sentFor(caseNo)).toEqual([]);
    expect((await stored(caseNo)).notifyDue).toBeUndefined();
  });

  it('sends nothing for a case agreed to a notice that did not name the SMS platform (2026.3: no consent to it)', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo, { consent: { noticeVersion: '2026.3', agreedAt: new Date() } });
    await matterChanged(caseNo, 'employmentRegistration', 'delivered');
    await notifier().runDue();
    expect(await sentFor(caseNo)).toEqual([]);
    expect((await stored(caseNo)).notifyDue).toBeUndefined();
  });
});

describe('a channel switched off', () => {
  it('sends on the channels still on only', async () => {
    const caseNo = nextCaseNo();
    await applicantModel(db.connection).collection.insertOne({
      _id: `A-${caseNo}`,
      notificationChannels: { sms: false },
    } as never);
    await submit(caseNo);
    await notifier().runDue();
    expect(keysOf(await sentFor(caseNo))).toEqual([`${caseNo}:0:subscription`]);
  });
});

describe('quiet hours (22:00–08:00 China time)', () => {
  it('holds non-urgent messages until 08:00 and sends an urgent one (the premium due) at once, each once', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo);
    await matterChanged(caseNo, 'premiumDeclaration', 'decided', {
      'matters.premiumDeclaration.result': {
        assessment: {
          baseFen: 1,
          medicalBaseFen: 1,
          pensionFen: 1,
          medicalFen: 1,
          monthlyTotalFen: 86_800,
          totalFen: 173_600,
        },
        periodStart: '2026-12',
        periodEnd: '2027-01',
        paymentDeadline: '2027-01-31',
      },
    });
    clock = NIGHT;
    const n = notifier();
    const night = await n.runDue();
    expect(night).toBe(1);
    expect(keysOf(await sentFor(caseNo))).toEqual([`${caseNo}:1:sms`, `${caseNo}:1:subscription`]);
    const due = (await sentFor(caseNo)).find((m) => m.idempotencyKey === `${caseNo}:1:sms`);
    expect(due.text).toContain('1736.00 元（2个月）');
    expect(due.text).toContain('截止 2027-01-31');
    expect(await stored(caseNo)).toMatchObject({ notifyDue: true, notifiedEvents: 0, notifyHoldUntil: MORNING });
    // Still night: nothing is looked at.
    clock = new Date(MORNING.getTime() - 1);
    expect(await n.runDue()).toBe(0);
    // 08:00: the rest goes, the urgent one is not sent twice.
    clock = MORNING;
    expect(await n.runDue()).toBe(1);
    expect(keysOf(await sentFor(caseNo))).toEqual([
      `${caseNo}:0:sms`,
      `${caseNo}:0:subscription`,
      `${caseNo}:1:sms`,
      `${caseNo}:1:subscription`,
    ]);
    expect((await stored(caseNo)).notifyDue).toBeUndefined();
  });

  it('sends everything at once with quiet hours off', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo);
    clock = NIGHT;
    await notifier({ quietHours: null }).runDue();
    expect(await sentFor(caseNo)).toHaveLength(2);
  });
});

describe('a gateway that fails', () => {
  it('leases nothing and counts no attempt while the gateway is known to be down (its breaker open), then sends', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo);
    const held = departments.breakers.sms.breaker.isolate();
    try {
      expect(departments.breakers.sms.state).toBe('open');
      expect(await notifier().runDue()).toBe(0);
      const waiting = await stored(caseNo);
      expect(waiting).toMatchObject({ notifyDue: true });
      expect(waiting.notifyAttempts).toBeUndefined();
      expect(waiting.notifyLease).toBeUndefined();
      expect(await sentFor(caseNo)).toEqual([]);
    } finally {
      held.dispose();
    }
    await notifier().runDue();
    expect(keysOf(await sentFor(caseNo))).toEqual([`${caseNo}:0:sms`, `${caseNo}:0:subscription`]);
  });

  it('holds the case back with a delay when the gateway errs, and sends once when it is back', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo);
    await gateway.admin('PUT', '/admin/faults', { errorRate: 1 });
    const n = notifier();
    await n.runDue();
    expect(await sentFor(caseNo)).toEqual([]);
    const held = await stored(caseNo);
    expect(held).toMatchObject({ notifyDue: true, notifiedEvents: 0, notifyAttempts: 1 });
    expect(held.notifyHoldUntil!.getTime()).toBeGreaterThan(NOON.getTime());
    await gateway.admin('PUT', '/admin/faults', { errorRate: 0 });
    clock = new Date(held.notifyHoldUntil!.getTime());
    await n.runDue();
    expect(await sentFor(caseNo)).toHaveLength(2);
    expect(await stored(caseNo)).toMatchObject({ notifiedEvents: 1 });
    expect((await stored(caseNo)).notifyAttempts).toBeUndefined();
  });

  it('sends once when the gateway sent but its reply was lost: the retry under the same key sends nothing more', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo);
    await gateway.admin('PUT', '/admin/faults', { lostReplyRate: 1 });
    const n = notifier();
    await n.runDue();
    expect(await sentFor(caseNo)).toHaveLength(1); // the SMS went; the pass stopped at its lost reply
    expect(await stored(caseNo)).toMatchObject({ notifyDue: true, notifiedEvents: 0 });
    await gateway.admin('PUT', '/admin/faults', { lostReplyRate: 0 });
    clock = new Date(NOON.getTime() + 60 * 60_000);
    await n.runDue();
    expect(keysOf(await sentFor(caseNo))).toEqual([`${caseNo}:0:sms`, `${caseNo}:0:subscription`]);
  });

  it('treats a refusal (an unreachable number) as final: logged, not tried again', async () => {
    const caseNo = nextCaseNo();
    await submit(caseNo);
    await gateway.admin('POST', '/admin/scripts', {
      idNumber: PHONE,
      outcome: 'refuse',
      code: 'RECIPIENT_UNREACHABLE',
      times: 1,
    });
    const outcome = await (async () => {
      const n = notifier();
      const leased = (await n.lease(caseNo))!;
      return n.send(leased.caseDoc, leased.token);
    })();
    await gateway.admin('DELETE', '/admin/scripts');
    expect(outcome).toMatchObject({ sent: 1, refused: 1, recorded: true });
    expect((await stored(caseNo)).notifyDue).toBeUndefined();
  });
});
