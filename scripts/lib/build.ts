// The Node side's production build (`npm run build`): tsc compiles shared, the
// BFF, its worker and the simulators to CommonJS in build/, the same tree as
// the sources, so that they start with plain `node` (no tsx at run time).
// `npm start`, `npm test` and the bench build it when missing or stale.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BUILD_DIR, ROOT } from '../paths';
import { newestMtime } from './mtime';
import { withFileLock } from './file-lock';

const SOURCES = [
  'shared/src',
  'shared/server',
  'shared/package.json',
  'bff/src',
  'bff/simulators',
  'tsconfig.json',
  'tsconfig.build.json',
];
const STAMP = path.join(BUILD_DIR, '.built-at');

/** Where the compiled form of a source file under ROOT is, e.g. bff/src/server.ts → build/bff/src/server.js. */
export function builtEntry(source: string): string {
  const relative = path.relative(ROOT, path.resolve(ROOT, source));
  return path.join(BUILD_DIR, relative.replace(/\.ts$/, '.js'));
}

export function serverBuildIsStale(): boolean {
  if (!fs.existsSync(STAMP) || !fs.existsSync(builtEntry('bff/src/server.ts'))) return true;
  const builtAt = Number(fs.readFileSync(STAMP, 'utf8'));
  return Math.max(...SOURCES.map((source) => newestMtime(path.join(ROOT, source)))) > builtAt;
}

// Processes may be running from build/ while it is built again: what is already right is left alone.
function link(target: string, at: string): void {
  const relative = path.relative(path.dirname(at), target);
  if (fs.existsSync(at) && fs.lstatSync(at).isSymbolicLink() && fs.readlinkSync(at) === relative) return;
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.rmSync(at, { recursive: true, force: true });
  fs.symlinkSync(relative, at, 'junction');
}

function writeIfChanged(file: string, text: string): void {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return;
  fs.writeFileSync(file, text);
}

/**
 * The compiled code imports `@flexins/shared` like the sources do. The
 * workspace package points at TypeScript (which jest, tsx and Taro read), so
 * build/ carries its own: build/node_modules/@flexins/shared is build/shared,
 * whose package.json names the JavaScript; build/shared/node_modules is
 * shared's own (ajv 8, apart from the root's ajv 6).
 */
function linkPackages(): void {
  writeIfChanged(
    path.join(BUILD_DIR, 'shared', 'package.json'),
    `${JSON.stringify({ name: '@flexins/shared', private: true, main: 'src/index.js' }, null, 2)}\n`,
  );
  link(path.join(BUILD_DIR, 'shared'), path.join(BUILD_DIR, 'node_modules', '@flexins', 'shared'));
  const sharedModules = path.join(ROOT, 'shared', 'node_modules');
  if (fs.existsSync(sharedModules)) link(sharedModules, path.join(BUILD_DIR, 'shared', 'node_modules'));
}

/** Runs tsc (incremental: only what changed is emitted again); throws with its diagnostics on a type error. */
export function buildServer(log: (line: string) => void = console.log): void {
  const startedAt = Date.now();
  // tsc trusts its build info over the folder: with outputs deleted it would emit nothing.
  if (!fs.existsSync(builtEntry('bff/src/server.ts'))) fs.rmSync(path.join(BUILD_DIR, '.tsbuildinfo'), { force: true });
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(0, 40).join('\n');
    throw new Error(`BFF 构建失败（tsc 退出码 ${result.status}）：\n${output}`);
  }
  linkPackages();
  fs.writeFileSync(STAMP, String(startedAt));
  log(`BFF 构建完成（build/），用时 ${((Date.now() - startedAt) / 1000).toFixed(1)} 秒`);
}

/** One build at a time (`npm start`, `npm test` and the bench may ask at once). */
const LOCK = path.join(BUILD_DIR, '.building');

export function ensureServerBuilt(log: (line: string) => void = console.log): void {
  if (!serverBuildIsStale()) return;
  withFileLock(LOCK, 'BFF 构建', () => {
    if (!serverBuildIsStale()) return; // built meanwhile by whoever held the lock
    log('正在编译 BFF、工作进程和模拟系统（tsc → build/）… building the BFF');
    buildServer(log);
  });
}
