// 跟踪回访 end to end, against the real HRSS simulator process (its card and
// archive steps shortened), two BFF processes on one database (each running
// the follow-ups, a quarter of a second apart) and FerretDB: the citizen's
// messages tell of the card made, posted with the very EMS number HRSS holds,
// and signed for, and of the archive in transit and received — each once, in
// order; a card holder hears of the archive only; steps reached while HRSS
// did not answer arrive after it recovers, none twice; and a follow-up that
// forgot what it told, checked from two connections at once, adds nothing
// twice. Every follow-up is finished at the end.
import { NOTICE } from '@flexins/shared';
import { createLogger } from '@flexins/shared/server';
import type { Connection } from 'mongoose';
import type { Service } from '../../../../../scripts/lib/services';
import { Citizen } from '../../../../../tests/support/citizen';
import { enroll, makePeople } from '../../../../../tests/support/people';
import { startBffProcess, startStack, type Stack } from '../../../../../tests/support/stack';
import { findPerson, type RosterPerson } from '../../../../simulators/roster';
import { createDepartments } from '../../../departments';
import { loadConfig } from '../../../platform/config';
import { connectDatabase } from '../../../platform/database';
import { departmentsConfig } from '../../../services';
import { caseModel, eventText, type ApplicationCase } from '../../applications/application.model';
import { FollowUpService } from '../follow-up.service';
import type { FollowUp } from '../follow-up.model';

jest.setTimeout(120_000);

// The card is signed for 3 s after HRSS accepts it, the archive received 1.5 s after.
const CARD_STEP_MS = 1_000;
const ARCHIVE_STEP_MS = 500;
const FOLLOW_UP_INTERVAL_MS = 250;

let stack: Stack;
const bffs: Service[] = [];
/** Each BFF process's log lines. */
const logs: string[][] = [[], []];
let db: Connection;

const person = (key: string): RosterPerson => {
  const found = findPerson(key);
  if (!found) throw new Error(`no roster person ${key}`);
  return found;
};

