// The mini-app's H5 build: rebuilt when any of its sources is newer than it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { H5_DIST_DIR, ROOT } from '../paths';

const SOURCES = ['miniapp/src', 'miniapp/config', 'miniapp/babel.config.js', 'miniapp/package.json', 'shared/src'];
const STAMP = path.join(H5_DIST_DIR, '.built-at');

function newestMtime(target: string): number {
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

export function h5IsStale(): boolean {
  if (!fs.existsSync(path.join(H5_DIST_DIR, 'index.html')) || !fs.existsSync(STAMP)) return true;
  const builtAt = Number(fs.readFileSync(STAMP, 'utf8'));
  return SOURCES.some((source) => newestMtime(path.join(ROOT, source)) > builtAt);
}

export function ensureH5Built(log: (line: string) => void = console.log): void {
  if (!h5IsStale()) return;
  log('正在构建小程序的 H5 版本（约半分钟）… building the H5 app');
  const startedAt = Date.now();
  const result = spawnSync('npm', ['run', 'build:h5', '-w', 'miniapp'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`H5 构建失败（退出码 ${result.status}）`);
  fs.writeFileSync(STAMP, String(startedAt));
}
