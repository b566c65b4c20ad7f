// `npm run bench` on more than one database configuration in one go
// (`BENCH_DB=sqlite,postgres`, `npm run bench -- --db both`): each runs in a
// process of its own, one after the other, and their figures are printed
// side by side, each beside the bare Koa of its own run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATABASE_KINDS, databaseKind, type DatabaseKind } from '../lib/ferretdb';

/** The configurations asked for: `--db <list|both>` first, then BENCH_DB, else FLEXINS_DB's one. */
export function chosenKinds(argv: readonly string[], env: NodeJS.ProcessEnv): DatabaseKind[] {
  const flag = argv.indexOf('--db');
  const asked = flag >= 0 ? argv[flag + 1] : (argv.find((a) => a.startsWith('--db='))?.slice(5) ?? env.BENCH_DB);
  if (!asked) return [databaseKind(env.FLEXINS_DB)];
  const kinds = asked === 'both' ? [...DATABASE_KINDS] : asked.split(',').map((k) => databaseKind(k.trim()));
  return [...new Set(kinds)];
}

/** The parts of a run's figures (engine.ts writes them) this table reads. */
interface Figures {
  code: { commit: string; uncommittedChanges: string[] };
  database: string;
  criticalPath: { ms: number; drawnMs?: { p50: number; p95: number } };
  submissionToRest: { endToEndMs: { p50: number; p95: number } };
  sustained: {
    applications: number;
    atRest: number;
    awaitingPayment: number;
    endToEndPerS: number;
    submitAcceptedPerS: number;
    caseLatencyUnderLoadMs: { p50: number; p95: number };
  };
  progressReads: { bffPerS: number; koaHelloPerS: number; ratio: number; bffNon2xx: number };
  cpuSeconds: Record<string, Record<string, number>>;
  loadAverageBefore: number[];
  casesWithAMatterHandledTwice: { count: number };
  citizenRetries: { count: number; waitedMs: number };
  databaseCommands?: { sustained?: { perCase: { commands: number; writes: number; bytesWritten: number } } };
}

/** Runs engine.ts once per configuration, in turn, and prints their figures side by side. */
export async function runEach(kinds: readonly DatabaseKind[], script: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexins-bench-'));
  const results: { kind: DatabaseKind; figures: Figures }[] = [];
  for (const kind of kinds) {
    const out = path.join(dir, `${kind}.json`);
    process.stdout.write(`\n==== ${kind} ====\n`);
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, script], {
        env: { ...process.env, FLEXINS_DB: kind, BENCH_DB: kind, BENCH_OUT: out },
        stdio: 'inherit',
      });
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`${kind} 上的基准测试失败（退出码 ${code}），见上方输出`);
    results.push({ kind, figures: JSON.parse(fs.readFileSync(out, 'utf8')) as Figures });
  }
  fs.rmSync(dir, { recursive: true, force: true });
  printSideBySide(results);
}

function printSideBySide(results: { kind: DatabaseKind; figures: Figures }[]): void {
  const times = (ms: number, path: number) => `${ms} ms (${(ms / path).toFixed(2)}×)`;
  const rows: [string, (f: Figures) => string][] = [
    ['critical path', (f) => `${f.criticalPath.ms} ms`],
    ['to rest p50, one at a time', (f) => times(f.submissionToRest.endToEndMs.p50, f.criticalPath.ms)],
    ['to rest p95 (aim ≤ 1.2×)', (f) => times(f.submissionToRest.endToEndMs.p95, f.criticalPath.ms)],
    [
      '  beside the path’s own p95 (jitter drawn)',
      (f) =>
        f.criticalPath.drawnMs
          ? `${f.criticalPath.drawnMs.p95} ms: ${(f.submissionToRest.endToEndMs.p95 / f.criticalPath.drawnMs.p95).toFixed(2)}×`
          : '—',
    ],
    ['sustained, end to end', (f) => `${f.sustained.endToEndPerS} /s`],
    [
      '  at rest / awaiting payment',
      (f) => `${f.sustained.atRest}/${f.sustained.awaitingPayment} of ${f.sustained.applications}`,
    ],
    ['  handled twice', (f) => String(f.casesWithAMatterHandledTwice.count)],
    ['  submissions accepted', (f) => `${f.sustained.submitAcceptedPerS} /s`],
    [
      '  case latency p50 / p95',
      (f) => `${f.sustained.caseLatencyUnderLoadMs.p50} / ${f.sustained.caseLatencyUnderLoadMs.p95} ms`,
    ],
    [
      '  CPU s: BFF / database / simulators',
      (f) => {
        const c = f.cpuSeconds.sustained ?? {};
        return `${c.bff} / ${c.database} / ${c.simulators}`;
      },
    ],
    ['progress reads', (f) => `${f.progressReads.bffPerS} /s (non-2xx ${f.progressReads.bffNon2xx})`],
    ['bare Koa hello', (f) => `${f.progressReads.koaHelloPerS} /s`],
    ['reads ÷ Koa (aim ≥ 10 %)', (f) => `${f.progressReads.ratio} %`],
    [
      'citizen retries (429/503)',
      (f) => `${f.citizenRetries.count} (${Math.round(f.citizenRetries.waitedMs / 1000)} s)`,
    ],
    ['load average before', (f) => f.loadAverageBefore.map((l) => l.toFixed(1)).join(' ')],
  ];
  if (results.some((r) => r.figures.databaseCommands?.sustained)) {
    rows.push([
      'DB commands / writes / KB per app',
      (f) => {
        const p = f.databaseCommands?.sustained?.perCase;
        return p ? `${p.commands} / ${p.writes} / ${(p.bytesWritten / 1024).toFixed(1)}` : '—';
      },
    ]);
  }
  const head = ['', ...results.map((r) => r.figures.database)];
  const table = [head, ...rows.map(([label, cell]) => [label, ...results.map((r) => cell(r.figures))])];
  const widths = head.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  process.stdout.write(
    `\n灵活就业参保“一件事” · engine benchmark, side by side (code ${results[0]!.figures.code.commit})\n`,
  );
  for (const row of table) process.stdout.write(`  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}\n`);
}
