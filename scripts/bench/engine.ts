// `npm run bench`: how fast the engine is, against the six simulators at
// their default latencies, FerretDB and the BFF as a process — figures, not
// assertions. It measures:
//   1. submission → every matter at rest (awaitingPayment), p50/p95 over
//      applications submitted one after another, beside the critical path
//      the department latencies alone impose;
//   2. sustained submissions per second, end to end: many citizens submit at
//      once and the clock runs until the last case is at rest;
//   3. progress reads per second (GET /api/applications/:caseNo) beside a
//      bare Koa "hello" on the same machine, as a ratio;
//   4. the BFF's memory (VmRSS, VmHWM) at idle and after the load.
// Prints a table and writes artifacts/bench/engine-<time>.json.
//
// Settings (environment): MONGODB_URI (else an embedded FerretDB in a temp
// folder, on FLEXINS_DB's configuration; BENCH_DB=sqlite,postgres or
// `npm run bench -- --db both` runs each in turn and prints them side by
// side), BENCH_SEQUENTIAL (50), BENCH_BURST (100), BENCH_SUBMITTERS (50),
// BENCH_READ_CONNECTIONS (50), BENCH_READ_SECONDS (5), BENCH_BFF_ENV
// (extra BFF settings, e.g. `WORKER_CONCURRENCY=16,LOG_LEVEL=warn`; the BFF
// runs 64 cases at once unless it says otherwise),
// BENCH_CPU_PROF=1 (profile the BFF and the simulators in the sustained phase, or with
// BENCH_CPU_PROF_PHASE=reads in the progress reads, and print where their CPU went),
// BENCH_DB_TRACE=1 (time every database command of the BFF through a tap).
// Citizens wait out a 429 or 503 and ask again (Retry-After, else back-off),
// as the app does, and the retries are counted; any other unexpected answer
// stops the run with its status and body.
// Besides the figures it prints the CPU seconds of each process group per
// phase (other processes on the machine included, so a busy machine shows)
// and how many cases had a matter accepted or finished twice.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { NOTICE, chinaToday, makeIdNumber, type CaseView } from '@flexins/shared';
import type { FaultSettings } from '../../bff/simulators/common/faults';
import type { NewPerson } from '../../bff/simulators/roster-schema';
import { builtEntry, ensureServerBuilt } from '../lib/build';
import { ensureFerretDbBuilt, startFerretDb, type RunningDatabase } from '../lib/ferretdb';
import { CLOCK_TICKS_PER_S, processes, withDescendants } from '../lib/proc';
import { startService, stopChild, type Service } from '../lib/services';
import { DEPARTMENTS, startSimulators, type Department, type RunningSimulators } from '../lib/simulators';
import { ARTIFACTS_DIR, BUILD_DIR, ROOT } from '../paths';
import { chosenKinds, runEach } from './side-by-side';
import { bytesWritten, phaseCommands, sizeBreakdown, startDbTap, type PhaseCommands } from './db-tap';

