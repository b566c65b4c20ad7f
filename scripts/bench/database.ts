// `node --import tsx scripts/bench/database.ts`: the embedded database's two
// configurations side by side (FLEXINS_DB=sqlite and =postgres, each started
// here in a temporary folder, durable as under `npm start`), or the server
// MONGODB_URI names. Figures, not assertions:
//   1. the atomicity probes: 25 concurrent `$inc`s of one document (25 is
//      right) and 25 concurrent compare-and-set claims of it (1 winner);
//   2. updates by `_id` per second with 1, 8 and 32 writers, each on a
//      document of its own (2 KB), for BENCH_WRITE_SECONDS (3) each;
//   3. the database's own CPU per operation and the ceiling it sets: reads by
//      `_id` of a case-sized document (4.6 KB, as a progress read fetches)
//      with 50 readers, and updates by `_id` of one with 32 writers, for
//      BENCH_WRITE_SECONDS each; the CPU of the database's processes (FerretDB,
//      and PostgreSQL's server processes) divided by the operations done, and
//      the operations per second both cores would give the database alone;
//   4. look-ups among BENCH_CASES (10,000) case-like documents (4 KB, the
//      BFF's indexes on cases, jobs and follow-ups, as many jobs and
//      follow-ups as cases with 10 of each due): by ID-number hash, by phone
//      hash (the staff `$or` of phone and mailing phone), by `_id`, the job
//      queue's lease and the follow-ups' lease; median and p95 of
//      BENCH_LOOKUPS (100) each, one after another. On PostgreSQL they are
//      timed once the planner has the fresh tables' statistics (autovacuum's
//      analyze; the wait is printed): before that it may not use the indexes.
// BENCH_DB=sqlite or =postgres measures only that configuration.
// Prints a table and writes artifacts/bench/database-<time>.json.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Db } from 'mongodb';
import { databaseKind, ensureFerretDbBuilt, startFerretDb } from '../lib/ferretdb';
import { CLOCK_TICKS_PER_S, processes, withDescendants } from '../lib/proc';
import { ARTIFACTS_DIR } from '../paths';

const settings = {
  writeSeconds: Number(process.env.BENCH_WRITE_SECONDS ?? 3),
  cases: Number(process.env.BENCH_CASES ?? 10_000),
  lookups: Number(process.env.BENCH_LOOKUPS ?? 100),
};
const WRITERS = [1, 8, 32];
const DUE = 10;

const log = (line: string) => process.stdout.write(`${line}\n`);

interface Figures {
  configuration: string;
  probes: { increments: number; claimWinners: number };
  writesPerSecond: Record<string, number>;
  lookupMs: Record<string, { p50: number; p95: number }>;
  /** The database's CPU per operation, and operations/s if both cores were the database's alone. */
  ceilings: Record<string, { perSecond: number; cpuMsPerOp: number; ceilingPerSecond: number }>;
}

/** CPU seconds so far of this script's descendants: the database's processes (FerretDB, PostgreSQL). */
function databaseCpuSeconds(): number {
  const all = processes();
  const ours = withDescendants(process.pid, all);
  ours.delete(process.pid);
  return all.filter((p) => ours.has(p.pid)).reduce((sum, p) => sum + p.ticks, 0) / CLOCK_TICKS_PER_S;
}

interface CaseLike {
  _id: string;
  caseNo: string;
  status: string;
  version: number;
  matters: Record<string, unknown>;
  events: unknown[];
  updatedAt?: Date;
}

/** A document shaped and sized like a case at rest (4.6 KB): matters, a timeline of 20 entries. */
function caseLike(i: number): CaseLike {
  return {
    _id: `C${String(i).padStart(10, '0')}`,
    caseNo: `C${String(i).padStart(10, '0')}`,
    status: 'awaitingPayment',
    version: 9,
    matters: Object.fromEntries(
      ['employment', 'archive', 'pension', 'card', 'medical', 'premium'].map((m) => [
        m,
        { state: 'delivered', refs: { number: `${m}-${i}` }, text: '已办结，编号见右。'.repeat(4), at: new Date() },
      ]),
    ),
    events: Array.from({ length: 20 }, (_, k) => ({
      at: new Date(),
      matter: 'pension',
      state: 'accepted',
      text: `第 ${k} 步：部门已受理，正在办理。`.repeat(3),
    })),
  };
}

