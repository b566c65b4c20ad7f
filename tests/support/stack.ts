// The whole system for a journey: the six simulators as real processes and
// the BFF (in this process or as processes of its own), on the run's
// database server, each with throw-away databases that are dropped after.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';
import {
  DEPARTMENTS,
  newSecrets,
  startSimulators,
  type Department,
  type RunningSimulators,
} from '../../scripts/lib/simulators';
import { startService, type Service } from '../../scripts/lib/services';
import { ROOT } from '../../scripts/paths';
import { TEST_SECRETS } from '../../bff/test/config';
import { freePort } from './process';

export interface StackOptions {
  /** Extra environment for every simulator (fault switches, SIM_OPT_*). */
  simulatorEnv?: Record<string, string>;
  /** Extra settings for the BFF. */
  bffEnv?: Record<string, string>;
  /** Every log line of the simulators (by default they are dropped). */
  onSimulatorLine?: (department: Department, line: string) => void;
  label: string;
}

export interface Stack {
  simulators: RunningSimulators;
  /** Each simulator's own database on the run's server. */
  simulatorDbNames: Record<Department, string>;
  bffEnv: Record<string, string>;
  dbName: string;
  /** Signed admin call to a simulator. */
  admin(department: Department, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  records(department: Department, collection: string, idNumber?: string): Promise<any[]>;
  /** The BFF's own database, for a test that must set what only time would (a face check half an hour old). */
  withBffDb<T>(use: (db: mongoose.Connection) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run tests through `npm test`');
  const suffix = `${options.label}_${randomBytes(3).toString('hex')}`;
  const dbNames = Object.fromEntries(DEPARTMENTS.map((d) => [d, `t_sim_${d}_${suffix}`])) as Record<Department, string>;
  const secrets = newSecrets();
  const simulators = await startSimulators({
    mongodbUri: uri,
    secrets,
    dbNames,
    env: { SIM_LATENCY_MS: '10', SIM_JITTER_MS: '20', LOG_LEVEL: 'warn', ...options.simulatorEnv },
    ...(options.onSimulatorLine ? { onLine: options.onSimulatorLine } : {}),
  });
  const dbName = `t_bff_${suffix}`;
  const bffEnv: Record<string, string> = {
    MONGODB_URI: `${uri.replace(/\/$/, '')}/${dbName}`,
    ...TEST_SECRETS,
    IDENTITY_URL: simulators.urls.identity,
    IDENTITY_SECRET: secrets.bff.identity,
    HRSS_URL: simulators.urls.hrss,
    HRSS_SECRET: secrets.bff.hrss,
    MEDICAL_URL: simulators.urls.medical,
    MEDICAL_SECRET: secrets.bff.medical,
    TAX_URL: simulators.urls.tax,
    TAX_SECRET: secrets.bff.tax,
    PAYMENT_URL: simulators.urls.payment,
    PAYMENT_SECRET: secrets.bff.payment,
    PAYMENT_NOTIFY_SECRET: secrets.paymentNotify,
    MARKET_URL: simulators.urls.market,
    MARKET_SECRET: secrets.bff.market,
    SMS_URL: simulators.urls.sms,
    SMS_SECRET: secrets.bff.sms,
    DEPARTMENT_TIMEOUT_MS: '2000',
    RETRY_BASE_MS: '100',
    LOG_LEVEL: 'warn',
    // Every test citizen signs in from 127.0.0.1.
    SIGN_IN_PER_MINUTE: '100000',
    // Messages go out whenever a test runs (quiet hours have their own tests, with a clock of their own), soon.
    NOTIFY_QUIET_HOURS: 'off',
    NOTIFY_INTERVAL_MS: '200',
    ...options.bffEnv,
  };

  const admin = async (department: Department, method: string, p: string, body?: unknown) => {
    const response = await fetch(`${simulators.urls[department]}${p}`, {
      method,
      headers: {
        'x-admin-token': secrets.adminToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  return {
    simulators,
    simulatorDbNames: dbNames,
    bffEnv,
    dbName,
    admin,
    async records(department, collection, idNumber) {
      const query = idNumber ? `?idNumber=${encodeURIComponent(idNumber)}` : '';
      const res = await admin(department, 'GET', `/admin/records/${collection}${query}`);
      if (res.status !== 200) throw new Error(`records ${department}/${collection}: ${res.status}`);
      return res.body.records as any[];
    },
    async withBffDb(use) {
      const connection = await mongoose.createConnection(uri).asPromise();
      try {
        return await use(connection.useDb(dbName));
      } finally {
        await connection.close();
      }
    },
    async stop() {
      await simulators.stop();
      const connection = await mongoose.createConnection(uri).asPromise();
      for (const name of [...Object.values(dbNames), dbName]) await connection.useDb(name).dropDatabase();
      await connection.close();
    },
  };
}

/** A BFF as a real process on a free port; `env` adds to or overrides the stack's settings. */
export async function startBffProcess(
  stack: Stack,
  env: Record<string, string> = {},
  onLine?: (line: string) => void,
): Promise<Service> {
  const port = env.PORT ?? String(await freePort());
  return startService({
    name: 'BFF',
    entry: path.join(ROOT, 'bff/src/server.ts'),
    env: { ...stack.bffEnv, PORT: port, PUBLIC_URL: `http://127.0.0.1:${port}`, ...env },
    onLine: onLine ?? printErrors('BFF'),
  });
}

/** By default a child's log lines are dropped, except errors: a 5xx in a test names its cause. */
function printErrors(name: string): (line: string) => void {
  return (line) => {
    if (line.includes('"level":"error"')) process.stderr.write(`[${name}] ${line}\n`);
  };
}

/** A worker process of its own (scale-out). */
export async function startWorkerProcess(stack: Stack, env: Record<string, string> = {}): Promise<Service> {
  return startService({
    name: 'worker',
    entry: path.join(ROOT, 'bff/src/worker.ts'),
    env: { ...stack.bffEnv, ...env },
    onLine: printErrors('worker'),
  });
}
