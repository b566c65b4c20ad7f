#!/usr/bin/env node
// `npm start` and `npm test` land here. Node built-ins only: on a fresh clone
// nothing is installed yet. It checks the prerequisites, installs the
// dependencies when they are missing or stale, then hands over to the
// TypeScript script of the same name (scripts/start.ts, scripts/test.ts).
'use strict';
const { spawnSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, FERRETDB_BIN } = require('./paths');

const COMMANDS = new Set(['start', 'test']);
const MIN_NODE = [20, 19];
const STAMP = path.join(ROOT, 'node_modules', '.flexins-install-stamp');

function fail(line) {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    fail(`需要 Node.js ${MIN_NODE.join('.')} 或更高版本（当前 ${process.versions.node}）。Install Node.js 20.19+.`);
  }
}

/** The embedded database needs Go to build, unless one is built or MONGODB_URI names a server. */
function checkDatabasePrerequisite() {
  if (process.env.MONGODB_URI || fs.existsSync(FERRETDB_BIN)) return;
  const go = spawnSync('go', ['version'], { stdio: 'ignore' });
  if (go.error || go.status !== 0) {
    fail(
      '缺少 Go：内置数据库（FerretDB）需要 Go 1.24+ 才能构建。请安装 Go，或设置 MONGODB_URI 指向一个 MongoDB 兼容数据库。' +
        ' (Install Go 1.24+ or set MONGODB_URI.)',
    );
  }
}

/** A fingerprint of everything that decides what `npm ci` installs. */
function dependencyFingerprint() {
  const hash = crypto.createHash('sha256');
  for (const file of [
    'package-lock.json',
    'package.json',
    'shared/package.json',
    'bff/package.json',
    'miniapp/package.json',
  ]) {
    const full = path.join(ROOT, file);
    hash.update(file);
    hash.update(fs.existsSync(full) ? fs.readFileSync(full) : '');
  }
  hash.update(process.versions.node);
  return hash.digest('hex');
}

function ensureDependencies() {
  const fingerprint = dependencyFingerprint();
  if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === fingerprint) return;
  process.stdout.write('正在安装依赖（npm ci）… installing dependencies\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) fail('依赖安装失败（npm ci）。请检查上面的输出。 npm ci failed, see above.');
  fs.writeFileSync(STAMP, fingerprint);
}

function main() {
  const command = process.argv[2];
  if (!COMMANDS.has(command)) fail(`usage: node scripts/bootstrap.js ${[...COMMANDS].join('|')} [args…]`);
  checkNode();
  checkDatabasePrerequisite();
  ensureDependencies();

  // `--import tsx` runs TypeScript in this one process (no wrapper in between).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, `${command}.ts`), ...process.argv.slice(3)],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  // Ctrl-C reaches the whole process group, a plain `kill` only us: pass
  // every stop signal on (the child ignores a repeat) and exit when it does.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main();