/** `run` by `workers` loops for BENCH_WRITE_SECONDS: operations/s and the database's CPU per operation. */
async function ceiling(workers: number, run: (worker: number) => Promise<unknown>) {
  let done = 0;
  const cpuBefore = databaseCpuSeconds();
  const started = Date.now();
  const until = started + settings.writeSeconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (Date.now() < until) {
        await run(worker);
        done++;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const cpuMsPerOp = ((databaseCpuSeconds() - cpuBefore) * 1000) / done;
  return {
    perSecond: Math.round(done / seconds),
    cpuMsPerOp: Math.round(cpuMsPerOp * 100) / 100,
    ceilingPerSecond: Math.round((os.availableParallelism() * 1000) / cpuMsPerOp),
  };
}

async function ceilings(db: Db): Promise<Figures['ceilings']> {
  const docs = db.collection<CaseLike>('case_like');
  const n = 200;
  await docs.insertMany(Array.from({ length: n }, (_, i) => caseLike(i)));
  const size = Buffer.byteLength(JSON.stringify(caseLike(0)));
  const id = (k: number) => `C${String(k % n).padStart(10, '0')}`;
  let next = 0;
  return {
    [`read by _id, ${(size / 1024).toFixed(1)} KB, 50 readers`]: await ceiling(50, async () => {
      if (!(await docs.findOne({ _id: id(next++ * 37) }))) throw new Error('case-like document missing');
    }),
    [`update by _id, ${(size / 1024).toFixed(1)} KB, 32 writers`]: await ceiling(32, (worker) =>
      docs.updateOne({ _id: id(worker) }, { $inc: { version: 1 }, $set: { updatedAt: new Date() } }),
    ),
  };
}

async function probes(db: Db): Promise<Figures['probes']> {
  const counters = db.collection<{ _id: string; value: number; owner: number | null }>('probe');
  await counters.insertOne({ _id: 'c', value: 0, owner: null });
  await Promise.all(Array.from({ length: 25 }, () => counters.updateOne({ _id: 'c' }, { $inc: { value: 1 } })));
  const claims = await Promise.all(
    Array.from({ length: 25 }, (_, i) => counters.findOneAndUpdate({ _id: 'c', owner: null }, { $set: { owner: i } })),
  );
  return { increments: (await counters.findOne({ _id: 'c' }))!.value, claimWinners: claims.filter(Boolean).length };
}

async function writesPerSecond(db: Db, writers: number): Promise<number> {
  const docs = db.collection<{ _id: string; n: number; at: Date; detail: string }>(`writes_${writers}`);
  const ids = Array.from({ length: writers }, (_, i) => `w${i}`);
  await docs.insertMany(
    ids.map((_id) => ({ _id, n: 0, at: new Date(), detail: randomBytes(1500).toString('base64') })),
  );
  let done = 0;
  const until = Date.now() + settings.writeSeconds * 1000;
  const started = Date.now();
  await Promise.all(
    ids.map(async (_id) => {
      while (Date.now() < until) {
        await docs.updateOne({ _id }, { $inc: { n: 1 }, $set: { at: new Date() } });
        done++;
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  const counted = (await docs.find().toArray()).reduce((sum, d) => sum + d.n, 0);
  if (counted !== done) throw new Error(`lost updates: ${done} acknowledged, ${counted} counted`);
  return Math.round(done / elapsed);
}

function hash(i: number, what: string): string {
  return `${what}-${String(i).padStart(6, '0')}-${'x'.repeat(32)}`;
}

/** Documents keyed by a string, as the BFF's hot documents are. */
type Keyed = { _id: string } & Record<string, unknown>;
type Job = { _id: string; runAt: Date; leaseUntil: Date; leases: number; version: number; createdAt: Date };
type FollowUp = { _id: string; nextAt: Date; checks: number; createdAt: Date };

async function seed(db: Db): Promise<void> {
  const cases = db.collection<Keyed>('cases');
  const jobs = db.collection<Job>('jobs');
  const followUps = db.collection<FollowUp>('follow_ups');
  // As the BFF's models declare them (application.model.ts, jobs.ts, follow-up.model.ts).
  await cases.createIndexes([
    { key: { caseNo: 1 }, unique: true },
    { key: { applicantId: 1, createdAt: -1 } },
    { key: { idNumberHash: 1 } },
    { key: { phoneHash: 1 } },
    { key: { mailingPhoneHash: 1 } },
  ]);
  await jobs.createIndexes([{ key: { runAt: 1 } }]);
  await followUps.createIndexes([{ key: { nextAt: 1 } }]);
  const now = Date.now();
  const batch = 500;
  for (let from = 0; from < settings.cases; from += batch) {
    const range = Array.from({ length: Math.min(batch, settings.cases - from) }, (_, k) => from + k);
    await cases.insertMany(
      range.map((i) => ({
        _id: `NX${String(i).padStart(10, '0')}`,
        caseNo: `NX${String(i).padStart(10, '0')}`,
        applicantId: `a${i}`,
        idNumberHash: hash(i, 'id'),
        phoneHash: hash(i, 'ph'),
        mailingPhoneHash: hash(i, 'mp'),
        state: 'completed',
        createdAt: new Date(now - i * 60_000),
        matters: Object.fromEntries(
          ['employment', 'archive', 'pension', 'card', 'medical', 'premium'].map((m) => [
            m,
            { state: 'done', attempts: 1, receipt: `R-${m}-${i}`, at: new Date(now) },
          ]),
        ),
        sealed: randomBytes(2300).toString('base64'),
      })),
    );
    const later = new Date(now + 3_600_000);
    await jobs.insertMany(
      range.map((i) => ({
        _id: `NX${String(i).padStart(10, '0')}`,
        runAt: i < DUE ? new Date(now - 1000) : later,
        leaseUntil: new Date(0),
        leases: 0,
        version: 0,
        createdAt: new Date(now),
      })),
    );
    await followUps.insertMany(
      range.map((i) => ({
        _id: `NX${String(i).padStart(10, '0')}`,
        nextAt: i < DUE ? new Date(now - 1000) : later,
        checks: 0,
        createdAt: new Date(now),
      })),
    );
  }
}

async function timed(run: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < settings.lookups; i++) {
    const started = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 100) / 100;
  return { p50: at(0.5), p95: at(0.95) };
}

/**
 * On PostgreSQL, waits (at most 2 minutes) until the planner answers the phone
 * look-up from an index, which it does once autovacuum has analysed the
 * fresh table; returns the seconds waited. Elsewhere FerretDB's explain has
 * no PostgreSQL plan, and this returns at once.
 */
async function untilPlannedWithIndex(db: Db): Promise<number> {
  const started = Date.now();
  const phoneHash = hash(0, 'ph');
  for (;;) {
    const explained = await db.command({
      explain: { find: 'cases', filter: { $or: [{ phoneHash }, { mailingPhoneHash: phoneHash }] } },
    });
    const plan = JSON.stringify(explained.queryPlanner ?? {});
    if (!plan.includes('"Node Type"') || plan.includes('Index Scan') || Date.now() - started > 120_000) {
      return Math.round((Date.now() - started) / 1000);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function lookups(db: Db): Promise<Figures['lookupMs']> {
  const cases = db.collection<Keyed>('cases');
  const jobs = db.collection<Job>('jobs');
  const followUps = db.collection<FollowUp>('follow_ups');
  const pick = (i: number) => (i * 7919) % settings.cases;
  const expectOne = (found: unknown[]) => {
    if (found.length !== 1) throw new Error(`expected one document, found ${found.length}`);
  };
  return {
    'by ID-number hash': await timed(async (i) =>
      expectOne(await cases.find({ idNumberHash: hash(pick(i), 'id') }).toArray()),
    ),
    'by phone hash ($or)': await timed(async (i) => {
      const phoneHash = hash(pick(i), 'ph');
      expectOne(await cases.find({ $or: [{ phoneHash }, { mailingPhoneHash: phoneHash }] }).toArray());
    }),
    'by _id': await timed(async (i) =>
      expectOne(await cases.find({ _id: `NX${String(pick(i)).padStart(10, '0')}` }).toArray()),
    ),
    'job lease (due by runAt)': await timed(async () => {
      const now = new Date();
      const job = await jobs.findOneAndUpdate(
        { runAt: { $lte: now }, leaseUntil: { $lte: now } },
        { $set: { leaseUntil: new Date(now.getTime() + 30_000) }, $inc: { leases: 1 } },
        { sort: { runAt: 1 }, returnDocument: 'after' },
      );
      if (!job) throw new Error('no due job');
      await jobs.updateOne({ _id: job._id }, { $set: { leaseUntil: new Date(0) } });
    }),
    'follow-up lease (due by nextAt)': await timed(async () => {
      const now = new Date();
      const due = await followUps.findOneAndUpdate(
        { nextAt: { $lte: now } },
        { $set: { nextAt: new Date(now.getTime() + 3_600_000) }, $inc: { checks: 1 } },
        { sort: { nextAt: 1 }, returnDocument: 'after' },
      );
      if (!due) throw new Error('no due follow-up');
      await followUps.updateOne({ _id: due._id }, { $set: { nextAt: new Date(now.getTime() - 1000) } });
    }),
  };
}

async function measure(configuration: string, uri: string): Promise<Figures> {
  const connection = await mongoose
    .createConnection(uri, { dbName: `bench_${randomBytes(4).toString('hex')}` })
    .asPromise();
  const db = connection.db!;
  try {
    log(`[${configuration}] probes…`);
    const probeFigures = await probes(db);
    const writes: Record<string, number> = {};
    for (const writers of WRITERS) {
      log(`[${configuration}] ${writers} writer(s)…`);
      writes[String(writers)] = await writesPerSecond(db, writers);
    }
    log(`[${configuration}] the database's CPU per operation…`);
    const ceilingFigures = await ceilings(db);
    log(`[${configuration}] seeding ${settings.cases} cases, jobs and follow-ups…`);
    const seeded = Date.now();
    await seed(db);
    log(`[${configuration}] seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
    const waited = await untilPlannedWithIndex(db);
    if (waited > 0) log(`[${configuration}] ${waited} s until PostgreSQL had the tables' statistics`);
    log(`[${configuration}] look-ups…`);
    const lookupFigures = await lookups(db);
    return {
      configuration,
      probes: probeFigures,
      writesPerSecond: writes,
      lookupMs: lookupFigures,
      ceilings: ceilingFigures,
    };
  } finally {
    await db.dropDatabase();
    await connection.close();
  }
}

async function main(): Promise<void> {
  const results: Figures[] = [];
  if (process.env.MONGODB_URI) {
    results.push(await measure('MONGODB_URI', process.env.MONGODB_URI));
  } else {
    ensureFerretDbBuilt(log);
    const kinds = (process.env.BENCH_DB ?? 'sqlite,postgres').split(',').map((k) => databaseKind(k));
    for (const kind of kinds) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `flexins-bench-db-${kind}-`));
      const database = await startFerretDb({ dataDir, kind });
      try {
        results.push(await measure(kind, database.uri));
      } finally {
        await database.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  log('');
  log(`| figure | ${results.map((r) => r.configuration).join(' | ')} |`);
  log(`| --- | ${results.map(() => '---').join(' | ')} |`);
  log(`| 25 concurrent $inc → value | ${results.map((r) => r.probes.increments).join(' | ')} |`);
  log(`| 25 concurrent claims → winners | ${results.map((r) => r.probes.claimWinners).join(' | ')} |`);
  for (const writers of WRITERS) {
    log(`| updates/s, ${writers} writer(s) | ${results.map((r) => r.writesPerSecond[String(writers)]).join(' | ')} |`);
  }
  for (const name of Object.keys(results[0]!.ceilings)) {
    log(
      `| ${name}: per s / database CPU per op / per s with both cores the database's | ${results
        .map(
          (r) =>
            `${r.ceilings[name]!.perSecond} / ${r.ceilings[name]!.cpuMsPerOp} ms / ${r.ceilings[name]!.ceilingPerSecond}`,
        )
        .join(' | ')} |`,
    );
  }
  for (const name of Object.keys(results[0]!.lookupMs)) {
    log(
      `| ${name}, p50 / p95 ms at ${settings.cases} | ${results.map((r) => `${r.lookupMs[name]!.p50} / ${r.lookupMs[name]!.p95}`).join(' | ')} |`,
    );
  }
  fs.mkdirSync(path.join(ARTIFACTS_DIR, 'bench'), { recursive: true });
  const file = path.join(ARTIFACTS_DIR, 'bench', `database-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ settings, results }, null, 2));
  log(`\n${file}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
