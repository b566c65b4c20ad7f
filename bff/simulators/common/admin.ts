// Admin endpoints (管理接口) for tests, training and demos: fault switches,
// scripted outcomes, a read-out of records, adding a person. Reachable only
// from this machine and only with the admin token.
import { timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { ROSTER_PERSON_SCHEMA, type NewPerson } from '../roster-schema';
import { check } from '@flexins/shared/server';
import { commonError } from './errors';
import { checkFaultUpdate, type FaultBoard, type FaultSettings, type ScriptedOutcome } from './faults';
import type { SimDeps, SimulatorDefinition } from './types';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function adminOnly(token: string) {
  return async (ctx: Context, next: Next) => {
    const remote = ctx.req.socket.remoteAddress ?? '';
    if (!LOOPBACK.has(remote) || !tokenMatches(ctx.get('x-admin-token'), token)) throw commonError('ADMIN_FORBIDDEN');
    await next();
  };
}

const SCRIPT_OUTCOMES = ['error', 'unavailable', 'hang', 'lostReply', 'refuse'];

export function adminRoutes(definition: SimulatorDefinition, deps: SimDeps, faults: FaultBoard): Router {
  const router = new Router({ prefix: '/admin' });
  router.use(adminOnly(deps.config.adminToken));

  router.get('/faults', (ctx) => {
    ctx.body = { settings: faults.settings, scripts: faults.listScripts() };
  });

  router.put('/faults', (ctx) => {
    const update = (ctx.request.body ?? {}) as Record<string, unknown>;
    const problems = checkFaultUpdate(update);
    if (Object.keys(problems).length) throw commonError('VALIDATION_FAILED', { fields: problems });
    ctx.body = { settings: faults.update(update as Partial<FaultSettings>) };
  });

  router.post('/scripts', (ctx) => {
    const script = (ctx.request.body ?? {}) as ScriptedOutcome;
    const fields: Record<string, string> = {};
    if (typeof script.idNumber !== 'string' || !script.idNumber) fields.idNumber = '请填写身份证号 idNumber';
    if (!SCRIPT_OUTCOMES.includes(script.outcome)) fields.outcome = `outcome 只能是 ${SCRIPT_OUTCOMES.join('、')}`;
    if (script.outcome === 'refuse' && !(script.code && script.code in definition.errors)) {
      fields.code = `refuse 需要本系统的错误码：${Object.keys(definition.errors).join('、')}`;
    }
    if (script.times !== undefined && !(Number.isInteger(script.times) && script.times > 0)) {
      fields.times = 'times 必须是正整数';
    }
    if (Object.keys(fields).length) throw commonError('VALIDATION_FAILED', { fields });
    faults.addScript(script);
    ctx.status = 201;
    ctx.body = { scripts: faults.listScripts() };
  });

  router.delete('/scripts', (ctx) => {
    faults.clearScripts();
    ctx.body = { scripts: [] };
  });

  router.get('/records/:collection', async (ctx) => {
    const collection = ctx.params.collection!;
    if (!definition.collections.includes(collection)) {
      throw commonError('NOT_FOUND', {
        message: `没有记录集 ${collection}；可选：${definition.collections.join('、')}`,
      });
    }
    const filter: Record<string, string> = {};
    if (typeof ctx.query.idNumber === 'string') filter.idNumber = ctx.query.idNumber;
    const limit = Math.min(Number(ctx.query.limit ?? 1000) || 1000, 10_000);
    const records = await deps.db.collection(collection).find(filter).limit(limit).toArray();
    ctx.body = { count: records.length, records };
  });

  router.post('/people', async (ctx) => {
    const checked = check<NewPerson>(ROSTER_PERSON_SCHEMA, ctx.request.body);
    if (!checked.ok) throw commonError('VALIDATION_FAILED', { fields: checked.fields });
    await definition.addPerson(deps, checked.value);
    ctx.status = 201;
    ctx.body = { added: checked.value.key };
  });

  return router;
}
