import Router from '@koa/router';
import { createLogger } from '@flexins/shared/server';
import request from 'supertest';
import { createApp } from '../../app';
import { TokenService, auth, useTokenService } from '../auth';
import { buildOpenApi, documented, documentedRoutes, openApiRoutes, undocumentedRoutes } from '../openapi';
import { RateLimitStore, byClientIp, rateLimit, useRateLimitStore } from '../rate-limit';
import { validate } from '../validate';
import { testConfig } from '../../../test/config';
import { useTestDatabase } from '../../../test/database';

const db = useTestDatabase();
const tokens = TokenService.fromConfig(testConfig());

const APPLICATION_FORM = {
  type: 'object',
  required: ['employmentType'],
  properties: { employmentType: { type: 'string', title: '就业形式', enum: ['selfEmployed', 'partTime'] } },
  additionalProperties: false,
} as const;
const APPLICATION_VIEW = {
  type: 'object',
  required: ['applicationId'],
  properties: { applicationId: { type: 'string' } },
} as const;
const CASE_QUERY = {
  type: 'object',
  required: ['regionCode'],
  properties: {
    regionCode: { type: 'string', title: '地区代码', pattern: '^64\\d{0,4}$' },
    page: { type: 'string', title: '页码' },
  },
  additionalProperties: false,
} as const;

function routers() {
  const citizen = new Router();
  documented(
    citizen,
    {
      method: 'post',
      path: '/api/applications',
      summary: '提交申请',
      operationId: 'submitApplication',
      reply: APPLICATION_VIEW,
      status: 201,
      errors: ['SERVICE_UNAVAILABLE'],
    },
    rateLimit({ name: 'submit', limit: 5, windowMs: 60_000, key: byClientIp }),
    auth('citizen'),
    validate(APPLICATION_FORM),
    (ctx) => {
      ctx.status = 201;
      ctx.body = { applicationId: 'AP1', form: ctx.state.input };
    },
  );
  documented(
    citizen,
    {
      method: 'get',
      path: '/api/applications/:applicationId',
      summary: '查看申请',
      reply: APPLICATION_VIEW,
      errors: ['NOT_FOUND'],
    },
    auth('citizen'),
    (ctx) => {
      ctx.body = { applicationId: ctx.params.applicationId };
    },
  );

  const staff = new Router({ prefix: '/api/staff' });
  documented(
    staff,
    { method: 'get', path: '/cases', summary: '查询办件', errors: [] },
    auth('staff', 'agent', 'supervisor'),
    validate(CASE_QUERY, 'query'),
    (ctx) => {
      ctx.body = { query: ctx.state.input };
    },
  );

  const open = new Router();
  documented(open, { method: 'get', path: '/api/notice', summary: '一次告知', errors: [] }, (ctx) => {
    ctx.body = { text: '六件事' };
  });
  return [citizen, staff, open];
}

function app(list = routers()) {
  const koa = createApp({ db: db.connection, logger: createLogger('error', () => {}) });
  useTokenService(koa, tokens);
  useRateLimitStore(koa, new RateLimitStore(db.connection));
  for (const router of [...list, openApiRoutes(list)]) koa.use(router.routes());
  return koa.callback();
}

