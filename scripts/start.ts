// `npm start`: the database (embedded FerretDB unless MONGODB_URI is set),
// the H5 build, and the BFF serving it — then where to open it. Ctrl-C stops
// everything this started.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { builtEntry, ensureServerBuilt } from './lib/build';
import { ensureFerretDbBuilt, startFerretDb, type RunningDatabase } from './lib/ferretdb';
import { ensureH5Built } from './lib/h5';
import { startService, type Service } from './lib/services';
import { DEPARTMENTS, startSimulators, type RunningSimulators } from './lib/simulators';
import { DATA_DIR, H5_DIST_DIR, ROOT } from './paths';
import { isAlive } from './lib/pid';

const LOCK_FILE = path.join(DATA_DIR, 'npm-start.json');
const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT || 3000);
const DATABASE_NAME = 'flexins';
/** The simulators listen on PORT+100 … PORT+106. */
const SIMULATOR_BASE_PORT = PORT + 100;
/** The BFF's Prometheus metrics, on a port of their own (METRICS_PORT), loopback only. */
const METRICS_PORT = PORT + 90;
const SIMULATOR_NAMES: Record<(typeof DEPARTMENTS)[number], string> = {
  payment: '支付（我的宁夏收银台）',
  identity: '统一身份认证',
  hrss: '人社一体化系统',
  medical: '医保系统',
  tax: '税务系统',
  market: '市场监管登记注册',
  sms: '短信及订阅消息',
};

interface Lock {
  pid: number;
  url: string;
}

/** A second `npm start` while one runs says so instead of failing on a busy port. */
function takeLock(url: string): void {
  if (fs.existsSync(LOCK_FILE)) {
    const lock = JSON.parse(fs.readFileSync(LOCK_FILE, 'utf8')) as Lock;
    if (lock.pid !== process.pid && isAlive(lock.pid)) {
      console.error(`已经在运行了（进程 ${lock.pid}）：请打开 ${lock.url}。要重新启动，先在原来的终端按 Ctrl-C。`);
      process.exit(1);
    }
  }
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(LOCK_FILE, JSON.stringify({ pid: process.pid, url } satisfies Lock));
}

function releaseLock(): void {
  try {
    const lock = JSON.parse(fs.readFileSync(LOCK_FILE, 'utf8')) as Lock;
    if (lock.pid === process.pid) fs.rmSync(LOCK_FILE);
  } catch {
    // already gone
  }
}

/**
 * The BFF's own keys, made once and kept (0600) with the data: new keys on
 * every start would make the stored personal data unreadable, change every
 * look-up hash and sign everyone out.
 */
