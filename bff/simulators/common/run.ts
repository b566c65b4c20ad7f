// Starting a simulator: settings from the environment, its own database on
// the shared server (`sim_<name>`), setup, listen, and a clean stop.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, parseCallerSecrets, type Logger } from '@flexins/shared/server';
import mongoose, { type Connection } from 'mongoose';
import { createSimulatorApp } from './app';
import type { FaultBoard } from './faults';
import { faultsFromEnv } from './faults';
import type { DepartmentName, SimConfig, SimDeps, SimulatorDefinition } from './types';

const PEERS: DepartmentName[] = ['identity', 'hrss', 'medical', 'tax', 'payment', 'market', 'sms'];

/**
 * Settings, all from the environment:
 * MONGODB_URI, SIM_DB_NAME, SIM_HOST, SIM_PORT (0 = any free port), SIM_CALLERS
 * (`callerId:secret,…`), SIM_ADMIN_TOKEN, SIM_PUBLIC_URL, the fault switches
 * (SIM_LATENCY_MS …), peers as SIM_PEER_<NAME>_URL / _CALLER / _SECRET, and
 * department options as SIM_OPT_<NAME>.
 */
export function simConfigFromEnv(name: DepartmentName, env: Record<string, string | undefined>): SimConfig {
  const problems: string[] = [];
  const need = (key: string) => {
    const value = env[key];
    if (!value) problems.push(`${key} 未设置`);
    return value ?? '';
  };
  const mongodbUri = need('MONGODB_URI');
  const callersRaw = need('SIM_CALLERS');
  const adminToken = need('SIM_ADMIN_TOKEN');
  let callers = new Map<string, string>();
  try {
    if (callersRaw) callers = parseCallerSecrets(callersRaw);
  } catch (err) {
    problems.push(`SIM_CALLERS：${(err as Error).message}`);
  }
  const port = Number(env.SIM_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('SIM_PORT 必须是 0 到 65535 之间的整数');
  let faults = faultsFromEnv({});
  try {
    faults = faultsFromEnv(env);
  } catch (err) {
    problems.push((err as Error).message);
  }
  // A simulator hands out test people and has admin switches: it is never a department system in production.
  if (env.NODE_ENV === 'production') problems.push('模拟系统不能在生产环境（NODE_ENV=production）运行');
  if (problems.length) throw new Error(`模拟系统 ${name} 配置有误：${problems.join('；')}`);

  const peers: SimConfig['peers'] = {};
  for (const peer of PEERS) {
    const prefix = `SIM_PEER_${peer.toUpperCase()}_`;
    const url = env[`${prefix}URL`];
    if (url) peers[peer] = { url, callerId: env[`${prefix}CALLER`] ?? name, secret: env[`${prefix}SECRET`] ?? '' };
  }
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('SIM_OPT_') && value !== undefined) options[key.slice('SIM_OPT_'.length)] = value;
  }
  const host = env.SIM_HOST || '127.0.0.1';
  const dbName = env.SIM_DB_NAME || `sim_${name}`;
  return {
    name,
    mongodbUri,
    dbName,
    host,
    port,
    callers,
    adminToken,
    faults,
    peers,
    options,
    publicUrl: env.SIM_PUBLIC_URL ?? '',
  };
}

export interface RunningSimulator {
  url: string;
  deps: SimDeps;
  faults: FaultBoard;
  stop(): Promise<void>;
}

/** Starts one simulator in this process (tests use it directly; server entries via main). */
export async function startSimulator(
  definition: SimulatorDefinition,
  config: SimConfig,
  log: Logger = createLogger('warn'),
): Promise<RunningSimulator> {
  const db: Connection = mongoose.createConnection(config.mongodbUri, {
    dbName: config.dbName,
    maxPoolSize: 20,
    serverSelectionTimeoutMS: 5_000,
  });
  await db.asPromise();

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  const deps: SimDeps = {
    db,
    log: log.child({ system: definition.name }),
    config: { ...config, publicUrl: config.publicUrl || url },
    now: () => new Date(),
  };
  await definition.setup(deps);
  const { app, faults } = createSimulatorApp(definition, deps);
  server.on('request', app.callback());

  return {
    url,
    deps,
    faults,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/** The body of each simulator's server.ts. */
export function main(definition: SimulatorDefinition): void {
  const log = createLogger((process.env.LOG_LEVEL as 'info') || 'info');
  let config: SimConfig;
  try {
    config = simConfigFromEnv(definition.name, process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  startSimulator(definition, config, log).then(
    (running) => {
      // Always said, whatever LOG_LEVEL: the scripts that start us wait for this line.
      createLogger('info').info('listening', { system: definition.name, url: running.url });
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => void running.stop().then(() => process.exit(0)));
      }
    },
    (err: Error) => {
      process.stderr.write(`模拟系统 ${definition.name} 启动失败：${err.message}\n`);
      process.exit(1);
    },
  );
}
