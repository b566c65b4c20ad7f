// The mini-app's mini-program build (weapp): rebuilt when any of its sources is
// newer than it, like the H5 build (scripts/lib/h5.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DIR, ROOT, WEAPP_DIST_DIR } from '../paths';
import { newestSourceMtime } from './h5';

const STAMP = path.join(WEAPP_DIST_DIR, '.built-at');

export function weappIsStale(): boolean {
  if (!fs.existsSync(path.join(WEAPP_DIST_DIR, 'app.json')) || !fs.existsSync(STAMP)) return true;
  return newestSourceMtime() > Number(fs.readFileSync(STAMP, 'utf8'));
}

export function ensureWeappBuilt(log: (line: string) => void = console.log): void {
  if (!weappIsStale()) return;
  log('正在构建小程序（weapp）版本… building the mini-program');
  const startedAt = Date.now();
  const result = spawnSync('npm', ['run', 'build:weapp', '-w', 'miniapp'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const logFile = path.join(CACHE_DIR, 'logs', 'weapp-build.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, `${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`小程序构建失败（退出码 ${result.status}），完整输出见 ${logFile}：\n${tail}`);
  }
  log(`小程序构建完成，用时 ${Math.round((Date.now() - startedAt) / 1000)} 秒`);
  fs.writeFileSync(STAMP, String(startedAt));
}
