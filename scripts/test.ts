// `npm test`: make sure what the tests need is here (the FerretDB build, the
// H5 build, Debian's Chromium and CJK fonts for the browser journeys, Debian's
// PostgreSQL), then run jest over every package on the default database
// configuration (FLEXINS_DB, SQLite unless set), and then the database-heavy
// suites once more on the other one, PostgreSQL. Jest's global setup starts
// the database each time. With arguments (`npm test -- <paths>`) or with
// MONGODB_URI set, only the one run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureServerBuilt } from './lib/build';
import { databaseKind, ensureFerretDbBuilt } from './lib/ferretdb';
import { ensureH5Built } from './lib/h5';
import { startPostgres } from './lib/postgres';
import { ensureWeappBuilt } from './lib/weapp';
import { reportMiniappSizes } from './miniapp-size';
import { ensureValidators } from '../miniapp/scripts/validators';
import { CHROMIUM_BIN, ROOT } from './paths';

const BROWSER_PACKAGES = ['chromium', 'fonts-noto-cjk'];

function hasCjkFont(): boolean {
  const result = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim().length > 0;
}

function ensureBrowser(): void {
  if (fs.existsSync(CHROMIUM_BIN) && hasCjkFont()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `浏览器测试需要 Debian 的 ${BROWSER_PACKAGES.join(' 和 ')}：请运行 sudo apt-get install -y ${BROWSER_PACKAGES.join(' ')}`,
    );
  }
  console.log(`正在安装 ${BROWSER_PACKAGES.join(' ')}（apt-get）…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...BROWSER_PACKAGES]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`apt-get ${args[0]} 失败（退出码 ${result.status}）`);
  }
}

/** What goes through the database hardest: run on PostgreSQL too. */
const DATABASE_HEAVY_SUITES = [
  'bff/src/platform/__tests__/database.test.ts',
  'tests/engine/journey.test.ts',
  'tests/engine/chaos.test.ts',
  'tests/engine/crash-and-scale.test.ts',
];

let interrupted = false;

function runJest(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const jest = require.resolve('jest/bin/jest', { paths: [ROOT] });
  const child = spawn(process.execPath, [jest, ...args], { cwd: ROOT, stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => {
    interrupted = true;
    child.kill(signal);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

/** Starts and stops a throw-away cluster, so that a PostgreSQL that cannot start says so in one line before anything runs. */
async function checkPostgresStarts(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexins-pg-check-'));
  try {
    fs.chmodSync(dir, 0o711);
    const cluster = await startPostgres({ dir: path.join(dir, 'postgres'), durable: false });
    await cluster.stop();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let alsoOnPostgres = false;
  try {
    ensureBrowser();
    if (!process.env.MONGODB_URI) {
      alsoOnPostgres = args.length === 0 && databaseKind() === 'sqlite';
      if (alsoOnPostgres || databaseKind() === 'postgres') await checkPostgresStarts();
      ensureFerretDbBuilt();
    }
    // The npm start test runs the compiled BFF and simulators.
    ensureServerBuilt();
    // The mini-app's precompiled validators (its component tests import them), then both builds.
    ensureValidators();
    ensureH5Built();
    ensureWeappBuilt();
    if (!reportMiniappSizes()) throw new Error('小程序包超过微信的大小上限（见上表）');
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const code = await runJest(args, process.env);
  if (!alsoOnPostgres || interrupted) process.exit(code);
  console.log(`\n数据库相关的测试在 PostgreSQL 上再跑一遍（FLEXINS_DB=postgres）：${DATABASE_HEAVY_SUITES.join(' ')}`);
  const onPostgres = await runJest(DATABASE_HEAVY_SUITES, { ...process.env, FLEXINS_DB: 'postgres' });
  process.exit(code !== 0 ? code : onPostgres);
}

void main();
