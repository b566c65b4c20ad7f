// The daily summary (每日汇总) against the real database, with the clock
// injected: its figures for a seeded day, per province, city and county;
// made once however many workers look (two processes' connections, at the
// same instant and as running loops; three real worker processes on the
// real clock); a dead worker's run taken over once its lease is out; a
// supervisor's list and a past day made again.
import path from 'node:path';
import { createLogger } from '@flexins/shared/server';
import type { Connection } from 'mongoose';
import { startService, type Service } from '../../../../../scripts/lib/services';
import { testConfigEnv } from '../../../../test/config';
import { useTestDatabase, testDatabaseUri } from '../../../../test/database';
import { connectDatabase } from '../../../platform/database';
import { caseModel } from '../../applications/application.model';
import { dailySummaryModel } from '../daily-summary.model';
import { DailySummaryService, dayBounds, dueDate, type DailySummaryOptions } from '../daily-summary.service';
import { DailySummaryWorker } from '../daily-summary.worker';

const db = useTestDatabase();
const log = createLogger('error');
const others: Connection[] = [];

afterAll(async () => {
  await Promise.all(others.map((c) => c.close()));
});

/** China time → the instant. */
const at = (chinaTime: string) => new Date(`${chinaTime}+08:00`);
/** Just after 00:10 on 1 December: 30 November is due. */
const AFTER_TIME = at('2026-12-01T00:20:00');

function service(connection: Connection, options: Partial<DailySummaryOptions> = {}): DailySummaryService {
  return new DailySummaryService(connection, log, { at: '00:10', now: () => AFTER_TIME, pollMs: 20, ...options });
}

/** Another process's connection to the same database. */
async function otherProcess(): Promise<Connection> {
  const connection = await connectDatabase(testDatabaseUri(), db.name);
  others.push(connection);
  return connection;
}

type Seed = {
  caseNo: string;
  regionCode: string;
  channel?: 'app' | 'window';
  createdAt: string;
  completedAt?: string;
  rating?: { score: number; at: string };
  events?: { at: string; matter: string; state: string }[];
  causes?: Record<string, string>;
  training?: boolean;
};

/** A case with only what the summary reads (times China time). */
async function seed(c: Seed): Promise<void> {
  const matter = (id: string) => ({
    state: c.events?.find((e) => e.matter === id)?.state ?? 'delivered',
    attempts: 1,
    refs: {},
    ...(c.causes?.[id] ? { cause: c.causes[id] } : {}),
    updatedAt: at(c.createdAt),
  });
  const times = [c.createdAt, c.completedAt, c.rating?.at, ...(c.events ?? []).map((e) => e.at)].filter(
    (t): t is string => Boolean(t),
  );
  await caseModel(db.connection).collection.insertOne({
    _id: c.caseNo,
    caseNo: c.caseNo,
    channel: c.channel ?? 'app',
    training: c.training ?? false,
    regionCode: c.regionCode,
    cityCode: c.regionCode.slice(0, 4),
    status: c.completedAt ? 'completed' : 'processing',
    matters: Object.fromEntries(
      [
        'employmentRegistration',
        'archiveTransfer',
        'pensionRegistration',
        'socialSecurityCard',
        'medicalRegistration',
        'premiumDeclaration',
      ].map((id) => [id, matter(id)]),
    ),
    events: (c.events ?? []).map((e) => ({ at: at(e.at), matter: e.matter, state: e.state, text: '—' })),
    ...(c.rating ? { rating: { score: c.rating.score, ratedAt: at(c.rating.at) } } : {}),
    createdAt: at(c.createdAt),
    ...(c.completedAt ? { completedAt: at(c.completedAt) } : {}),
    updatedAt: at(times.sort().at(-1)!),
  } as never);
}