describe('the OpenAPI document', () => {
  it('lists every documented route, and nothing else', () => {
    const list = routers();
    const doc = buildOpenApi(list);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))).toEqual([
      'post /api/applications',
      'get /api/applications/{applicationId}',
      'get /api/staff/cases',
      'get /api/notice',
    ]);
    expect(documentedRoutes(list)).toHaveLength(list.reduce((n, r) => n + r.stack.length, 0));
  });

  it('takes the body schema, who may call and the rate limit from the middleware, with their errors', () => {
    const op = buildOpenApi(routers()).paths['/api/applications']!.post as any;
    expect(op).toMatchObject({
      summary: '提交申请',
      operationId: 'submitApplication',
      security: [{ citizenToken: [] }],
      'x-rate-limits': [{ limit: 5, windowSeconds: 60 }],
      requestBody: { required: true, content: { 'application/json': { schema: APPLICATION_FORM } } },
    });
    expect(op.responses['201'].content['application/json'].schema).toBe(APPLICATION_VIEW);
    expect(Object.keys(op.responses)).toEqual(['201', '400', '401', '413', '415', '429', '500', '503']);
    expect(op.responses['400'].content['application/json'].schema.properties.error.properties.code.enum).toEqual([
      'VALIDATION_FAILED',
      'MALFORMED_JSON',
    ]);
    expect(op.responses['401'].description).toBe('UNAUTHENTICATED：请先登录；TOKEN_EXPIRED：登录已过期，请重新登录');
    expect(op.responses['429'].headers).toHaveProperty('Retry-After');
    expect(op.responses['503'].description).toContain('SERVICE_UNAVAILABLE');
  });

  it('documents path and query parameters, staff roles and the renewed-token header', () => {
    const doc = buildOpenApi(routers());
    const byId = doc.paths['/api/applications/{applicationId}']!.get as any;
    expect(byId.parameters).toEqual([
      { name: 'applicationId', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    expect(Object.keys(byId.responses)).toEqual(['200', '401', '404', '500']);

    const cases = doc.paths['/api/staff/cases']!.get as any;
    expect(cases.security).toEqual([{ staffToken: [] }]);
    expect(cases['x-staff-roles']).toEqual(['agent', 'supervisor']);
    expect(cases.parameters).toEqual([
      {
        name: 'regionCode',
        in: 'query',
        required: true,
        description: '地区代码',
        schema: CASE_QUERY.properties.regionCode,
      },
      { name: 'page', in: 'query', required: false, description: '页码', schema: CASE_QUERY.properties.page },
    ]);
    expect(cases.responses['200'].headers).toHaveProperty('X-Renewed-Token');
    expect(cases.responses['403'].description).toBe('FORBIDDEN：没有权限办理此操作');
    expect(cases.requestBody).toBeUndefined();

    const notice = doc.paths['/api/notice']!.get as any;
    expect(notice.security).toEqual([]);
    expect(Object.keys(notice.responses)).toEqual(['200', '500']);
    expect(doc.components['x-error-codes']).toMatchObject({ RATE_LIMITED: { status: 429 }, INTERNAL: { status: 500 } });
  });

  it('is served at GET /openapi.json, and the routes it lists do what it says', async () => {
    const served = await request(app()).get('/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(buildOpenApi(routers()))));

    const unauthenticated = await request(app()).post('/api/applications').send({ employmentType: 'partTime' });
    expect(unauthenticated.status).toBe(401);
    const { token } = tokens.issueCitizenToken('A1');
    const invalid = await request(app())
      .post('/api/applications')
      .set('Authorization', `Bearer ${token}`)
      .send({ employmentType: 'boss' });
    expect(invalid.status).toBe(400);
    const submitted = await request(app())
      .post('/api/applications')
      .set('Authorization', `Bearer ${token}`)
      .send({ employmentType: 'partTime' });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toEqual({ applicationId: 'AP1', form: { employmentType: 'partTime' } });
    const staff = tokens.issueStaffToken({ staffId: 'S0001', role: 'agent', regionCode: '64', training: false });
    const cases = await request(app())
      .get('/api/staff/cases?regionCode=6401')
      .set('Authorization', `Bearer ${staff.token}`);
    expect(cases.body).toEqual({ query: { regionCode: '6401' } });
  });

  it('keeps the documentation of a router mounted inside another', () => {
    const inner = new Router();
    documented(inner, { method: 'get', path: '/progress', summary: '办理进度', errors: [] }, (ctx) => {
      ctx.body = {};
    });
    const outer = new Router();
    outer.use('/api/applications/:applicationId', inner.routes());
    expect(Object.keys(buildOpenApi([outer]).paths)).toEqual(['/api/applications/{applicationId}/progress']);
  });

  it('names the API routes added without documented()', () => {
    const list = routers();
    expect(undocumentedRoutes(list)).toEqual([]);
    const stray = new Router();
    stray.post('/api/stray', (ctx) => {
      ctx.body = {};
    });
    stray.get('/healthz', (ctx) => {
      ctx.body = {};
    });
    expect(undocumentedRoutes([...list, stray])).toEqual(['POST /api/stray']);
  });

  it('refuses wiring it could not document truthfully', () => {
    const router = new Router();
    const handler = () => {};
    const spec = { method: 'get', path: '/api/x', summary: 'x', errors: [] } as const;
    expect(() => documented(router, spec)).toThrow(/no handler/);
    expect(() => documented(router, spec, auth('citizen'), auth('staff'), handler)).toThrow(/more than one auth/);
    expect(() => documented(router, spec, validate(APPLICATION_FORM), handler)).toThrow(/GET has no body/);
    expect(() => documented(router, { ...spec, path: 'api/x' }, handler)).toThrow(/starts with \//);
    documented(router, spec, handler);
    const again = new Router();
    documented(again, spec, handler);
    expect(() => buildOpenApi([router, again])).toThrow(/registered twice/);
  });
});
