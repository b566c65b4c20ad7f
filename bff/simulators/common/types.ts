// What a department simulator is made of. Each department folder exports one
// SimulatorDefinition; common/ turns it into a signed, idempotent, fault-
// injectable HTTP service with an OpenAPI document and admin endpoints.
import type Router from '@koa/router';
import type { Logger } from '@flexins/shared/server';
import type { Connection } from 'mongoose';
import type { NewPerson } from '../roster-schema';
import type { SimErrorCatalog } from './errors';
import type { FaultSettings } from './faults';

export type DepartmentName = 'identity' | 'hrss' | 'medical' | 'tax' | 'payment' | 'market' | 'sms';

export interface SimConfig {
  name: DepartmentName;
  mongodbUri: string;
  /** Its own database on the shared server; `sim_<name>` unless set. */
  dbName: string;
  host: string;
  port: number;
  /** callerId → shared secret of every system allowed to call this one. */
  callers: Map<string, string>;
  adminToken: string;
  faults: FaultSettings;
  /** Other systems this one calls (e.g. HRSS checks postage with payment). */
  peers: Partial<Record<DepartmentName, { url: string; callerId: string; secret: string }>>;
  /** Extra per-department settings, from SIM_<NAME>_* variables. */
  options: Record<string, string>;
  /** Where this service can be reached, for links it hands out (cashier, sign-in). */
  publicUrl: string;
}

export interface SimDeps {
  db: Connection;
  log: Logger;
  config: SimConfig;
  now(): Date;
}

export interface CallContext {
  deps: SimDeps;
  callerId: string;
  requestId: string;
  idempotencyKey?: string;
}

// A route table mixes routes of many shapes; each handler types its own input.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface SimRoute<In = any, Out = any> {
  method: 'GET' | 'POST';
  path: string;
  operationId: string;
  /** Chinese, shown in the OpenAPI document. */
  summary: string;
  /** Writes need an Idempotency-Key; queries (even POSTed ones) do not. */
  write: boolean;
  /** JSON Schema of the body (POST) or query (GET). */
  request?: object;
  /** JSON Schema of a successful reply. */
  reply: object;
  /** Department error codes this operation may answer with. */
  errors: string[];
  /** The person a call is about, for per-person scripted outcomes. */
  personOf?: (input: In) => string | undefined;
  handle(input: In, ctx: CallContext): Promise<Out>;
}

export interface SimulatorDefinition {
  name: DepartmentName;
  /** Chinese name of the system it stands in for. */
  title: string;
  errors: SimErrorCatalog;
  routes: SimRoute[];
  /** Unsigned pages a browser opens (sign-in, cashier). */
  pages?: (deps: SimDeps) => Router;
  /** Collections the admin read-out may list. */
  collections: string[];
  /** Indexes and the roster's records; must be safe to run on every start. */
  setup(deps: SimDeps): Promise<void>;
  /** Adds one person at run time (training, demos). */
  addPerson(deps: SimDeps, person: NewPerson): Promise<void>;
}
