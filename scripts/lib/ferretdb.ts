// The embedded database: build the project's FerretDB program when missing,
// start it on a free loopback port, wait until it answers `ping`, stop it.
// FLEXINS_DB picks what FerretDB keeps the data in: `sqlite` (the default,
// files in the data folder) or `postgres` (a PostgreSQL cluster of ours in
// the data folder's `postgres/`, scripts/lib/postgres.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { FERRETDB_BIN, FERRETDB_SOURCE_DIR } from '../paths';
import { withFileLock } from './file-lock';
import { startPostgres, type RunningPostgres } from './postgres';

export interface RunningDatabase {
  uri: string;
  /** What FerretDB keeps the data in. */
  kind: DatabaseKind;
  /** The program's process (its CPU time, for scripts/bench/ferretdb-patches.ts). */
  pid: number | undefined;
  stop(): Promise<void>;
}

export const DATABASE_KINDS = ['sqlite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** FLEXINS_DB: `sqlite` (or unset) or `postgres`; anything else is refused, naming the setting. */
export function databaseKind(value = process.env.FLEXINS_DB): DatabaseKind {
  if (value === undefined || value === '') return 'sqlite';
  if ((DATABASE_KINDS as readonly string[]).includes(value)) return value as DatabaseKind;
  throw new Error(`FLEXINS_DB 只能是 ${DATABASE_KINDS.join(' 或 ')}（现在是 "${value}"）`);
}

const STAMP = `${FERRETDB_BIN}.source-sha256`;
const PATCHES_FILE = path.join(FERRETDB_SOURCE_DIR, 'patches.json');

/** Every file the build reads from our source folder: the Go files (ours and those added to FerretDB), the module files, the patches. */
function sourceFiles(): string[] {
  return fs
    .readdirSync(FERRETDB_SOURCE_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.go') || ['go.mod', 'go.sum', 'patches.json'].includes(f))
    .sort();
}

export function sourceFingerprint(): string {
  const hash = crypto.createHash('sha256');
  for (const file of sourceFiles()) hash.update(file).update(fs.readFileSync(path.join(FERRETDB_SOURCE_DIR, file)));
  return hash.digest('hex');
}

interface Patches {
  module: string;
  patches: { file: string; find: string; replace: string; count: number }[];
  /** Files of ours added to the module, and the package whose tests then run (ours and FerretDB's). */
  add: { files: { from: string; to: string }[]; test: string };
}

function go(args: string[]): string {
  const result = spawnSync('go', args, { cwd: FERRETDB_SOURCE_DIR, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`go ${args.join(' ')} 失败：${(result.stderr ?? '').trim().slice(-500)}`);
  return result.stdout.trim();
}

/**
 * Our fixes to FerretDB's own files (scripts/ferretdb/patches.json): the
 * module is copied from Go's cache beside the binary, patched there, and the
 * build is pointed at the copy by a generated module file (`-modfile` with a
 * `replace`); our go.mod and Go's cache stay as they are. Returns the
 * generated module file's path. `leaveOut` names FerretDB files (patched or
 * added) to leave as they are, for the A/B of scripts/bench/ferretdb-patches.ts.
 */
function preparePatchedModule(buildDir: string, leaveOut: (file: string) => boolean, test: boolean): string {
  const { module, patches, add } = JSON.parse(fs.readFileSync(PATCHES_FILE, 'utf8')) as Patches;
  go(['mod', 'download', module]);
  const moduleDir = go(['list', '-m', '-f', '{{.Dir}}', module]);
  const copy = path.join(buildDir, 'ferretdb-module');
  fs.rmSync(buildDir, { recursive: true, force: true });
  fs.cpSync(moduleDir, copy, { recursive: true });
  for (const patch of patches.filter((p) => !leaveOut(p.file))) {
    const file = path.join(copy, patch.file);
    const text = fs.readFileSync(file, 'utf8');
    const found = text.split(patch.find).length - 1;
    if (found !== patch.count) {
      throw new Error(`FerretDB 补丁与源码不符：${patch.file} 中应有 ${patch.count} 处，实际 ${found} 处`);
    }
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, text.split(patch.find).join(patch.replace));
  }
  for (const { from, to } of add.files.filter((f) => !leaveOut(f.to))) {
    const target = path.join(copy, to);
    fs.chmodSync(path.dirname(target), 0o755);
    fs.copyFileSync(path.join(FERRETDB_SOURCE_DIR, from), target);
  }
  // The patched package's tests, FerretDB's and ours, before anything is built
  // on it (FerretDB's test helpers look for the repository's .git folder).
  fs.mkdirSync(path.join(copy, '.git'), { recursive: true });
  const tested = test ? spawnSync('go', ['test', '-count=1', add.test], { cwd: copy, encoding: 'utf8' }) : undefined;
  if (tested && tested.status !== 0) {
    throw new Error(`FerretDB 补丁后的测试未通过：${`${tested.stdout}${tested.stderr}`.trim().slice(-1500)}`);
  }
  const modfile = path.join(buildDir, 'go.mod');
  fs.writeFileSync(
    modfile,
    `${fs.readFileSync(path.join(FERRETDB_SOURCE_DIR, 'go.mod'), 'utf8')}\nreplace ${module} => ${copy}\n`,
  );
  fs.copyFileSync(path.join(FERRETDB_SOURCE_DIR, 'go.sum'), path.join(buildDir, 'go.sum'));
  return modfile;
}

/** Builds the binary when it is missing or its source changed. */
export function ensureFerretDbBuilt(log: (line: string) => void = console.log): void {
  const fingerprint = sourceFingerprint();
  const current = () =>
    fs.existsSync(FERRETDB_BIN) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === fingerprint;
  if (current()) return;
  // One build at a time (`npm start` and `npm test` after a pull share the module copy in build/),
  // to a new file renamed over the old: a database already running keeps its program.
  withFileLock(
    `${FERRETDB_BIN}.building`,
    '内置数据库构建',
    () => {
      if (current()) return; // built meanwhile by whoever held the lock
      log('正在构建内置数据库 FerretDB（首次约 1–2 分钟）… building FerretDB');
      const fresh = `${FERRETDB_BIN}.new`;
      buildFerretDb(fresh);
      fs.renameSync(fresh, FERRETDB_BIN);
      fs.writeFileSync(STAMP, fingerprint);
    },
    600_000,
  );
}

/**
 * Builds the program to `bin` (its module copy in `build/` beside it): the
 * patched package's tests and our program's, then `go build`. With
 * `leaveOut` (see preparePatchedModule) the tests are skipped: a variant
 * for measuring only, never the cached binary.
 */
export function buildFerretDb(bin: string, leaveOut?: (file: string) => boolean): void {
  const version = spawnSync('go', ['version'], { stdio: 'ignore' });
  if (version.error || version.status !== 0) {
    throw new Error('缺少 Go：内置数据库（FerretDB）需要 Go 1.24+ 才能构建。请安装 Go，或设置 MONGODB_URI。');
  }
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const modfile = preparePatchedModule(path.join(path.dirname(bin), 'build'), leaveOut ?? (() => false), !leaveOut);
  if (!leaveOut) {
    // Our program's own tests (which lock each write command takes, proxy_test.go) before it is built.
    const tested = spawnSync('go', ['test', '-count=1', `-modfile=${modfile}`, '.'], {
      cwd: FERRETDB_SOURCE_DIR,
      encoding: 'utf8',
    });
    if (tested.status !== 0) {
      throw new Error(`内置数据库程序的测试未通过：${`${tested.stdout}${tested.stderr}`.trim().slice(-1500)}`);
    }
  }
  const build = spawnSync('go', ['build', `-modfile=${modfile}`, '-o', bin, '.'], {
    cwd: FERRETDB_SOURCE_DIR,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error(`FerretDB 构建失败（go build 退出码 ${build.status}）`);
}

/** Resolves once a `ping` succeeds, or rejects after `timeoutMs`. */
export async function waitForPing(uri: string, timeoutMs = 30_000): Promise<void> {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: timeoutMs });
  try {
    await connection.asPromise();
    await connection.db!.admin().ping();
  } finally {
    await connection.close();
  }
}

function stopProcess(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts FerretDB with its data in `dataDir` (created if missing): SQLite
 * files, or with `kind` postgres (default: FLEXINS_DB) a PostgreSQL cluster in
 * `dataDir/postgres`, durable unless `durable` is false (tests). `port` 0 lets
 * the server pick a free one; the URI it prints is returned.
 */
export async function startFerretDb(options: {
  dataDir: string;
  port?: number;
  kind?: DatabaseKind;
  durable?: boolean;
  /** Another build of the program (scripts/bench/ferretdb-patches.ts); default the cached one. */
  bin?: string;
}): Promise<RunningDatabase> {
  const kind = options.kind ?? databaseKind();
  fs.mkdirSync(options.dataDir, { recursive: true });
  let postgres: RunningPostgres | undefined;
  if (kind === 'postgres') {
    fs.chmodSync(options.dataDir, 0o711); // PostgreSQL's own user must reach its folder inside
    postgres = await startPostgres({ dir: path.join(options.dataDir, 'postgres'), durable: options.durable ?? true });
  }
  const backend = postgres
    ? ['-handler', 'postgresql', '-postgresql-url', postgres.url]
    : ['-handler', 'sqlite', '-dir', options.dataDir];
  const child = spawn(
    options.bin ?? FERRETDB_BIN,
    [
      ...backend,
      '-listen',
      `127.0.0.1:${options.port ?? 0}`,
      '-log-level',
      'error',
      // The benchmark's profile of where the database spends its CPU (FERRETDB_CPU_PROFILE=<file>).
      ...(process.env.FERRETDB_CPU_PROFILE ? ['-cpu-profile', process.env.FERRETDB_CPU_PROFILE] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));

  const stop = async (): Promise<void> => {
    await stopProcess(child);
    await postgres?.stop();
  };
  let uri: string;
  try {
    uri = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const match = /^READY (mongodb:\/\/\S+)$/.exec(line);
        if (match) resolve(match[1]!);
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`FerretDB 启动失败（退出码 ${code}）：${stderr.join('').trim().slice(-500)}`)),
      );
    });
    await waitForPing(uri);
  } catch (err) {
    await stop();
    throw err;
  }
  return { uri, kind, pid: child.pid, stop };
}