const settings = {
  sequential: Number(process.env.BENCH_SEQUENTIAL ?? 50),
  burst: Number(process.env.BENCH_BURST ?? 100),
  submitters: Number(process.env.BENCH_SUBMITTERS ?? 50),
  readConnections: Number(process.env.BENCH_READ_CONNECTIONS ?? 50),
  readSeconds: Number(process.env.BENCH_READ_SECONDS ?? 5),
  bffEnv: Object.fromEntries(
    (process.env.BENCH_BFF_ENV ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  ),
  cpuProfile: process.env.BENCH_CPU_PROF === '1',
  /** The phase profiled: `sustained` (the default) or `reads`. */
  profilePhase: process.env.BENCH_CPU_PROF_PHASE === 'reads' ? 'reads' : 'sustained',
  dbTrace: process.env.BENCH_DB_TRACE === '1',
};

const log = (line: string) => process.stdout.write(`${line}\n`);

// ---- a small HTTP client: keep-alive, and a loopback address per citizen -----------------

interface Reply<T> {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON, taken to be T (the BFF's and simulators' replies are checked by their own tests). */
  body: T;
}

function request<T = Record<string, unknown>>(
  agent: http.Agent,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const target = new URL(url);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        agent,
        headers: {
          ...headers,
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // an HTML page or a redirect: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
      err.reusedSocket = req.reusedSocket;
      reject(err);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within 60 s`)));
    req.end(payload);
  });
}

/**
 * 429s and 503s a citizen's app waited out and asked again (a busy machine shows here), and
 * requests sent again because the kept-alive connection they went out on had just been closed.
 */
const retried = { count: 0, waitedMs: 0, connectionResets: 0 };

/**
 * A request as a citizen's app makes it: a 429 or 503 is waited out (its
 * Retry-After, else a growing back-off with jitter) and asked again, up to
 * two minutes; any other answer than `expected` stops the run, naming the
 * request, the status and the body.
 */
async function ask<T = Record<string, unknown>>(
  agent: http.Agent,
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; expected?: number[] } = {},
): Promise<Reply<T>> {
  const giveUpAt = Date.now() + 120_000;
  for (let attempt = 1; ; attempt++) {
    let reply: Reply<T>;
    try {
      reply = await request<T>(agent, method, url, options.body, options.headers);
    } catch (err) {
      // A kept-alive connection the BFF closed (its 5 s idle limit) just as this request went out on
      // it: the request never reached it, so it is sent again on a new one (as Node's documentation
      // advises). Anything else stops the run.
      const e = err as NodeJS.ErrnoException & { reusedSocket?: boolean };
      if (e.code === 'ECONNRESET' && e.reusedSocket && attempt < 3) {
        retried.connectionResets += 1;
        continue;
      }
      throw err;
    }
    const ok = options.expected ? options.expected.includes(reply.status) : reply.status >= 200 && reply.status < 300;
    if (ok) return reply;
    if ((reply.status === 429 || reply.status === 503) && Date.now() < giveUpAt) {
      const after = Number(reply.headers['retry-after']);
      const backoff = Math.min(10_000, 250 * 2 ** (attempt - 1));
      const waitMs = Number.isFinite(after) && after >= 0 ? after * 1000 : backoff / 2 + Math.random() * (backoff / 2);
      retried.count += 1;
      retried.waitedMs += waitMs;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      continue;
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const where = new URL(url);
    throw new Error(
      `${method} ${where.pathname} answered ${reply.status} (expected ${options.expected?.join('/') ?? '2xx'})` +
        `${attempt > 1 ? ` after ${attempt - 1} retries` : ''}: ${String(text).slice(0, 500)}`,
    );
  }
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return results;
}

// ---- people, made at run time -------------------------------------------------------------

const SURNAMES = '王李张刘陈杨马赵黄周吴徐孙胡朱高林何郭罗';
const GIVEN = ['建国', '秀英', '海燕', '志强', '丽娟', '晓东', '文华', '春梅', '永红', '德明', '玉兰', '国庆'];
const COUNTIES = ['640104', '640105', '640106', '640121', '640122', '640202', '640302', '640402', '640502'];

/** An eligible flexible worker, fictional: a valid ID number, a 1990001xxxx phone. */
function makePerson(runId: string, i: number): NewPerson {
  const county = COUNTIES[i % COUNTIES.length]!;
  const birth = new Date(Date.UTC(1976, 0, 1) + i * 9 * 86_400_000); // every ninth day from 1976
  const birthDate = birth.toISOString().slice(0, 10);
  const sequence = (i * 7) % 1000;
  return {
    key: `bench-${runId}-${i}`,
    label: `压测人员 ${i}`,
    name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`,
    idNumber: makeIdNumber(county, birthDate, sequence),
    sex: sequence % 2 === 1 ? 'male' : 'female',
    birthDate,
    ethnicity: '汉族',
    phone: `1990001${String(i).padStart(4, '0')}`,
    household: { regionCode: county, address: `宁夏压测路 ${i + 1} 号` },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '原工作单位',
    enrollments: [],
  };
}

// ---- a citizen, up to the tap on "submit" --------------------------------------------------

interface Ready {
  person: NewPerson;
  agent: http.Agent;
  token: string;
  form: Record<string, unknown>;
}

interface Stack {
  bffUrl: string;
  simulators: RunningSimulators;
}

async function prepare(stack: Stack, person: NewPerson, index: number): Promise<Ready> {
  // Each citizen comes from an address of its own, as real ones do (sign-in is limited per address).
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: 2,
    localAddress: `127.3.${Math.floor(index / 250) % 250}.${(index % 250) + 1}`,
  });
  const bff = (p: string) => `${stack.bffUrl}${p}`;
  const state = randomBytes(12).toString('hex');
  const page = new URL('/sign-in/choose', stack.simulators.urls.identity);
  page.searchParams.set('person', person.key);
  page.searchParams.set('redirect_uri', bff('/pages/entry/index'));
  page.searchParams.set('state', state);
  const redirect = await ask(agent, 'GET', page.toString(), { expected: [302, 303] });
  const code = new URL(String(redirect.headers.location)).searchParams.get('code');
  const session = await ask<{ token: string }>(agent, 'POST', bff('/api/auth/sessions'), {
    body: { code },
    expected: [201],
  });
  const auth = { authorization: `Bearer ${session.body.token}` };
  const face = await ask<{ checkId: string }>(agent, 'POST', bff('/api/face-checks'), {
    headers: { ...auth, 'idempotency-key': randomUUID() },
  });
  const verdict = await ask<{ eligible: boolean }>(agent, 'POST', bff('/api/eligibility'), {
    body: { employmentType: 'flexible', wantsBackPayment: false, wantsSpecialPayment: false },
    headers: auth,
  });
  if (!verdict.body?.eligible) throw new Error(`${person.key} is not eligible: ${JSON.stringify(verdict.body)}`);
  const order = await ask<{ orderId: string; cashierUrl: string }>(agent, 'POST', bff('/api/postage-orders'), {
    body: { returnUrl: bff('/pages/review/index') },
    headers: auth,
  });
  if (typeof order.body?.cashierUrl !== 'string')
    throw new Error(`postage order of ${person.key} has no cashier address: ${JSON.stringify(order.body)}`);
  await ask(agent, 'POST', `${order.body.cashierUrl}/pay`, { expected: [303] });
  const county = person.household.regionCode;
  return {
    person,
    agent,
    token: session.body.token,
    form: {
      employment: { type: 'flexible', startDate: chinaToday() },
      residenceRegionCode: county,
      archive: { location: 'previousEmployer', detail: '银川市某商贸有限公司' },
      pension: { baseGradePercent: 100 },
      card: {
        issuingBank: 'icbc',
        mailingAddress: {
          regionCode: county,
          detail: '解放西街 100 号 2 单元 301 室',
          recipient: person.name,
          phone: person.phone,
        },
      },
      payment: { periodStart: chinaToday().slice(0, 7), months: 1 },
      consent: { noticeVersion: NOTICE.version, agreed: true },
      faceCheckId: face.body.checkId,
      postageOrderId: order.body.orderId,
    },
  };
}