function localSecrets(): Record<'JWT_SECRET' | 'DATA_ENCRYPTION_KEY' | 'LOOKUP_HASH_KEY', string> {
  const file = path.join(DATA_DIR, 'secrets.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const secrets = {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOOKUP_HASH_KEY: randomBytes(32).toString('base64'),
  };
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** The token a scraper must send for the metrics, made once and kept (0600) beside the other keys. */
function metricsToken(): string {
  if (process.env.METRICS_TOKEN) return process.env.METRICS_TOKEN;
  const file = path.join(DATA_DIR, 'metrics.json');
  if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { token: string }).token;
  const token = randomBytes(24).toString('base64url');
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ token }, null, 2), { mode: 0o600 });
  return token;
}

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  const url = `http://${HOST}:${PORT}/`;
  takeLock(url);
  for (const port of [PORT, METRICS_PORT, ...DEPARTMENTS.map((_, i) => SIMULATOR_BASE_PORT + i)]) {
    if (await portIsFree(port, HOST)) continue;
    releaseLock();
    console.error(`端口 ${port} 已被其他程序占用。请关掉它，或换一组端口：PORT=4000 npm start`);
    process.exit(1);
  }

  let database: RunningDatabase | undefined;
  let simulators: RunningSimulators | undefined;
  let bff: Service | undefined;
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\n正在停止… stopping');
    await bff?.stop();
    await simulators?.stop();
    await database?.stop();
    releaseLock();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    // The BFF and the simulators run compiled, as in production (plain node, no tsx).
    ensureServerBuilt();
    let mongodbUri = process.env.MONGODB_URI;
    if (!mongodbUri) {
      ensureFerretDbBuilt();
      database = await startFerretDb({ dataDir: path.join(DATA_DIR, 'ferretdb') });
      mongodbUri = `${database.uri}${DATABASE_NAME}`;
      const where = database.kind === 'postgres' ? 'ferretdb/postgres' : 'ferretdb';
      console.log(`内置数据库已启动 (FerretDB on ${database.kind}, 数据在 ${path.relative(ROOT, DATA_DIR)}/${where})`);
    }

    simulators = await startSimulators({
      mongodbUri,
      basePort: SIMULATOR_BASE_PORT,
      host: HOST,
      fromBuild: true,
    });
    const simulatorsFile = path.join(DATA_DIR, 'simulators.json');
    fs.writeFileSync(
      simulatorsFile,
      JSON.stringify({ urls: simulators.urls, adminToken: simulators.secrets.adminToken }, null, 2),
    );
    for (const service of simulators.services) {
      service.child.once('exit', (code) => {
        if (!stopping) {
          console.error(`${service.name} 意外退出（退出码 ${code}），正在停止其余服务。`);
          void stopAll(1);
        }
      });
    }

    ensureH5Built();

    const sims = simulators;
    bff = await startService({
      name: 'BFF',
      entry: builtEntry('bff/src/server.ts'),
      env: {
        MONGODB_URI: mongodbUri,
        HOST,
        PORT: String(PORT),
        H5_DIR: H5_DIST_DIR,
        ...localSecrets(),
        ...Object.fromEntries(
          DEPARTMENTS.flatMap((d) => [
            [`${d.toUpperCase()}_URL`, sims.urls[d]],
            [`${d.toUpperCase()}_SECRET`, sims.secrets.bff[d]],
          ]),
        ),
        PAYMENT_NOTIFY_SECRET: sims.secrets.paymentNotify,
        METRICS_HOST: '127.0.0.1',
        METRICS_PORT: String(METRICS_PORT),
        METRICS_TOKEN: metricsToken(),
        // The simulated card and archive move a step every 30 s or less: look every minute, not every 6 hours.
        FOLLOW_UP_INTERVAL_MS: process.env.FOLLOW_UP_INTERVAL_MS || '60000',
      },
    });
    bff.child.once('exit', (code) => {
      if (!stopping) {
        console.error(`BFF 意外退出（退出码 ${code}），正在停止其余服务。`);
        void stopAll(1);
      }
    });

    console.log(
      [
        '',
        '  灵活就业参保“一件事” 已启动',
        `  打开 Open:     ${url}`,
        `  工作人员 Staff: ${url}staff/signin/index （测试账号见 README：xq.clerk / Xq-Window-2026 …）`,
        `  健康检查:      ${url}readyz`,
        `  监控指标 Metrics: http://127.0.0.1:${METRICS_PORT}/metrics （Authorization: Bearer 令牌见 ${path.relative(ROOT, DATA_DIR)}/metrics.json）`,
        '  模拟的部门系统 (department simulators):',
        ...DEPARTMENTS.map((d) => `    ${SIMULATOR_NAMES[d].padEnd(14, '　')} ${simulators!.urls[d]}/openapi.json`),
        `  管理令牌 (admin token) 见 ${path.relative(ROOT, DATA_DIR)}/simulators.json`,
        '  按 Ctrl-C 停止 (Ctrl-C stops everything)',
        '',
      ].join('\n'),
    );
  } catch (err) {
    console.error(`启动失败：${(err as Error).message}`);
    await stopAll(1);
  }
}

void main();
