// The machine's processes as Linux's /proc shows them, for the benchmarks'
// CPU figures: each process's parent, CPU time and command line, and a
// process's descendants to any depth (npm → node → …).
import fs from 'node:fs';

export const CLOCK_TICKS_PER_S = 100; // getconf CLK_TCK on Linux

export interface ProcessCpu {
  pid: number;
  ppid: number;
  /** User and system CPU time so far, in clock ticks. */
  ticks: number;
  /** The command line, its arguments joined by spaces. */
  cmdline: string;
  argv: string[];
}

/** Every process running now (one that ends while read is left out). */
export function processes(): ProcessCpu[] {
  const found: ProcessCpu[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      found.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
        cmdline: argv.join(' '),
        argv,
      });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** `root` and its descendants, to any depth, among `all`. */
export function withDescendants(root: number, all: readonly ProcessCpu[]): Set<number> {
  const family = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (family.has(p.pid) || !family.has(p.ppid)) continue;
      family.add(p.pid);
      grew = true;
    }
  }
  return family;
}
