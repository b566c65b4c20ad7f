// One process at a time for a build others may start meanwhile (`npm start`
// and `npm test` after a pull, two jest runs): a lock file made with O_EXCL
// holding the holder's pid. A holder that died leaves a file whose pid is not
// running, and the next comes in; the others wait for it (sleeping, not
// spinning), then do their own check of whether the build is still needed.
import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from './pid';

/** Runs `run` holding `lockFile`; throws naming `what` and the holder after `timeoutMs`. */
export function withFileLock<T>(lockFile: string, what: string, run: () => T, timeoutMs = 300_000): T {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = 0;
      try {
        holder = Number(fs.readFileSync(lockFile, 'utf8'));
      } catch {
        continue; // let go meanwhile
      }
      if (holder && !isAlive(holder)) fs.rmSync(lockFile, { force: true });
      else if (Date.now() > deadline) throw new Error(`${what}等待超时：进程 ${holder} 还在构建（${lockFile}）`);
      else Atomics.wait(pause, 0, 0, 200);
    }
  }
  try {
    return run();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}
