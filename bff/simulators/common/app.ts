// Turns a SimulatorDefinition into a Koa app: request id and logs, errors as
// `{ error: { code, message } }`, the OpenAPI document, admin endpoints, and
// for every business call: signature → input check → latency and faults →
// idempotency → the work → reply check → maybe a lost reply.
import { randomUUID } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { GATEWAY_HEADERS, check } from '@flexins/shared/server';
import Koa, { type Context, type Next } from 'koa';
import { adminRoutes } from './admin';
import { COMMON_ERRORS, SimError, commonError, errorFactory } from './errors';
import { FaultBoard } from './faults';
import { IdempotencyStore, bodyHash } from './idempotency';
import { buildOpenApi } from './openapi';
import { NonceStore, verifySignature } from './signature';
import type { CallContext, SimDeps, SimRoute, SimulatorDefinition } from './types';

export interface SimulatorApp {
  app: Koa;
  faults: FaultBoard;
}

function errorReply(ctx: Context, err: SimError): void {
  ctx.status = err.status;
  ctx.body = {
    error: {
      code: err.code,
      message: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
      ...(err.details ? { details: err.details } : {}),
    },
  };
}

function errors(deps: SimDeps) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw commonError('NOT_FOUND');
    } catch (thrown) {
      const err = thrown as Error & { status?: number };
      if (err instanceof SimError) return errorReply(ctx, err);
      if (err.status === 405) return errorReply(ctx, commonError('METHOD_NOT_ALLOWED'));
      if (err.status === 404) return errorReply(ctx, commonError('NOT_FOUND'));
      (ctx.state.log ?? deps.log).error('simulator request failed', { err });
      errorReply(ctx, commonError('INTERNAL'));
    }
  };
}

/** The trace id of a W3C `traceparent` (version, trace id, parent id, flags), as a real gateway would log it. */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$/;

function requestLog(deps: SimDeps) {
  return async (ctx: Context, next: Next) => {
    const incoming = ctx.get(GATEWAY_HEADERS.requestId);
    ctx.state.requestId = /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    const trace = TRACEPARENT.exec(ctx.get('traceparent'));
    const traced = trace ? { traceId: trace[1], parentSpanId: trace[2] } : {};
    ctx.state.log = deps.log.child({ requestId: ctx.state.requestId, ...traced });
    ctx.set('X-Request-Id', ctx.state.requestId as string);
    const started = Date.now();
    await next();
    if (ctx.respond !== false) {
      deps.log.debug('call', {
        requestId: ctx.state.requestId,
        ...traced,
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Date.now() - started,
      });
    }
  };
}

function jsonOnly() {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: '2mb', // the card application carries the certified photo
    encoding: 'utf-8',
    onError: (err: Error & { status?: number }) => {
      if (err.status === 413) throw commonError('BODY_TOO_LARGE');
      throw commonError('MALFORMED_JSON');
    },
  });
  return async (ctx: Context, next: Next) => {
    if (ctx.method === 'POST' && ctx.request.length > 0 && !ctx.is('application/json')) {
      throw commonError('UNSUPPORTED_MEDIA_TYPE');
    }
    await parse(ctx, next);
  };
}

/** Holds the connection open without answering, then drops it. */
async function hang(ctx: Context, ms: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    ctx.req.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  dropConnection(ctx);
}

