// When sources last changed, to tell whether a build is stale.
import fs from 'node:fs';
import path from 'node:path';

/** The newest modification time of a file, or of anything in a folder (tests and node_modules aside); 0 when missing. */
export function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (entry === '__tests__' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}