beforeAll(async () => {
  // 30 November, China time: three received (two in 兴庆区, one at its window), two completed
  // (one the same day), one matter to manual handling, one refused, two ratings.
  await seed({
    caseNo: 'LJ20261130000001',
    regionCode: '640104',
    createdAt: '2026-11-30T09:00:00',
    completedAt: '2026-11-30T15:00:00',
    rating: { score: 5, at: '2026-11-30T16:00:00' },
  });
  await seed({
    caseNo: 'LJ20261130000002',
    regionCode: '640104',
    channel: 'window',
    createdAt: '2026-11-30T23:30:00',
    // The next day: not counted for the 30th.
    events: [{ at: '2026-12-01T00:05:00', matter: 'medicalRegistration', state: 'manual' }],
  });
  await seed({
    caseNo: 'LJ20261129000003',
    regionCode: '640402',
    createdAt: '2026-11-29T10:00:00',
    completedAt: '2026-11-30T01:00:00',
    rating: { score: 1, at: '2026-11-30T08:00:00' },
  });
  await seed({
    caseNo: 'LJ20261130000004',
    regionCode: '640105',
    createdAt: '2026-11-30T10:00:00',
    events: [
      { at: '2026-11-30T11:00:00', matter: 'medicalRegistration', state: 'rejected' },
      { at: '2026-11-30T12:00:00', matter: 'archiveTransfer', state: 'manual' },
    ],
    causes: { medicalRegistration: '用人单位不允许以灵活就业人员身份参保' },
  });
  // Training, and the next day: left out.
  await seed({ caseNo: 'LJ20261130000005', regionCode: '640104', createdAt: '2026-11-30T11:00:00', training: true });
  await seed({ caseNo: 'LJ20261201000006', regionCode: '640104', createdAt: '2026-12-01T00:01:00' });
  // Touched long before: not read at all, and nothing in the day.
  await seed({ caseNo: 'LJ20261101000007', regionCode: '640104', createdAt: '2026-11-01T10:00:00' });
});

describe('the schedule', () => {
  it('makes the day before once DAILY_SUMMARY_AT has passed in China, the day before that until then', () => {
    expect(dueDate(at('2026-12-01T00:10:00'), '00:10')).toBe('2026-11-30');
    expect(dueDate(at('2026-12-01T00:09:59'), '00:10')).toBe('2026-11-29');
    // 23:30 UTC on the 30th is already 07:30 on 1 December in China.
    expect(dueDate(new Date('2026-11-30T23:30:00Z'), '06:00')).toBe('2026-11-30');
    expect(dayBounds('2026-11-30')).toEqual({
      start: new Date('2026-11-29T16:00:00Z'),
      end: new Date('2026-11-30T16:00:00Z'),
    });
  });
});

