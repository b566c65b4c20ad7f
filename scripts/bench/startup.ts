// `node --import tsx scripts/bench/startup.ts`: the BFF's start time and idle
// memory from the build (plain node, NODE_ENV=production) against the
// sources (node --import tsx, its cache warm), alternating, BENCH_STARTS
// times each (default 5). Start time: from spawning the process to its
// "listening" line (settings checked, database connected, port open), and
// the CPU time it took by then (less disturbed by a busy machine than the
// wall clock). Idle memory: VmRSS 3 s after that, with nothing asked of it.
// MONGODB_URI, else an embedded FerretDB in a temporary folder.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { builtEntry, ensureServerBuilt } from '../lib/build';
import { ensureFerretDbBuilt, startFerretDb, type RunningDatabase } from '../lib/ferretdb';
import { startService } from '../lib/services';
import { DEPARTMENTS } from '../lib/simulators';
import { ROOT } from '../paths';

const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const IDLE_MS = 3_000;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) / 1024;
}

/** User + system CPU time of a process so far (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  ensureServerBuilt();
  let database: RunningDatabase | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    ensureFerretDbBuilt();
    database = await startFerretDb({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'flexins-startup-db-')) });
    uri = database.uri;
  }
  const env = {
    MONGODB_URI: `${uri.replace(/\/$/, '')}/startup_${randomBytes(3).toString('hex')}`,
    PORT: '0',
    PUBLIC_URL: 'https://bench.invalid',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(48).toString('base64url'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOOKUP_HASH_KEY: randomBytes(32).toString('base64'),
    PAYMENT_NOTIFY_SECRET: randomBytes(24).toString('base64url'),
    // Not called at start.
    ...Object.fromEntries(
      DEPARTMENTS.flatMap((d) => [
        [`${d.toUpperCase()}_URL`, 'http://127.0.0.1:9'],
        [`${d.toUpperCase()}_SECRET`, randomBytes(24).toString('base64url')],
      ]),
    ),
  };
  const runs = {
    build: { entry: builtEntry('bff/src/server.ts'), env: { NODE_ENV: 'production' } },
    tsx: { entry: path.join(ROOT, 'bff/src/server.ts'), env: {} },
  };
  const figures: Record<keyof typeof runs, Record<'startMs' | 'cpuMs' | 'rssMb', number[]>> = {
    build: { startMs: [], cpuMs: [], rssMb: [] },
    tsx: { startMs: [], cpuMs: [], rssMb: [] },
  };
  try {
    // One unmeasured start each: tsx fills its cache, both warm the file system.
    for (let i = 0; i <= STARTS; i++) {
      for (const name of ['build', 'tsx'] as const) {
        const startedAt = performance.now();
        const bff = await startService({
          name,
          entry: runs[name].entry,
          env: { ...env, ...runs[name].env },
          onLine: () => {},
        });
        const startMs = performance.now() - startedAt;
        const startCpuMs = cpuMs(bff.child.pid!);
        await sleep(IDLE_MS);
        const rss = rssMb(bff.child.pid!);
        await bff.stop();
        if (i === 0) continue;
        figures[name].startMs.push(startMs);
        figures[name].cpuMs.push(startCpuMs);
        figures[name].rssMb.push(rss);
      }
    }
  } finally {
    await database?.stop();
  }
  const row = (name: keyof typeof runs) =>
    `${name.padEnd(6)} start ${median(figures[name].startMs).toFixed(0)} ms (${figures[name].startMs
      .map((ms) => ms.toFixed(0))
      .join(', ')}), CPU ${median(figures[name].cpuMs)} ms, idle RSS ${median(figures[name].rssMb).toFixed(1)} MB`;
  console.log(`BFF, median of ${STARTS} starts each (load average ${os.loadavg()[0]!.toFixed(2)})`);
  console.log(row('build'));
  console.log(row('tsx'));
  const ratio = (key: 'startMs' | 'cpuMs' | 'rssMb') =>
    (median(figures.build[key]) / median(figures.tsx[key])).toFixed(2);
  console.log(`build / tsx: start ${ratio('startMs')}, CPU ${ratio('cpuMs')}, idle RSS ${ratio('rssMb')}`);
}

void main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