/** Waits for `done` to hold, asking every 100 ms until the deadline. */
async function until(what: string, done: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const followUp = (caseNo: string) => db.collection<FollowUp>('follow_ups').findOne({ _id: caseNo });

const isCard = (text: string) => text.startsWith('社保卡');
const isArchive = (text: string) => text.startsWith('人事档案');

interface Told {
  text: string;
  at: number;
}

/** The follow-up's entries among the citizen's messages of this case, oldest first. */
async function toldOf(citizen: Citizen, caseNo: string): Promise<Told[]> {
  const reply = await citizen.call('GET', '/api/messages');
  expect(reply.status).toBe(200);
  return (reply.body.messages as { caseNo: string; text: string; createdAt: string }[])
    .filter((m) => m.caseNo === caseNo && (isCard(m.text) || isArchive(m.text)))
    .reverse()
    .map((m) => ({ text: m.text, at: Date.parse(m.createdAt) }));
}

const texts = (told: Told[], which: (text: string) => boolean) => told.map((t) => t.text).filter(which);

async function expectTrackingNo(citizen: Citizen): Promise<string> {
  const [record] = await stack.records('hrss', 'card_applications', citizen.person.idNumber);
  expect(record.trackingNo).toMatch(/^EMS\d{10}$/);
  return record.trackingNo as string;
}

function cardTexts(trackingNo: string): (string | RegExp)[] {
  return [
    '社保卡正在制作，做好后通过中国邮政 EMS 寄到您填写的地址',
    `社保卡已寄出（中国邮政 EMS，邮件号 ${trackingNo}），请留意查收`,
    '社保卡已签收。如果不是您或家人签收的，请拨打 12333',
  ];
}

const ARCHIVE_TEXTS = ['人事档案已转递，正在途中', expect.stringMatching(/^人事档案已由\S+人才交流服务中心接收$/)];

const linesAbout = (caseNo: string, msg: string) =>
  logs.map((lines) => lines.filter((l) => l.includes(caseNo) && l.includes(`"msg":"${msg}"`)));

beforeAll(async () => {
  stack = await startStack({
    label: 'followup',
    simulatorEnv: { SIM_OPT_CARD_STEP_MS: String(CARD_STEP_MS), SIM_OPT_ARCHIVE_STEP_MS: String(ARCHIVE_STEP_MS) },
  });
  for (const n of [0, 1]) {
    bffs.push(
      await startBffProcess(
        stack,
        { FOLLOW_UP_INTERVAL_MS: String(FOLLOW_UP_INTERVAL_MS), LOG_LEVEL: 'debug' },
        (line) => {
          logs[n]!.push(line);
          if (line.includes('"level":"error"')) process.stderr.write(`[BFF ${n}] ${line}\n`);
        },
      ),
    );
  }
  db = await connectDatabase(stack.bffEnv.MONGODB_URI!);
});

afterAll(async () => {
  await Promise.all(bffs.map((b) => b.stop()));
  await db?.close();
  await stack?.stop();
});

let vendor: Citizen;
let vendorCaseNo = '';

it('tells the vendor of the card being made, posted with its EMS number, signed for, and the archive in transit and received — each once, in order', async () => {
  vendor = new Citizen(bffs[0]!.url, stack.simulators.urls.identity, person('eligible-vendor'));
  const submitted = await vendor.apply(NOTICE.version);
  expect(submitted.status).toBe(201);
  vendorCaseNo = submitted.body.caseNo;
  // Opened with the case, before any of its matters is done.
  expect(await followUp(vendorCaseNo)).toMatchObject({ _id: vendorCaseNo, checks: expect.any(Number) });

  await until('the follow-up to finish', async () => (await followUp(vendorCaseNo)) === null);
  const told = await toldOf(vendor, vendorCaseNo);
  expect(texts(told, isCard)).toEqual(cardTexts(await expectTrackingNo(vendor)));
  expect(texts(told, isArchive)).toEqual(ARCHIVE_TEXTS);

  // In the case's timeline too, under their matters; no matter state changed for them.
  const view = await vendor.call('GET', `/api/applications/${vendorCaseNo}`);
  const timeline = view.body.timeline as { matter?: string; text: string }[];
  expect(timeline.filter((e) => isCard(e.text)).map((e) => e.matter)).toEqual(
    Array(3).fill('社会保障卡（含电子社保卡）申领'),
  );
  expect(timeline.filter((e) => isArchive(e.text)).map((e) => e.matter)).toEqual(
    Array(2).fill('流动人员人事档案接收和转递'),
  );
  expect(view.body.status).toBe('awaitingPayment');
});

it('tells a card holder, who applied for no card, of the archive only', async () => {
  const holder = new Citizen(bffs[1]!.url, stack.simulators.urls.identity, person('holds-ningxia-card'));
  const submitted = await holder.apply(NOTICE.version);
  expect(submitted.status).toBe(201);
  const caseNo = submitted.body.caseNo as string;
  await until('the follow-up to finish', async () => (await followUp(caseNo)) === null);
  const told = await toldOf(holder, caseNo);
  expect(texts(told, isCard)).toEqual([]);
  expect(texts(told, isArchive)).toEqual(ARCHIVE_TEXTS);
});

it('had both processes check follow-ups, and each step told by exactly one of them', () => {
  const checked = logs.map((lines) => lines.filter((l) => l.includes('"msg":"follow-up checked"')).length);
  expect(checked[0]).toBeGreaterThan(0);
  expect(checked[1]).toBeGreaterThan(0);
  // A process logs a step only when its write added it: five steps told for the vendor, by one process each.
  const [byFirst, bySecond] = linesAbout(vendorCaseNo, 'follow-up announced');
  expect(byFirst!.length + bySecond!.length).toBe(5);
});

it('tells of the steps HRSS reached while it did not answer once it answers again, none twice', async () => {
  const [worker] = makePeople(1, 41);
  await enroll(stack, [worker!]);
  const citizen = new Citizen(bffs[0]!.url, stack.simulators.urls.identity, worker!);
  const submitted = await citizen.apply(NOTICE.version);
  expect(submitted.status).toBe(201);
  const caseNo = submitted.body.caseNo as string;
  await citizen.waitForCase(caseNo, (v) =>
    v.matters.every((m: any) => !['socialSecurityCard', 'archiveTransfer'].includes(m.id) || m.state === 'delivered'),
  );
  const [card] = await stack.records('hrss', 'card_applications', worker!.idNumber);

  // HRSS falls ill just after accepting the card: its next step is a second away.
  expect((await stack.admin('hrss', 'PUT', '/admin/faults', { errorRate: 1 })).status).toBe(200);
  let recoveredAt = 0;
  try {
    const before = await toldOf(citizen, caseNo);
    // Ill until the card has been signed for as HRSS sees it, and the follow-ups have asked in vain.
    const signedFor = Date.parse(card.acceptedAt) + 3 * CARD_STEP_MS;
    await until('questions HRSS did not answer', () => {
      const warned = linesAbout(caseNo, 'follow-up: HRSS did not answer').flat();
      return warned.length >= 3 && Date.now() > signedFor + 200;
    });
    expect(await toldOf(citizen, caseNo)).toEqual(before);
    expect((await citizen.call('GET', `/api/applications/${caseNo}`)).status).toBe(200);
  } finally {
    await stack.admin('hrss', 'PUT', '/admin/faults', { errorRate: 0 });
    recoveredAt = Date.now();
  }

  // Tried again at the next interval (and once the breaker lets it): everything arrives, once.
  await until('the follow-up to finish', async () => (await followUp(caseNo)) === null);
  const told = await toldOf(citizen, caseNo);
  expect(texts(told, isCard)).toEqual(cardTexts(await expectTrackingNo(citizen)));
  expect(texts(told, isArchive)).toEqual(ARCHIVE_TEXTS);
  const signed = told.find((t) => t.text.startsWith('社保卡已签收'))!;
  expect(signed.at).toBeGreaterThanOrEqual(recoveredAt - 5);

  // The warnings name the case and the item, never the person.
  const warnings = linesAbout(caseNo, 'follow-up: HRSS did not answer').flat();
  for (const secret of [worker!.idNumber, worker!.name, worker!.phone]) {
    expect(warnings.filter((l) => l.includes(secret))).toEqual([]);
  }
});

it('adds nothing twice when checks of a follow-up that forgot what it told run from two connections at once', async () => {
  const config = loadConfig(stack.bffEnv);
  const departments = createDepartments(departmentsConfig(config));
  const quiet = createLogger('error', () => {});
  const second = await connectDatabase(stack.bffEnv.MONGODB_URI!);
  try {
    const services = [db, second].map((c) => new FollowUpService(c, departments, quiet, { intervalMs: 60_000 }));
    const cases = caseModel(db);
    const checkAll = async () => {
      // As after a crash between telling and noting: the follow-up again, with no memory, not due for the processes.
      await services[0]!.open(vendorCaseNo);
      const forgetful = (await services[0]!.model.findById(vendorCaseNo).lean<FollowUp>())!;
      return Promise.all(Array.from({ length: 6 }, (_, i) => services[i % 2]!.check(forgetful)));
    };
    const before = await toldOf(vendor, vendorCaseNo);

    // 1. everything told already: nothing is added again
    const again = await checkAll();
    expect(again.flatMap((o) => (o.kind === 'dropped' ? [] : o.announced))).toEqual([]);
    expect(await toldOf(vendor, vendorCaseNo)).toEqual(before);

    // 2. the entries taken out of the timeline: six checks at once put each back exactly once
    const caseDoc = (await cases.findById(vendorCaseNo).lean<ApplicationCase>())!;
    const kept = caseDoc.events.filter((e) => !isCard(eventText(e)) && !isArchive(eventText(e)));
    await cases.collection.updateOne({ _id: vendorCaseNo } as never, { $set: { events: kept } });
    const refilled = await checkAll();
    expect(refilled.flatMap((o) => (o.kind === 'dropped' ? [] : o.announced)).sort()).toEqual(
      ['delivered', 'inTransit', 'posted', 'producing', 'received'].sort(),
    );
    const after = await toldOf(vendor, vendorCaseNo);
    expect(texts(after, isCard)).toEqual(texts(before, isCard));
    expect(texts(after, isArchive)).toEqual(texts(before, isArchive));
    expect(await followUp(vendorCaseNo)).toBeNull();
  } finally {
    await second.close();
  }
});

it('leaves no follow-up open at the end', async () => {
  expect(await db.collection('follow_ups').countDocuments({})).toBe(0);
});