describe('one day, made once', () => {
  it('is made by exactly one of two processes looking at the same instant, and not again', async () => {
    const [a, b] = [service(db.connection), service(await otherProcess())];
    const outcomes = await Promise.all([a.runDue(), b.runDue()]);
    expect(outcomes.map((o) => o.date)).toEqual(['2026-11-30', '2026-11-30']);
    expect(outcomes.filter((o) => o.made)).toHaveLength(1);
    expect((await Promise.all([a.runDue(), b.runDue()])).filter((o) => o.made)).toHaveLength(0);
    const province = await dailySummaryModel(db.connection).findById('64:2026-11-30').lean();
    expect(province?.run).toMatchObject({ state: 'done', runs: 1 });
    expect(province?.producedAt).toEqual(AFTER_TIME);
  });

  it('has the right figures for the province, a city and a county (training cases left out)', async () => {
    const model = dailySummaryModel(db.connection);
    const figures = async (region: string) => (await model.findById(`${region}:2026-11-30`).lean())?.figures;
    expect(await figures('64')).toEqual({
      received: 3,
      receivedByChannel: { app: 2, window: 1 },
      completed: 2,
      completedSameDay: 1,
      manual: 1,
      refused: 1,
      refusalsByReason: [{ reason: '用人单位不允许以灵活就业人员身份参保', count: 1 }],
      ratings: { count: 2, average: 3, byScore: { '1': 1, '2': 0, '3': 0, '4': 0, '5': 1 }, bad: 1 },
    });
    expect(await figures('6401')).toMatchObject({ received: 3, completed: 1, manual: 1, refused: 1 });
    expect(await figures('640104')).toMatchObject({
      received: 2,
      receivedByChannel: { app: 1, window: 1 },
      completed: 1,
      completedSameDay: 1,
      manual: 0,
      ratings: { count: 1, average: 5, bad: 0 },
    });
    expect(await figures('6404')).toMatchObject({ received: 0, completed: 1, ratings: { count: 1, bad: 1 } });
    // A county with nothing that day has a summary of zeros.
    expect(await figures('640181')).toMatchObject({ received: 0, completed: 0, ratings: { count: 0, average: null } });
    expect(await model.countDocuments({ date: '2026-11-30' })).toBe(1 + 5 + 22);
  });

  it('is made once by two running worker loops, the next day included when the clock moves on', async () => {
    let now = at('2026-12-02T03:00:00');
    const options = { now: () => now };
    const loops = [
      new DailySummaryWorker(service(db.connection, options), log),
      new DailySummaryWorker(service(await otherProcess(), options), log),
    ];
    loops.forEach((l) => l.start());
    const looked = (n: number) => loops.every((l) => l.outcomes.length >= n);
    while (!looked(2)) await new Promise((resolve) => setTimeout(resolve, 20));
    now = at('2026-12-03T03:00:00');
    const seen = loops.map((l) => l.outcomes.length);
    while (!loops.every((l, i) => l.outcomes.slice(seen[i]).some((o) => o.date === '2026-12-02'))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.all(loops.map((l) => l.stop()));
    const made = loops.flatMap((l) => l.outcomes.filter((o) => o.made).map((o) => o.date));
    expect(made.sort()).toEqual(['2026-12-01', '2026-12-02']);
    const dec1 = await dailySummaryModel(db.connection).findById('64:2026-12-01').lean();
    expect(dec1?.figures).toMatchObject({ received: 1, manual: 1 });
  });

  it("takes over a run whose worker died once its lease is out, and leaves a live one's alone", async () => {
    const model = dailySummaryModel(db.connection);
    const dead = { state: 'running', holder: 'worker-dead', leaseUntil: at('2026-11-28T00:30:00'), runs: 1 };
    await model.collection.insertOne({
      _id: '64:2026-11-27',
      regionCode: '64',
      date: '2026-11-27',
      run: dead,
    } as never);
    const live = { ...dead, leaseUntil: at('2026-11-29T01:00:00') };
    await model.collection.insertOne({
      _id: '64:2026-11-28',
      regionCode: '64',
      date: '2026-11-28',
      run: live,
    } as never);
    const atTime = (chinaTime: string) => service(db.connection, { now: () => at(chinaTime) });

    expect(await atTime('2026-11-28T00:40:00').runDue()).toMatchObject({ date: '2026-11-27', made: true });
    expect(await atTime('2026-11-29T00:40:00').runDue()).toMatchObject({ date: '2026-11-28', made: false });
    // Its lease (till 01:00) still holds at 00:40, not at 01:01.
    expect(await atTime('2026-11-29T01:01:00').runDue()).toMatchObject({ date: '2026-11-28', made: true });
    expect((await model.findById('64:2026-11-28').lean())?.run).toMatchObject({ state: 'done', runs: 2 });
  });
});

describe('for supervisors', () => {
  it('lists the last days of their own region, newest first, and refuses a region above theirs', async () => {
    const summaries = service(db.connection);
    const list = await summaries.list({ regionCode: '6401' }, '640104');
    expect(list.scheduledAt).toBe('00:10');
    expect(list.summaries.map((s) => s.date)).toEqual([
      '2026-12-02',
      '2026-12-01',
      '2026-11-30',
      '2026-11-28',
      '2026-11-27',
    ]);
    expect(list.summaries[2]).toMatchObject({ regionCode: '640104', regionName: '银川市兴庆区', received: 2 });
    await expect(summaries.list({ regionCode: '6404' }, '6401')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('makes a past day again with a late correction, and refuses today or a future day', async () => {
    await seed({ caseNo: 'LJ20261130000008', regionCode: '640104', createdAt: '2026-11-30T20:00:00' });
    const summaries = service(db.connection);
    const again = await summaries.recompute({ staffId: 'S0005', regionCode: '6401' }, '2026-11-30');
    expect(again).toMatchObject({ regionCode: '6401', date: '2026-11-30', received: 4, producedBy: 'S0005' });
    const province = await dailySummaryModel(db.connection).findById('64:2026-11-30').lean();
    expect(province?.run).toMatchObject({ state: 'done', runs: 2 });
    // Two at once: the second waits for the first and makes the day again after it.
    const both = await Promise.all(
      ['S0005', 'S0006'].map((staffId) => summaries.recompute({ staffId, regionCode: '64' }, '2026-11-30')),
    );
    expect(both.map((s) => s.received)).toEqual([4, 4]);
    expect((await dailySummaryModel(db.connection).findById('64:2026-11-30').lean())?.run).toMatchObject({ runs: 4 });
    await expect(summaries.recompute({ staffId: 'S0005', regionCode: '64' }, '2026-12-01')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('days missed while no worker ran', () => {
  it('are caught up oldest first, one a look, back to the latest made of the shown days', async () => {
    const model = dailySummaryModel(db.connection);
    await model.collection.insertOne({
      _id: '64:2027-01-05',
      regionCode: '64',
      date: '2027-01-05',
      run: { state: 'done', holder: 'worker-gone', leaseUntil: at('2027-01-06T00:20:00'), runs: 1 },
    } as never);
    // Back on 10 January, after 00:10: the 6th to the 9th are missing.
    const worker = service(db.connection, { now: () => at('2027-01-10T00:20:00') });
    const looks = [];
    for (let i = 0; i < 5; i++) looks.push(await worker.runDue());
    expect(looks).toEqual([
      expect.objectContaining({ date: '2027-01-06', made: true }),
      expect.objectContaining({ date: '2027-01-07', made: true }),
      expect.objectContaining({ date: '2027-01-08', made: true }),
      expect.objectContaining({ date: '2027-01-09', made: true }),
      { date: '2027-01-09', made: false },
    ]);
    expect((await model.findById('64:2027-01-07').lean())?.run).toMatchObject({ state: 'done', runs: 1 });
    expect((await model.findById('64:2027-01-07').lean())?.figures).toMatchObject({ received: 0 });
  });

  it('are not made up before the shown days when none of them was made: only the latest due', async () => {
    const worker = service(db.connection, { now: () => at('2027-03-10T00:20:00') });
    expect(await worker.runDue()).toMatchObject({ date: '2027-03-09', made: true });
    expect(await worker.runDue()).toEqual({ date: '2027-03-09', made: false });
    expect(
      await dailySummaryModel(db.connection).countDocuments({ regionCode: '64', date: { $gte: '2027-02-01' } }),
    ).toBe(1);
  });
});

describe('as worker processes', () => {
  const workers: Service[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
  });

  it('is made once by three bff/src/worker.ts processes started together, on the real clock', async () => {
    const due = dueDate(new Date(), '00:10');
    // A fresh start: days made by the tests above would be caught up first when their dates are near today's.
    await dailySummaryModel(db.connection).deleteMany({});
    const made: string[] = [];
    const env = testConfigEnv({
      MONGODB_URI: `${testDatabaseUri().replace(/\/$/, '')}/${db.name}`,
      LOG_LEVEL: 'info',
      DAILY_SUMMARY_AT: '00:10',
    });
    workers.push(
      ...(await Promise.all(
        [1, 2, 3].map((n) =>
          startService({
            name: `worker ${n}`,
            entry: path.join(__dirname, '../../../worker.ts'),
            env,
            onLine: (line) => {
              if (line.includes('"msg":"daily summary made"')) made.push(`${n} ${line}`);
            },
          }),
        ),
      )),
    );
    const model = dailySummaryModel(db.connection);
    // Each process looks at once when it starts; the day is done once one of them has made it.
    while ((await model.findById(`64:${due}`).lean())?.run?.state !== 'done') {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    expect((await model.findById(`64:${due}`).lean())?.run).toMatchObject({ state: 'done', runs: 1 });
    expect(made).toHaveLength(1);
    expect(made[0]).toContain(due);
  }, 120_000); // Starting three processes takes seconds on a busy machine: jest's limit well above that.
});
