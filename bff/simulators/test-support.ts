// Starting a simulator inside a test: its own database (dropped after), a
// known caller secret and admin token, no added latency; plus a signed
// client and an admin helper that speak real HTTP to it.
import { randomUUID } from 'node:crypto';
import { GATEWAY_HEADERS, GatewayClient, signedHeaders } from '@flexins/shared/server';
import { uniqueDatabaseName } from '../test/database';
import { DEFAULT_FAULTS, type FaultSettings } from './common/faults';
import { startSimulator, type RunningSimulator } from './common/run';
import type { SimConfig, SimulatorDefinition } from './common/types';

export const TEST_CALLER = 'bff';
export const TEST_SECRET = 'test-secret-for-the-bff';
export const TEST_ADMIN_TOKEN = 'test-admin-token';

export interface TestSimulator {
  readonly running: RunningSimulator;
  readonly url: string;
  readonly client: GatewayClient;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Records of one collection, optionally for one person. */
  records(collection: string, idNumber?: string): Promise<any[]>;
}

type Overrides = Partial<Omit<SimConfig, 'faults'>> & { faults?: Partial<FaultSettings> };

/**
 * `overrides` may be a function, read when the simulator starts: a simulator
 * that calls another (HRSS checks postage with payment) learns its peer's URL
 * that way. Simulators start in the order their `useTestSimulator` calls stand.
 */
export function useTestSimulator(
  definition: SimulatorDefinition,
  overrides: Overrides | (() => Overrides) = {},
): TestSimulator {
  const dbName = uniqueDatabaseName(`sim_${definition.name}`);
  let running: RunningSimulator | undefined;

  beforeAll(async () => {
    const uri = process.env.MONGODB_URI;
    if (!uri) throw new Error('MONGODB_URI is not set: run tests through `npm test`');
    const chosen = typeof overrides === 'function' ? overrides() : overrides;
    running = await startSimulator(definition, {
      name: definition.name,
      mongodbUri: uri,
      dbName,
      host: '127.0.0.1',
      port: 0,
      callers: new Map([[TEST_CALLER, TEST_SECRET]]),
      adminToken: TEST_ADMIN_TOKEN,
      peers: {},
      options: {},
      publicUrl: '',
      ...chosen,
      faults: { ...DEFAULT_FAULTS, latencyMs: 0, jitterMs: 0, hangMs: 60_000, ...chosen.faults },
    });
  });

  afterAll(async () => {
    if (!running) return;
    await running.deps.db.dropDatabase();
    await running.stop();
  });

  const must = () => {
    if (!running) throw new Error('the simulator is not started yet (use it inside a test)');
    return running;
  };

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${must().url}${path}`, {
      method,
      headers: {
        'x-admin-token': TEST_ADMIN_TOKEN,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  let client: GatewayClient | undefined;
  return {
    get running() {
      return must();
    },
    get url() {
      return must().url;
    },
    get client() {
      client ??= new GatewayClient({
        baseUrl: must().url,
        callerId: TEST_CALLER,
        secret: TEST_SECRET,
        timeoutMs: 5_000,
      });
      return client;
    },
    admin,
    async records(collection: string, idNumber?: string) {
      const query = idNumber ? `?idNumber=${encodeURIComponent(idNumber)}` : '';
      const res = await admin('GET', `/admin/records/${collection}${query}`);
      if (res.status !== 200) throw new Error(`records ${collection}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.records as any[];
    },
  };
}

export interface SignedReply {
  status: number;
  body: any;
}

/**
 * A signed POST that keeps the raw reply (status and body), for tests that
 * check exact refusals. Writes get a fresh Idempotency-Key unless one is
 * given; `null` sends none.
 */
export async function signedPost(
  sim: TestSimulator,
  path: string,
  body: unknown,
  idempotencyKey: string | null = randomUUID(),
): Promise<SignedReply> {
  const text = JSON.stringify(body);
  const response = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signedHeaders(TEST_CALLER, TEST_SECRET, { method: 'POST', path, body: text }),
      ...(idempotencyKey ? { [GATEWAY_HEADERS.idempotencyKey]: idempotencyKey } : {}),
    },
    body: text,
  });
  return { status: response.status, body: await response.json() };
}

/** The part of a simulator's OpenAPI document tests read. */
export interface OpenApiDocument {
  info: { title: string };
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; parameters: { name: string }[]; responses: { default: { description: string } } }
    >
  >;
}

export async function openApiOf(sim: TestSimulator): Promise<OpenApiDocument> {
  return (await (await fetch(`${sim.url}/openapi.json`)).json()) as OpenApiDocument;
}
