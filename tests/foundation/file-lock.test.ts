// The lock the builds take (scripts/lib/file-lock.ts): two processes asking at
// once run one after the other; a holder that died is taken over; a live one
// is waited for, and past the time-out the error names it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withFileLock } from '../../scripts/lib/file-lock';
import { ROOT } from '../support/process';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexins-lock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A process that holds the lock 300 ms, writing when it comes in and when it leaves. */
function holder(lock: string, journal: string): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `const { withFileLock } = require(${JSON.stringify(path.join(ROOT, 'scripts/lib/file-lock.ts'))});
       const fs = require('node:fs');
       withFileLock(${JSON.stringify(lock)}, '测试', () => {
         fs.appendFileSync(${JSON.stringify(journal)}, 'in ' + process.pid + '\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
         fs.appendFileSync(${JSON.stringify(journal)}, 'out ' + process.pid + '\\n');
       });`,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
}

it('lets two processes asking at once in one after the other', async () => {
  const lock = path.join(dir, 'both.lock');
  const journal = path.join(dir, 'both.txt');
  expect(await Promise.all([holder(lock, journal), holder(lock, journal)])).toEqual([0, 0]);
  const lines = fs.readFileSync(journal, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(4);
  // in A, out A, in B, out B: never two inside at once
  expect(lines[0]!.replace('in', 'out')).toBe(lines[1]);
  expect(lines[2]!.replace('in', 'out')).toBe(lines[3]);
  expect(lines[0]).not.toBe(lines[2]);
  expect(fs.existsSync(lock)).toBe(false);
});

it('takes over the lock of a process that died holding it', () => {
  const lock = path.join(dir, 'dead.lock');
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  fs.writeFileSync(lock, dead.stdout.trim());
  expect(withFileLock(lock, '测试', () => 'ran', 5_000)).toBe('ran');
  expect(fs.existsSync(lock)).toBe(false);
});

it('waits for a live holder, and past the time-out names it', () => {
  const lock = path.join(dir, 'live.lock');
  fs.writeFileSync(lock, String(process.pid));
  expect(() => withFileLock(lock, '测试构建', () => 'ran', 300)).toThrow(
    `测试构建等待超时：进程 ${process.pid} 还在构建（${lock}）`,
  );
  expect(fs.readFileSync(lock, 'utf8')).toBe(String(process.pid));
});