async function submit(stack: Stack, ready: Ready): Promise<string> {
  // Asked again after a 429 or 503 under the same key, as the app does: the first case is the answer.
  const reply = await ask<{ caseNo: string }>(ready.agent, 'POST', `${stack.bffUrl}/api/applications`, {
    body: ready.form,
    headers: { authorization: `Bearer ${ready.token}`, 'idempotency-key': randomUUID() },
    expected: [200, 201],
  });
  return reply.body.caseNo;
}

// ---- figures -----------------------------------------------------------------------------

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function memoryOf(pid: number): { rssMb: number; hwmMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, hwmMb: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/** A case view's timestamps: from creation to the last matter coming to rest, as the BFF recorded them. */
function serverSideMs(view: CaseView): number {
  const last = Math.max(...view.matters.map((m) => Date.parse(m.updatedAt)));
  return last - Date.parse(view.createdAt);
}

// ---- the bare Koa server to compare against ------------------------------------------------

const HELLO = `
const Koa = require('koa');
const app = new Koa();
app.use((ctx) => { ctx.body = 'hello'; });
const server = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'listening', url: 'http://127.0.0.1:' + server.address().port }));
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
`;

function startHello(): Promise<Service> {
  const child = spawn(process.execPath, ['-e', HELLO], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => {
      const { url } = JSON.parse(chunk.toString()) as { url: string };
      resolve({ name: 'koa-hello', url, child, stop: () => stopChild(child) });
    });
    child.once('exit', (code) => reject(new Error(`the Koa hello server exited with ${code}`)));
  });
}

async function readLoad(
  url: string,
  paths: string[],
  headersOf: (i: number) => Record<string, string>,
): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url,
    connections: settings.readConnections,
    duration: settings.readSeconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          const i = n++ % paths.length;
          return { ...req, path: paths[i]!, headers: { ...req.headers, ...headersOf(i) } };
        },
      },
    ],
  });
}

// ---- CPU profile summary -------------------------------------------------------------------

/**
 * A preload that profiles the process (Node 20 refuses --cpu-prof in NODE_OPTIONS;
 * --require is fine) and writes the profile named by its entry:
 * bff-src-server.cpuprofile, bff-simulators-hrss-server.cpuprofile, … A first
 * SIGUSR2 starts the profile afresh (the start and the people added are left
 * out), a second writes it: the bench sends them around the sustained phase.
 * Without them, the profile runs from the start to the exit.
 */
function writeProfiler(dir: string): string {
  const file = path.join(dir, 'profiler.cjs');
  fs.writeFileSync(
    file,
    `const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');
let state = 'running';
const write = (profile) => {
  const entry = path.relative(${JSON.stringify(BUILD_DIR)}, process.argv[1] || 'unknown');
  const name = entry.split(path.sep).join('-').replace('.js', '');
  fs.writeFileSync(path.join(${JSON.stringify(dir)}, name + '.cpuprofile'), JSON.stringify(profile));
};
process.on('SIGUSR2', () => {
  if (state === 'running') {
    session.post('Profiler.stop', () => session.post('Profiler.start', () => (state = 'phase')));
  } else if (state === 'phase') {
    state = 'done';
    session.post('Profiler.stop', (err, result) => err || write(result.profile));
  }
});
process.on('exit', () => {
  if (state === 'done') return;
  // The main thread's inspector session answers synchronously.
  session.post('Profiler.stop', (err, result) => err || write(result.profile));
});
`,
  );
  return file;
}

/** Marks the start or the end of the profiled phase in every profiled process (see writeProfiler). */
function markProfiles(phase: 'sustained' | 'reads', pids: (number | undefined)[]): void {
  if (!settings.cpuProfile || settings.profilePhase !== phase) return;
  for (const pid of pids) if (pid) process.kill(pid, 'SIGUSR2');
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time by function, and by package, from V8 .cpuprofiles (several processes' summed). */
function summariseProfile(files: string[]): { byFunction: [string, number][]; byPackage: [string, number][] } {
  const selfUs: { frame: ProfileNode['callFrame']; us: number }[] = [];
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      nodes: ProfileNode[];
      samples: number[];
      timeDeltas: number[];
    };
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map<number, number>();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    for (const [id, us] of self) {
      // Shares of the busy time: waiting is not where CPU goes.
      if (byId.get(id)!.callFrame.functionName !== '(idle)') selfUs.push({ frame: byId.get(id)!.callFrame, us });
    }
  }
  const total = selfUs.reduce((a, b) => a + b.us, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const { frame, us } of selfUs) {
    const { functionName, url, lineNumber } = frame;
    const where = url
      .replace(`file://${BUILD_DIR}/`, '')
      .replace(`file://${ROOT}/`, '')
      .replace(/^.*node_modules\//, 'node_modules/');
    const key = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + us);
    const group =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ??
      (where.startsWith('node:')
        ? 'node internals'
        : where
          ? where.split('/').slice(0, 2).join('/')
          : functionName || '(program)');
    pkg.set(group, (pkg.get(group) ?? 0) + us);
  }
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, us]) => [k, Math.round((1000 * us) / total) / 10] as [string, number]);
  return { byFunction: top(fn), byPackage: top(pkg) };
}

