// `node --import tsx scripts/bench/ferretdb-patches.ts`: each of our
// build-time patches to FerretDB (scripts/ferretdb/patches.json) against the
// build without it, so that a patch stays only while its figure says it
// matters. Builds the full program and one variant per group with that
// group's patches (and added files) left out, each to its own folder under
// .cache/ferretdb-ab/ (never the cached binary the tests use), then runs them
// alternately, full first, BENCH_ROUNDS (2) rounds each. Take it under the
// exclusive quiet lock.
//
// On SQLite, a fresh folder per run: 1,000 case-shaped documents (5 KB, 10
// timeline events) for the compare-and-set `{_id, state}` (p50 of 200), and
// 1,000 of 12.9 KB (six matters, 60 events) for reads by `_id` (8 readers,
// 5 s) and look-ups by a field other than `_id` (which decode every case,
// p50 of 10); the database's CPU per read and per look-up (from /proc,
// which the load of others' processes moves less than time).
// On PostgreSQL (the `postgresql` group): scripts/bench/database.ts's
// look-ups among 10,000 cases, run on the variant (FLEXINS_CACHE_DIR).
// BENCH_PATCHES=id-narrowing,decoder,stack-trace,postgresql picks groups.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Db } from 'mongodb';
import { buildFerretDb, sourceFingerprint, startFerretDb, type DatabaseKind } from '../lib/ferretdb';
import { CACHE_DIR, ROOT } from '../paths';

const GROUPS: Record<string, { leaveOut: (file: string) => boolean; on: DatabaseKind; figures: string[] }> = {
  'id-narrowing': {
    leaveOut: (f) => f === 'internal/backends/sqlite/collection.go',
    on: 'sqlite',
    figures: ['compare-and-set p50 ms'],
  },
  decoder: {
    leaveOut: (f) => f.startsWith('internal/handler/sjson/'),
    on: 'sqlite',
    figures: ['CPU ms per read', 'CPU ms per look-up'],
  },
  'stack-trace': {
    leaveOut: (f) => f === 'internal/util/resource/resource.go',
    on: 'sqlite',
    figures: ['CPU ms per read'],
  },
  postgresql: {
    leaveOut: (f) => f.startsWith('internal/backends/postgresql/'),
    on: 'postgres',
    figures: ['by phone hash ($or)', 'by _id', 'job lease (due by runAt)', 'follow-up lease (due by nextAt)'],
  },
};
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const chosen = (process.env.BENCH_PATCHES ?? Object.keys(GROUPS).join(',')).split(',');
const log = (line: string) => process.stdout.write(`${line}\n`);
const AB_DIR = path.join(CACHE_DIR, 'ferretdb-ab');
/** Laid out as paths.js lays out the cache, so that FLEXINS_CACHE_DIR=<variant folder> runs it. */
const binOf = (variant: string) => path.join(AB_DIR, variant, 'ferretdb', 'ferretdb-embedded');

const MATTERS = ['hrss', 'medical', 'tax', 'archive', 'residence', 'postage'];
const TEXT = '您的参保登记已受理，正在等待人社部门审核，请留意短信通知。';
const caseNo = (i: number) => `C${String(i).padStart(8, '0')}`;
type CaseLike = { _id: string } & Record<string, unknown>;

function caseDoc(i: number, events: number): CaseLike {
  const at = new Date(1_760_000_000_000 + i * 1000);
  return {
    _id: caseNo(i),
    caseNo: caseNo(i),
    submissionKey: `a${i}:k${i}`,
    openCaseKey: `a${i}`,
    applicantId: `a${i}`,
    channel: 'miniapp',
    status: 'processing',
    state: 'open',
    training: false,
    idNumberHash: `id${i}`.padEnd(64, 'x'),
    phoneHash: `ph${i}`.padEnd(64, 'y'),
    mailingPhoneHash: `mp${i}`.padEnd(64, 'z'),
    nameMasked: '张*',
    idNumberMasked: '640***********1234',
    phoneMasked: '138****0000',
    createdAt: at,
    updatedAt: at,
    matters: Object.fromEntries(
      MATTERS.map((m, k) => [
        m,
        {
          state: 'waiting',
          cause: TEXT,
          attempts: k,
          lastError: '',
          refs: { registrationNo: `R${i}${k}`, letterNo: `L${i}${k}` },
          result: { assessment: 1234.5 + k, card: { no: `E${i}`, issued: at } },
          updatedAt: at,
          retryAt: at,
        },
      ]),
    ),
    events: Array.from({ length: events }, (_, k) => ({ at, matter: MATTERS[k % 6], state: 'waiting', text: TEXT })),
    amount: 4521.75,
    months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  };
}

