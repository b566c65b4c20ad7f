// The mini-app's H5 build: rebuilt when any of its sources is newer than it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DIR, H5_DIST_DIR, ROOT } from '../paths';
import { newestMtime } from './mtime';

const LOG_DIR = path.join(CACHE_DIR, 'logs');

const SOURCES = ['miniapp/src', 'miniapp/config', 'miniapp/babel.config.js', 'miniapp/package.json', 'shared/src'];
const STAMP = path.join(H5_DIST_DIR, '.built-at');

/** When the mini-app's sources (its own and shared/) last changed; the weapp build uses it too. */
export function newestSourceMtime(): number {
  return Math.max(...SOURCES.map((source) => newestMtime(path.join(ROOT, source))));
}

export function h5IsStale(): boolean {
  if (!fs.existsSync(path.join(H5_DIST_DIR, 'index.html')) || !fs.existsSync(STAMP)) return true;
  const builtAt = Number(fs.readFileSync(STAMP, 'utf8'));
  return newestSourceMtime() > builtAt;
}

export function ensureH5Built(log: (line: string) => void = console.log): void {
  if (!h5IsStale()) return;
  log('正在构建小程序的 H5 版本（约半分钟）… building the H5 app');
  const startedAt = Date.now();
  // Taro draws progress bars; keep them in a log and show its tail on failure.
  const result = spawnSync('npm', ['run', 'build:h5', '-w', 'miniapp'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, 'h5-build.log');
  fs.writeFileSync(logFile, `${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`H5 构建失败（退出码 ${result.status}），完整输出见 ${logFile}：\n${tail}`);
  }
  log(`H5 构建完成，用时 ${Math.round((Date.now() - startedAt) / 1000)} 秒`);
  fs.writeFileSync(STAMP, String(startedAt));
}
