// `npm test`: make sure what the tests need is here (the FerretDB build, the
// H5 build, Debian's Chromium and CJK fonts for the browser journeys), then
// run jest over every package. Jest's global setup starts the database.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { ensureServerBuilt } from './lib/build';
import { ensureFerretDbBuilt } from './lib/ferretdb';
import { ensureH5Built } from './lib/h5';
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

function main(): void {
  try {
    ensureBrowser();
    if (!process.env.MONGODB_URI) ensureFerretDbBuilt();
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
  const jest = require.resolve('jest/bin/jest', { paths: [ROOT] });
  const child = spawn(process.execPath, [jest, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  process.on('SIGINT', () => child.kill('SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main();