// ---- where the CPU goes: every process's CPU time, per phase -----------------------------

type ProcessGroup = 'bff' | 'database' | 'simulators' | 'bench' | 'other';

interface CpuSnapshot {
  /** pid → group and CPU seconds so far. */
  processes: Map<number, { group: ProcessGroup; seconds: number }>;
}

/** Every process's CPU time so far, grouped: this run's processes by role, and everything else on the machine. */
function cpuByGroup(bffPid: number | undefined): CpuSnapshot {
  const all = processes();
  const ours = withDescendants(process.pid, all);
  const snapshot: CpuSnapshot = { processes: new Map() };
  for (const p of all) {
    const group: ProcessGroup = !ours.has(p.pid)
      ? 'other'
      : p.pid === bffPid
        ? 'bff'
        : /ferretdb/.test(p.cmdline)
          ? 'database'
          : /bff\/simulators/.test(p.cmdline)
            ? 'simulators'
            : 'bench';
    snapshot.processes.set(p.pid, { group, seconds: p.ticks / CLOCK_TICKS_PER_S });
  }
  return snapshot;
}

/** CPU seconds per group since `before` (a process that ended meanwhile is not counted). */
function cpuSince(before: CpuSnapshot, bffPid: number): Record<ProcessGroup, number> {
  const out: Record<ProcessGroup, number> = { bff: 0, database: 0, simulators: 0, bench: 0, other: 0 };
  for (const [pid, now] of cpuByGroup(bffPid).processes) {
    out[now.group] += now.seconds - (before.processes.get(pid)?.seconds ?? 0);
  }
  for (const group of Object.keys(out) as ProcessGroup[]) out[group] = Math.round(out[group] * 10) / 10;
  return out;
}

/** The commit measured, and whether the engine's code differed from it. */
function codeVersion(): { commit: string; uncommittedChanges: string[] } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommittedChanges: git('status', '--porcelain', '--', 'bff', 'shared', 'scripts').split('\n').filter(Boolean),
    };
  } catch {
    return { commit: 'unknown', uncommittedChanges: [] };
  }
}

// ---- the run -----------------------------------------------------------------------------

