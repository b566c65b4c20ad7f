// Crash: the BFF (with its worker) killed with SIGKILL at random moments
// while 50 applications are submitted and worked, then restarted: all of
// them end done, nothing is done twice.
// Scale-out: two BFF processes with their workers on one database share 100
// applications: every one completes, each department hears of each piece of
// work once and under one key, and both processes did work.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import mongoose from 'mongoose';
import { NOTICE, type ApplicationForm } from '@flexins/shared';
import type { Service } from '../../scripts/lib/services';
import { atRest, Citizen } from '../support/citizen';
import { expectNothingTwice } from '../support/ledger';
import { expectEachMessageOnce } from '../support/notifications';
import { enroll, inBatches, makePeople } from '../support/people';
import { freePort } from '../support/process';
import { startBffProcess, startStack, type Stack } from '../support/stack';

const CRASH_COUNT = Number(process.env.CRASH_COUNT ?? 50);
const SCALE_COUNT = Number(process.env.SCALE_COUNT ?? 100);
/** The moments of the kills are random, but reproducible: mulberry32 over a fixed seed. */
const SEED = Number(process.env.CRASH_SEED ?? 20261129);

function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Short leases, so work a killed process held is taken again soon. */
const BFF_ENV = { LEASE_MS: '4000', RETRY_BASE_MS: '50', WORKER_CONCURRENCY: '16', LOG_LEVEL: 'info' };

// Each test has its own simulators and databases, so the records it reads are its own.
let stack: Stack;

afterEach(async () => {
  await stack?.stop();
});

/** Everything up to the submission: sign-in, face check, eligibility, paid postage. */
function prepare(citizens: Citizen[]): Promise<ApplicationForm[]> {
  return inBatches(citizens, 12, (citizen) => citizen.prepare(NOTICE.version));
}

/** Retries through a dead or restarting BFF: connection errors and 5xx mean "try again". */
async function persist<T>(
  what: () => Promise<{ status: number; body: any }>,
  ok: (r: any) => T | undefined,
): Promise<T> {
  const deadline = Date.now() + 240_000;
  let delay = 50;
  for (;;) {
    try {
      const reply = await what();
      if (reply.status < 500) {
        const value = ok(reply);
        if (value !== undefined) return value;
      }
    } catch {
      // the BFF is down: it will be back
    }
    if (Date.now() > deadline) throw new Error('gave up waiting for the BFF');
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 400);
  }
}

const finished = (view: any) =>
  atRest(view) &&
  view.matters.every((m: any) => (m.id === 'premiumDeclaration' ? m.state === 'decided' : m.state === 'delivered'));

it(`loses and repeats nothing when the BFF is killed 3 times during ${CRASH_COUNT} applications`, async () => {
  stack = await startStack({ label: 'crash' });
  const random = seededRandom(SEED);
  const port = String(await freePort());
  let bff: Service = await startBffProcess(stack, { ...BFF_ENV, PORT: port });
  let killer: Promise<void> = Promise.resolve();
  try {
    const people = makePeople(CRASH_COUNT, 11);
    await enroll(stack, people);
    const citizens = people.map((p) => new Citizen(bff.url, stack.simulators.urls.identity, p));
    const forms = await prepare(citizens);

    // The killer: three times, at a random moment 0.2–1.5 s after the BFF came up, SIGKILL and start again.
    const kills: number[] = [];
    killer = (async () => {
      for (let k = 0; k < 3; k++) {
        await new Promise((resolve) => setTimeout(resolve, 200 + random() * 1300));
        const exited = once(bff.child, 'exit');
        bff.child.kill('SIGKILL');
        await exited;
        kills.push(Date.now());
        bff = await startBffProcess(stack, { ...BFF_ENV, PORT: port });
      }
    })();

    // Submissions go on meanwhile; each citizen retries with the same key until answered.
    const caseNos = await inBatches(citizens, 10, (citizen, i) => {
      const key = randomUUID();
      return persist(
        () => citizen.submit(forms[i]!, key),
        (r) => (r.status === 201 || r.status === 200 ? (r.body.caseNo as string) : undefined),
      );
    });
    await killer;
    expect(kills).toHaveLength(3);
    expect(new Set(caseNos).size).toBe(CRASH_COUNT);

    const views = await inBatches(citizens, 10, (citizen, i) =>
      persist(
        () => citizen.call('GET', `/api/applications/${caseNos[i]}`),
        (r) => (r.status === 200 && finished(r.body) ? r.body : undefined),
      ),
    );
    expect(views.every(finished)).toBe(true);
    await expectNothingTwice(stack, people, views);
    // The messages outside the app: a kill between sending and recording sends again under the same key.
    await expectEachMessageOnce(stack, caseNos);
  } finally {
    await killer.catch(() => {});
    await bff.stop();
  }
}, 600_000);

it(`shares ${SCALE_COUNT} applications between two BFF processes, each piece of work done once`, async () => {
  stack = await startStack({ label: 'scale' });
  const worked = [0, 0];
  const count = (n: number) => (line: string) => {
    if (line.includes('"case worked"')) worked[n]! += 1;
  };
  const bffs = [await startBffProcess(stack, BFF_ENV, count(0)), await startBffProcess(stack, BFF_ENV, count(1))];
  try {
    const people = makePeople(SCALE_COUNT, 12);
    await enroll(stack, people);
    // Half the citizens use one process, half the other.
    const citizens = people.map((p, i) => new Citizen(bffs[i % 2]!.url, stack.simulators.urls.identity, p));
    const forms = await prepare(citizens);
    const caseNos = await inBatches(citizens, 20, async (citizen, i) => {
      const submitted = await citizen.submit(forms[i]!);
      expect(submitted.status).toBe(201);
      return submitted.body.caseNo as string;
    });
    const views = await inBatches(citizens, 20, (citizen, i) => citizen.waitForCase(caseNos[i]!, finished, 240_000));
    expect(views.every(finished)).toBe(true);

    // Both processes worked cases.
    expect(worked[0]).toBeGreaterThan(0);
    expect(worked[1]).toBeGreaterThan(0);

    // The departments' own records: once per person, and one key per piece of work of a case.
    await expectNothingTwice(stack, people, views);
    // Two notifiers on one database: each message once.
    await expectEachMessageOnce(stack, caseNos);
    const uri = process.env.MONGODB_URI!.replace(/\/$/, '');
    const connection = await mongoose.createConnection(uri).asPromise();
    try {
      for (const department of ['hrss', 'medical', 'tax'] as const) {
        const records = await connection
          .useDb(stack.simulatorDbNames[department])
          .collection('idempotency_records')
          .find({})
          .toArray();
        // One key per piece of work: per case and operation one, but two for the tax
        // system's registrations (pension and medical are two pieces of work).
        const keys = new Map<string, Set<string>>();
        for (const record of records) {
          const key = String(record._id);
          const caseNo = /LJ\d{14}/.exec(key)?.[0];
          if (!caseNo || !caseNos.includes(caseNo)) continue;
          const work = `${caseNo} ${record.operationId as string}`;
          keys.set(work, (keys.get(work) ?? new Set()).add(key));
        }
        expect(keys.size).toBeGreaterThan(0);
        for (const [work, set] of keys) {
          const expected = work.endsWith(' receiveInsuranceRegistration') ? 2 : 1;
          expect({ work, keys: set.size }).toEqual({ work, keys: expected });
        }
      }
    } finally {
      await connection.close();
    }
  } finally {
    await Promise.all(bffs.map((b) => b.stop()));
  }
}, 600_000);