/** User and system CPU milliseconds of a process so far. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function median(times: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = process.hrtime.bigint();
    await run(i);
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

async function sqliteFigures(db: Db, pid: number): Promise<Record<string, number>> {
  const cas = db.collection<CaseLike>('cas');
  await cas.insertMany(Array.from({ length: 1000 }, (_, i) => caseDoc(i, 10)));
  const casMs = await median(200, (i) =>
    cas.updateOne({ _id: caseNo((i * 37) % 1000), state: i % 2 ? 'b' : 'open' }, { $set: { state: 'b' } }),
  );
  const cases = db.collection<CaseLike>('cases');
  await cases.insertMany(Array.from({ length: 1000 }, (_, i) => caseDoc(i, 60)));
  let reads = 0;
  const before = cpuMs(pid);
  const end = Date.now() + 5000;
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let k = w; Date.now() < end; k += 8, reads++) await cases.findOne({ _id: caseNo((k * 13) % 1000) });
    }),
  );
  const perRead = (cpuMs(pid) - before) / reads;
  const beforeScans = cpuMs(pid);
  const scanMs = await median(10, (i) => cases.findOne({ idNumberHash: `id${i * 97}`.padEnd(64, 'x') }));
  return {
    'compare-and-set p50 ms': casMs,
    'reads per second': reads / 5,
    'CPU ms per read': perRead,
    'look-up p50 ms': scanMs,
    'CPU ms per look-up': (cpuMs(pid) - beforeScans) / 10,
  };
}

async function runSqlite(variant: string): Promise<Record<string, number>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexins-ab-'));
  const database = await startFerretDb({ dataDir, kind: 'sqlite', bin: binOf(variant) });
  try {
    const connection = await mongoose.createConnection(database.uri, { dbName: 'ab' }).asPromise();
    try {
      return await sqliteFigures(connection.db!, database.pid!);
    } finally {
      await connection.close();
    }
  } finally {
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** scripts/bench/database.ts on PostgreSQL with the variant's build; its look-up p50s. */
function runPostgres(variant: string): Record<string, number> {
  fs.writeFileSync(`${binOf(variant)}.source-sha256`, sourceFingerprint());
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench/database.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      FLEXINS_CACHE_DIR: path.join(AB_DIR, variant),
      BENCH_DB: 'postgres',
      BENCH_WRITE_SECONDS: '1',
      BENCH_LOOKUPS: '40',
    },
  });
  if (run.status !== 0) throw new Error(`database.ts (${variant}): ${`${run.stdout}${run.stderr}`.trim().slice(-800)}`);
  const figures: Record<string, number> = {};
  for (const match of run.stdout.matchAll(/^\| (.+), p50 \/ p95 ms at \d+ \| ([\d.]+) \//gm)) {
    figures[match[1]!] = Number(match[2]);
  }
  return figures;
}

async function main(): Promise<void> {
  const groups = chosen.map((name) => {
    const group = GROUPS[name];
    if (!group) throw new Error(`BENCH_PATCHES: 没有 "${name}"（可选 ${Object.keys(GROUPS).join('、')}）`);
    return [name, group] as const;
  });
  log(`building the full program and ${groups.length} variant(s) in ${path.relative(ROOT, AB_DIR)}/ …`);
  buildFerretDb(binOf('full'));
  for (const [name, group] of groups) buildFerretDb(binOf(name), group.leaveOut);

  const rows: string[] = [];
  for (const [name, group] of groups) {
    const seen: Record<string, Record<string, number[]>> = { full: {}, [name]: {} };
    for (let round = 1; round <= rounds; round++) {
      for (const variant of ['full', name]) {
        const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
        const figures = group.on === 'sqlite' ? await runSqlite(variant) : runPostgres(variant);
        log(
          `${name} round ${round} ${variant} (load ${load}): ${JSON.stringify(figures, (_, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(2)) : v))}`,
        );
        for (const [figure, value] of Object.entries(figures)) (seen[variant]![figure] ??= []).push(value);
      }
    }
    const range = (values: number[] = []) =>
      values.length ? `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}` : '–';
    for (const figure of group.figures) {
      rows.push(`| ${name} | ${figure} (${group.on}) | ${range(seen.full![figure])} | ${range(seen[name]![figure])} |`);
    }
  }
  log('');
  log('| left out | figure | full build | without |');
  log('| --- | --- | --- | --- |');
  for (const row of rows) log(row);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