function dropConnection(ctx: Context): void {
  ctx.respond = false;
  ctx.req.socket.destroy();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function businessHandler(
  definition: SimulatorDefinition,
  route: SimRoute,
  deps: SimDeps,
  faults: FaultBoard,
  idempotency: IdempotencyStore,
) {
  const fail = errorFactory(definition.errors);
  return async (ctx: Context) => {
    // 1. check the input against the contract
    const raw: unknown = route.method === 'GET' ? { ...ctx.query } : (ctx.request.body ?? {});
    let input: unknown = raw;
    if (route.request) {
      const checked = check(route.request, raw);
      if (!checked.ok) throw commonError('VALIDATION_FAILED', { fields: checked.fields });
      input = checked.value;
    }

    // 2. latency, then injected faults (scripted for this person first)
    const script = faults.takeScript(route.personOf?.(input), route.operationId);
    await sleep(faults.delayMs());
    const before = script ? script.outcome : faults.beforeWork();
    if (before === 'error') throw commonError('INJECTED_ERROR');
    if (before === 'unavailable') throw commonError('INJECTED_UNAVAILABLE');
    if (before === 'hang') return hang(ctx, faults.settings.hangMs);
    if (before === 'refuse') throw fail(script!.code!);

    // 3. idempotency for writes
    let recordId: string | undefined;
    const callerId = ctx.state.callerId as string;
    const key = ctx.get(GATEWAY_HEADERS.idempotencyKey);
    if (route.write) {
      if (!key || key.length > 128) throw commonError('IDEMPOTENCY_KEY_REQUIRED');
      const begun = await idempotency.begin(
        callerId,
        key,
        route.operationId,
        bodyHash((ctx.request as { rawBody?: string }).rawBody ?? ''),
      );
      if (begun.kind === 'conflict') throw commonError('IDEMPOTENCY_KEY_REUSED');
      if (begun.kind === 'inProgress') throw commonError('IDEMPOTENCY_IN_PROGRESS');
      if (begun.kind === 'replay') {
        ctx.status = begun.status;
        ctx.body = begun.reply;
        ctx.set('Idempotent-Replayed', 'true');
        return;
      }
      recordId = begun.id;
    }

    // 4. the work; a department refusal is a result and is kept like a success
    const call: CallContext = {
      deps,
      callerId,
      requestId: ctx.state.requestId as string,
      idempotencyKey: key || undefined,
    };
    try {
      const result = await route.handle(input, call);
      const reply = check(route.reply, result);
      if (!reply.ok) {
        throw new Error(`reply of ${route.operationId} breaks its schema: ${JSON.stringify(reply.fields)}`);
      }
      ctx.status = 200;
      ctx.body = result;
    } catch (err) {
      if (!(err instanceof SimError) || err.status >= 500) {
        if (recordId) await idempotency.abandon(recordId);
        throw err;
      }
      errorReply(ctx, err);
    }
    if (recordId) await idempotency.finish(recordId, ctx.status, ctx.body);

    // 5. the work is committed; maybe the reply never arrives
    if (script?.outcome === 'lostReply' || (route.write && !script && faults.loseReply())) dropConnection(ctx);
  };
}

export function createSimulatorApp(definition: SimulatorDefinition, deps: SimDeps): SimulatorApp {
  const faults = new FaultBoard(deps.config.faults);
  const idempotency = new IdempotencyStore(deps.db);
  const nonces = new NonceStore(deps.db);
  const app = new Koa();
  app.silent = true;

  app.use(requestLog(deps));
  app.use(errors(deps));
  app.use(jsonOnly());

  const open = new Router();
  const openapi = buildOpenApi(definition);
  open.get('/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  open.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok', system: definition.name };
  });
  app.use(open.routes());

  const admin = adminRoutes(definition, deps, faults);
  app.use(admin.routes()).use(admin.allowedMethods({ throw: true }));

  if (definition.pages) {
    const pages = definition.pages(deps);
    app.use(pages.routes()).use(pages.allowedMethods({ throw: true }));
  }

  const signed = new Router();
  signed.use(verifySignature(deps.config.callers, nonces));
  for (const route of definition.routes) {
    const handler = businessHandler(definition, route, deps, faults, idempotency);
    if (route.method === 'GET') signed.get(route.path, handler);
    else signed.post(route.path, handler);
  }
  app.use(signed.routes()).use(signed.allowedMethods({ throw: true }));

  return { app, faults };
}

export { COMMON_ERRORS };