async function main(): Promise<void> {
  const runId = randomBytes(3).toString('hex');
  const started = new Date();
  let database: RunningDatabase | undefined;
  let dataDir: string | undefined;
  let mongodbUri = process.env.MONGODB_URI;
  // The BFF and the simulators run compiled (build/), as in production.
  ensureServerBuilt(log);
  if (!mongodbUri) {
    ensureFerretDbBuilt(log);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexins-bench-db-'));
    database = await startFerretDb({ dataDir });
    mongodbUri = database.uri;
  }
  const base = mongodbUri.replace(/\/$/, '');
  const dbNames = Object.fromEntries(DEPARTMENTS.map((d) => [d, `bench_sim_${d}_${runId}`])) as Record<
    Department,
    string
  >;
  const bffDbName = `bench_bff_${runId}`;
  const profileDir = path.join(ARTIFACTS_DIR, 'bench', `profile-${runId}`);
  const tap = settings.dbTrace ? await startDbTap(new URL(base)) : undefined;
  const bffDbBase = tap ? tap.url : base;

  let simulators: RunningSimulators | undefined;
  let bff: Service | undefined;
  let hello: Service | undefined;
  const bffProblems: string[] = [];
  try {
    log(`数据库 ${database ? `内置 FerretDB（${dataDir}）` : mongodbUri}；启动五个模拟系统（默认延迟）…`);
    if (settings.cpuProfile) fs.mkdirSync(profileDir, { recursive: true });
    const profilerEnv: Record<string, string> = settings.cpuProfile
      ? { NODE_OPTIONS: `--require ${writeProfiler(profileDir)}` }
      : {};
    simulators = await startSimulators({
      mongodbUri,
      dbNames,
      env: { LOG_LEVEL: 'warn', ...profilerEnv },
      fromBuild: true,
    });
    const sims = simulators;
    const admin = async (department: Department, method: string, p: string, body?: unknown) => {
      const reply = await fetch(`${sims.urls[department]}${p}`, {
        method,
        headers: { 'x-admin-token': sims.secrets.adminToken, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: reply.status, body: (await reply.json()) as { settings: FaultSettings } };
    };

    // The latencies the departments actually run with, for the critical path.
    const faults = Object.fromEntries(
      await Promise.all(DEPARTMENTS.map(async (d) => [d, (await admin(d, 'GET', '/admin/faults')).body.settings])),
    ) as Record<Department, { latencyMs: number; jitterMs: number }>;
    // delayMs() = latencyMs + floor(random × (jitterMs + 1)): its mean is latencyMs + jitterMs / 2.
    const mean = (d: Department) => faults[d].latencyMs + faults[d].jitterMs / 2;
    const cardChain = mean('hrss') + mean('hrss') + (mean('hrss') + mean('payment'));
    const premiumChain = mean('hrss') + Math.max(mean('hrss'), mean('medical')) + 3 * mean('tax');
    const criticalPathMs = Math.max(cardChain, premiumChain);
    // The same path with each call's own draw of its jitter, 100,000 times: what the departments
    // alone make of a case's p50 and p95 (the pension registration starts both chains' second leg).
    const draw = (d: Department) => faults[d].latencyMs + Math.floor(Math.random() * (faults[d].jitterMs + 1));
    const drawnPaths = Array.from({ length: 100_000 }, () => {
      const pension = draw('hrss');
      const card = pension + draw('hrss') + draw('payment');
      const premium = Math.max(pension, draw('medical')) + draw('tax') + draw('tax') + draw('tax');
      return draw('hrss') + Math.max(card, premium);
    }).sort((a, b) => a - b);
    const pathDrawn = { p50: drawnPaths[50_000]!, p95: drawnPaths[95_000]! };

    const port = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const bffUrl = `http://127.0.0.1:${port}`;
    bff = await startService({
      name: 'BFF',
      entry: builtEntry('bff/src/server.ts'),
      env: {
        MONGODB_URI: `${bffDbBase}/${bffDbName}`,
        PORT: String(port),
        PUBLIC_URL: bffUrl,
        JWT_SECRET: randomBytes(48).toString('base64url'),
        DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        LOOKUP_HASH_KEY: randomBytes(32).toString('base64'),
        ...Object.fromEntries(
          DEPARTMENTS.flatMap((d) => [
            [`${d.toUpperCase()}_URL`, sims.urls[d]],
            [`${d.toUpperCase()}_SECRET`, sims.secrets.bff[d]],
          ]),
        ),
        PAYMENT_NOTIFY_SECRET: sims.secrets.paymentNotify,
        // A case spends about a second waiting for departments: the default 8 at once caps a process near 8/s.
        WORKER_CONCURRENCY: '64',
        ...profilerEnv,
        ...settings.bffEnv,
      },
      onLine: (line) => {
        if (/"level":"(warn|error)"/.test(line) && bffProblems.length < 20) bffProblems.push(line.slice(0, 300));
      },
    });
    const bffPid = bff.child.pid!;
    const stack: Stack = { bffUrl, simulators: sims };
    hello = await startHello();

    // People: one eligible person per submission, known to every department.
    const total = settings.sequential + settings.burst;
    log(`在五个模拟系统中添加 ${total} 名测试人员…`);
    const people = Array.from({ length: total }, (_, i) => makePerson(runId, i));
    await pool(people, 16, async (person) => {
      for (const department of DEPARTMENTS) {
        const added = await admin(department, 'POST', '/admin/people', person);
        if (added.status !== 201) throw new Error(`${department} refused ${person.key}: ${JSON.stringify(added.body)}`);
      }
    });
    const idle = memoryOf(bffPid);
    const loadBefore = os.loadavg();
    const cpu: Record<string, Record<ProcessGroup, number>> = {};

    // 1. One after another: submission → at rest.
    log(`1. 逐件提交 ${settings.sequential} 件，测从提交到全部事项办理到位（待缴费）的时间…`);
    const sequentialReady = await pool(people.slice(0, settings.sequential), 10, (p, i) => prepare(stack, p, i));
    const db = await mongoose.createConnection(`${base}/${bffDbName}`).asPromise();
    let cpuMark = cpuByGroup(bffPid);
    tap?.clear();
    const endToEnd: number[] = [];
    const serverSide: number[] = [];
    const sequentialCases: { ready: Ready; caseNo: string }[] = [];
    for (const ready of sequentialReady) {
      const t0 = performance.now();
      const caseNo = await submit(stack, ready);
      let view: CaseView;
      for (;;) {
        const reply = await ask<CaseView>(ready.agent, 'GET', `${bffUrl}/api/applications/${caseNo}`, {
          headers: { authorization: `Bearer ${ready.token}` },
        });
        view = reply.body;
        if (view.status !== 'processing') break;
        await new Promise((resolve) => setTimeout(resolve, 50)); // polled every 50 ms: the quantum of this figure
      }
      if (view.status !== 'awaitingPayment') throw new Error(`${caseNo} came to rest as ${view.status}`);
      endToEnd.push(performance.now() - t0);
      serverSide.push(serverSideMs(view));
      sequentialCases.push({ ready, caseNo });
    }

    cpu.sequential = cpuSince(cpuMark, bffPid);
    const traced = async (cases: number): Promise<PhaseCommands | undefined> => {
      if (!tap) return undefined;
      await bytesWritten(tap, db);
      return phaseCommands(tap.stats, cases);
    };
    const sequentialCommands = await traced(endToEnd.length);

    // 2. Many at once: sustained submissions per second, to the last case at rest.
    log(`2. ${settings.submitters} 名群众同时提交，共 ${settings.burst} 件，测端到端的每秒办件数…`);
    const burstReady = await pool(people.slice(settings.sequential), 20, (p, i) =>
      prepare(stack, p, settings.sequential + i),
    );
    const cases = db.collection('cases');
    const profiled = [bffPid, ...sims.services.map((service) => service.child.pid)];
    markProfiles('sustained', profiled);
    cpuMark = cpuByGroup(bffPid);
    tap?.clear();
    const burstStart = performance.now();
    const burstStartDate = new Date();
    const submitLatencies: number[] = [];
    const burstCaseNos = await pool(burstReady, settings.submitters, async (ready) => {
      const t0 = performance.now();
      const caseNo = await submit(stack, ready);
      submitLatencies.push(performance.now() - t0);
      return caseNo;
    });
    const submittedMs = performance.now() - burstStart;
    let atRest = 0;
    const deadline = Date.now() + 10 * 60_000;
    while (atRest < burstCaseNos.length && Date.now() < deadline) {
      atRest = await cases.countDocuments({ caseNo: { $in: burstCaseNos }, status: { $ne: 'processing' } });
      // Seldom: the count scans the cases, and the database is what is measured.
      if (atRest < burstCaseNos.length) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const burstMs = performance.now() - burstStart;
    cpu.sustained = cpuSince(cpuMark, bffPid);
    markProfiles('sustained', profiled);
    const burstCommands = await traced(burstCaseNos.length);
    // Integrity under load: a matter accepted or finished more than once means it was run again.
    const repeated = await cases
      .find(
        { caseNo: { $in: [...burstCaseNos, ...sequentialCases.map((c) => c.caseNo)] } },
        { projection: { caseNo: 1, events: 1 } },
      )
      .toArray();
    const handledTwice = repeated
      .map((doc) => {
        const seen = new Map<string, number>();
        for (const e of (doc.events ?? []) as { matter?: string; state?: string }[]) {
          if (e.matter && e.state && ['accepted', 'delivered', 'decided'].includes(e.state)) {
            seen.set(`${e.matter}:${e.state}`, (seen.get(`${e.matter}:${e.state}`) ?? 0) + 1);
          }
        }
        return { caseNo: doc.caseNo as string, twice: [...seen].filter(([, n]) => n > 1).map(([k]) => k) };
      })
      .filter((c) => c.twice.length > 0);
    const burstDocs = await cases
      .find({ caseNo: { $in: burstCaseNos } }, { projection: { status: 1, createdAt: 1, updatedAt: 1 } })
      .toArray();
    const burstLatencies = burstDocs.map((d) => new Date(d.updatedAt).getTime() - new Date(d.createdAt).getTime());
    const burstAwaiting = burstDocs.filter((d) => d.status === 'awaitingPayment').length;
    const afterBurst = memoryOf(bffPid);
    // What a write of each document stores (FerretDB rewrites it whole): one case at rest, its applicant, its data.
    const sample = await cases.findOne({ caseNo: burstCaseNos[0] });
    const documentSizes = sample
      ? {
          case: sizeBreakdown(sample),
          applicant: sizeBreakdown(
            (await db.collection('applicants').findOne({ _id: sample.applicantId as never })) ?? {},
          ),
          caseData: sizeBreakdown((await db.collection('case_data').findOne({ _id: sample._id })) ?? {}),
        }
      : undefined;

    // 3. Progress reads beside a bare Koa.
    log(`3. 进度查询：${settings.readConnections} 个连接，${settings.readSeconds} 秒，与裸 Koa 对比…`);
    const paths = sequentialCases.map((c) => `/api/applications/${c.caseNo}`);
    cpuMark = cpuByGroup(bffPid);
    tap?.clear();
    markProfiles('reads', profiled);
    const reads = await readLoad(bffUrl, paths, (i) => ({
      authorization: `Bearer ${sequentialCases[i]!.ready.token}`,
    }));
    cpu.reads = cpuSince(cpuMark, bffPid);
    markProfiles('reads', profiled);
    const readCommands = await traced(reads.requests.total);
    await db.close();
    cpuMark = cpuByGroup(bffPid);
    const bare = await readLoad(hello.url, ['/'], () => ({}));
    cpu.koaHello = cpuSince(cpuMark, bffPid);
    const afterReads = memoryOf(bffPid);

    // 4. Figures.
    const round = (n: number) => Math.round(n);
    const figures = {
      when: started.toISOString(),
      code: codeVersion(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      database: database
        ? `embedded FerretDB (${database.kind === 'postgres' ? 'PostgreSQL' : 'SQLite'})`
        : 'MONGODB_URI',
      settings: { ...settings, bffEnv: settings.bffEnv },
      departmentLatency: faults,
      criticalPath: {
        formula:
          'max(card chain, premium chain), each call counted at its mean latencyMs + jitterMs/2: ' +
          'card = employment + pension + card (HRSS, which asks the cashier: + payment); ' +
          'premium = employment + max(pension, medical) + 3 tax calls (pension and medical registrations, declaration)',
        cardChainMs: cardChain,
        premiumChainMs: premiumChain,
        ms: criticalPathMs,
        /** The path with the departments' jitter drawn per call: its own p50 and p95. */
        drawnMs: pathDrawn,
      },
      submissionToRest: {
        applications: endToEnd.length,
        endToEndMs: {
          p50: round(percentile(endToEnd, 50)),
          p95: round(percentile(endToEnd, 95)),
          max: round(Math.max(...endToEnd)),
        },
        serverSideMs: { p50: round(percentile(serverSide, 50)), p95: round(percentile(serverSide, 95)) },
        overCriticalPathMs: round(percentile(endToEnd, 50) - criticalPathMs),
      },
      sustained: {
        applications: burstCaseNos.length,
        submitters: settings.submitters,
        atRest,
        awaitingPayment: burstAwaiting,
        submittedInMs: round(submittedMs),
        submitAcceptedPerS: Math.round((burstCaseNos.length / submittedMs) * 1000 * 10) / 10,
        allAtRestInMs: round(burstMs),
        endToEndPerS: Math.round((atRest / burstMs) * 1000 * 10) / 10,
        submitMs: { p50: round(percentile(submitLatencies, 50)), p95: round(percentile(submitLatencies, 95)) },
        caseLatencyUnderLoadMs: {
          p50: round(percentile(burstLatencies, 50)),
          p95: round(percentile(burstLatencies, 95)),
        },
        startedAt: burstStartDate.toISOString(),
      },
      progressReads: {
        connections: settings.readConnections,
        seconds: settings.readSeconds,
        casesInDatabase: settings.sequential + settings.burst,
        bffPerS: round(reads.requests.average),
        bffLatencyMs: { p50: reads.latency.p50, p99: reads.latency.p99 },
        bffNon2xx: reads.non2xx,
        bffErrors: reads.errors,
        koaHelloPerS: round(bare.requests.average),
        koaLatencyMs: { p50: bare.latency.p50, p99: bare.latency.p99 },
        ratio: Math.round((reads.requests.average / bare.requests.average) * 1000) / 10,
      },
      memory: { idle, afterSubmissions: afterBurst, afterReads },
      cpuSeconds: cpu,
      loadAverageBefore: loadBefore,
      citizenRetries: retried,
      casesWithAMatterHandledTwice: { count: handledTwice.length, examples: handledTwice.slice(0, 5) },
      databaseCommands: tap
        ? {
            note: 'rows: [command collection, count, per case (reads: per request), mean ms, bytes written per case]',
            sequential: sequentialCommands,
            sustained: burstCommands,
            reads: readCommands,
          }
        : undefined,
      documentSizes,
      bffWarnings: bffProblems,
      profile: undefined as undefined | ReturnType<typeof summariseProfile>,
      simulatorProfile: undefined as undefined | ReturnType<typeof summariseProfile>,
    };

    // A profile is written when its process exits.
    await bff.stop();
    bff = undefined;
    if (settings.cpuProfile) {
      await simulators.stop();
      simulators = undefined;
      const files = fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
      const bffFiles = files.filter((f) => f.startsWith('bff-src-'));
      const simFiles = files.filter((f) => f.startsWith('bff-simulators-'));
      if (bffFiles.length) figures.profile = summariseProfile(bffFiles.map((f) => path.join(profileDir, f)));
      if (simFiles.length) figures.simulatorProfile = summariseProfile(simFiles.map((f) => path.join(profileDir, f)));
    }

    const s = figures.submissionToRest;
    const t = figures.sustained;
    const r = figures.progressReads;
    const m = figures.memory;
    log('');
    log('灵活就业参保“一件事” · engine benchmark');
    const dirty = figures.code.uncommittedChanges;
    log(`code: ${figures.code.commit}${dirty.length ? ` with uncommitted changes (${dirty.join('; ')})` : ''}`);
    log(
      `machine: ${figures.machine.cpus} CPU (${figures.machine.model}), node ${figures.machine.node}, ${figures.database}`,
    );
    log(
      `departments: ${DEPARTMENTS.map((d) => `${d} ${faults[d].latencyMs}+U(0,${faults[d].jitterMs}) ms`).join(', ')}`,
    );
    log('');
    const rows: [string, string, string][] = [
      ['critical path (mean latencies)', `${criticalPathMs} ms`, `card ${cardChain} ms, premium ${premiumChain} ms`],
      [
        'critical path, jitter drawn',
        `p50 ${pathDrawn.p50} ms, p95 ${pathDrawn.p95} ms`,
        `the departments alone: p95 ${(pathDrawn.p95 / criticalPathMs).toFixed(2)}× the mean path`,
      ],
      [
        'submission → at rest, p50',
        `${s.endToEndMs.p50} ms`,
        `server-side ${s.serverSideMs.p50} ms; +${s.overCriticalPathMs} ms over critical path`,
      ],
      [
        'submission → at rest, p95',
        `${s.endToEndMs.p95} ms`,
        `${(s.endToEndMs.p95 / criticalPathMs).toFixed(2)}× the path (aim ≤ 1.2×), ${(s.endToEndMs.p95 / pathDrawn.p95).toFixed(2)}× its own p95; server-side ${s.serverSideMs.p95} ms; max ${s.endToEndMs.max} ms (n=${s.applications})`,
      ],
      [
        'sustained, end to end',
        `${t.endToEndPerS} /s`,
        `${t.atRest}/${t.applications} at rest in ${t.allAtRestInMs} ms (aim: PostgreSQL ≥ 50/s, SQLite ≥ 15/s)`,
      ],
      [
        '  submissions accepted',
        `${t.submitAcceptedPerS} /s`,
        `submit p50 ${t.submitMs.p50} ms, p95 ${t.submitMs.p95} ms`,
      ],
      ['  case latency under load', `${t.caseLatencyUnderLoadMs.p50} ms`, `p95 ${t.caseLatencyUnderLoadMs.p95} ms`],
      [
        'progress reads',
        `${r.bffPerS} /s`,
        `p50 ${r.bffLatencyMs.p50} ms, p99 ${r.bffLatencyMs.p99} ms, non-2xx ${r.bffNon2xx}`,
      ],
      ['bare Koa hello', `${r.koaHelloPerS} /s`, `p50 ${r.koaLatencyMs.p50} ms, p99 ${r.koaLatencyMs.p99} ms`],
      ['reads ÷ Koa', `${r.ratio} %`, 'aim ≥ 10 %'],
      [
        'citizen retries (429/503)',
        `${figures.citizenRetries.count}`,
        `waited ${Math.round(figures.citizenRetries.waitedMs / 100) / 10} s in all; ${figures.citizenRetries.connectionResets} sent again after a closed kept-alive connection`,
      ],
      ['BFF memory idle (RSS / HWM)', `${m.idle.rssMb} MB`, `${m.idle.hwmMb} MB`],
      ['BFF memory after submissions', `${m.afterSubmissions.rssMb} MB`, `${m.afterSubmissions.hwmMb} MB`],
      ['BFF memory after reads', `${m.afterReads.rssMb} MB`, `${m.afterReads.hwmMb} MB`],
    ];
    const width = Math.max(...rows.map(([a]) => a.length));
    for (const [a, b, c] of rows) log(`  ${a.padEnd(width)}  ${b.padStart(10)}  ${c}`);
    log('\nCPU seconds by process group (other = processes this run did not start):');
    for (const [phase, groups] of Object.entries(cpu)) {
      log(
        `  ${phase.padEnd(11)} ${Object.entries(groups)
          .map(([g, v]) => `${g} ${v}`)
          .join(', ')}`,
      );
    }
    const foreign = Math.max(...Object.values(cpu).map((g) => g.other));
    if (foreign > 1) log(`  注意：其他进程用了多达 ${foreign} CPU 秒，结果受到干扰 (the machine was not quiet)`);
    log(
      `cases with a matter accepted or finished twice: ${handledTwice.length}` +
        (handledTwice.length ? `, e.g. ${JSON.stringify(handledTwice.slice(0, 2))}` : ''),
    );
    if (tap) {
      for (const [phase, commands] of [
        ['sequential', sequentialCommands],
        ['sustained', burstCommands],
        ['reads', readCommands],
      ] as const) {
        if (!commands) continue;
        const { commands: n, writes, bytesWritten: bytes } = commands.perCase;
        log(
          `\nDB commands of the BFF, ${phase}: ${n} per ${phase === 'reads' ? 'request' : 'application'}` +
            ` (${writes} writes, ${(bytes / 1024).toFixed(1)} KB written)`,
        );
        log(
          `  ${'command collection'.padEnd(34)} ${'count'.padStart(7)} ${'per'.padStart(7)} ${'mean'.padStart(9)} ${'bytes per'.padStart(10)}`,
        );
        for (const [key, count, per, ms, perBytes] of commands.rows) {
          log(
            `  ${key.padEnd(34)} ${String(count).padStart(7)} ${String(per).padStart(7)} ${String(ms).padStart(6)} ms ${String(perBytes).padStart(10)}`,
          );
        }
      }
    }
    if (documentSizes) {
      log('\nDocument sizes (bytes; a write of the document stores about this much):');
      for (const [name, { bytes, fields }] of Object.entries(documentSizes)) {
        log(`  ${name.padEnd(10)} ${String(bytes).padStart(6)}: ${fields.map(([k, n]) => `${k} ${n}`).join(', ')}`);
      }
    }
    if (bffProblems.length)
      log(`\nBFF warnings/errors (${bffProblems.length}):\n${bffProblems.slice(0, 5).join('\n')}`);
    if (figures.profile) {
      log(`\nBFF CPU in the ${settings.profilePhase} phase (busy time), self time by package:`);
      for (const [k, pct] of figures.profile.byPackage) log(`  ${String(pct).padStart(5)} %  ${k}`);
      log('BFF CPU, self time by function:');
      for (const [k, pct] of figures.profile.byFunction) log(`  ${String(pct).padStart(5)} %  ${k}`);
    }
    if (figures.simulatorProfile) {
      log(`\nSimulators' CPU in the ${settings.profilePhase} phase (all seven, busy time), self time by package:`);
      for (const [k, pct] of figures.simulatorProfile.byPackage) log(`  ${String(pct).padStart(5)} %  ${k}`);
      log("Simulators' CPU, self time by function:");
      for (const [k, pct] of figures.simulatorProfile.byFunction) log(`  ${String(pct).padStart(5)} %  ${k}`);
    }

    const out =
      process.env.BENCH_OUT ??
      path.join(ARTIFACTS_DIR, 'bench', `engine-${started.toISOString().replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
    log(`\n写入 ${path.relative(ROOT, out)}`);
  } finally {
    await bff?.stop();
    await hello?.stop();
    await simulators?.stop();
    tap?.stop();
    const connection = await mongoose.createConnection(mongodbUri).asPromise();
    for (const name of [...Object.values(dbNames), bffDbName]) await connection.useDb(name).dropDatabase();
    await connection.close();
    await database?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const kinds = chosenKinds(process.argv.slice(2), process.env);
if (kinds.length > 1 && process.env.MONGODB_URI) {
  process.stderr.write(
    '基准测试失败：设置了 MONGODB_URI 时只能测那一个数据库，不能同时选 BENCH_DB / --db 的多个配置\n',
  );
  process.exit(1);
}
process.env.FLEXINS_DB = kinds[0];
(kinds.length > 1 ? runEach(kinds, process.argv[1]!) : main()).then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`基准测试失败：${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
