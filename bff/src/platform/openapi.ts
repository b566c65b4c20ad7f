// The BFF's OpenAPI document (GET /openapi.json), built from the routes
// themselves. A route is registered and documented in one call:
//
//   documented(router, { method: 'post', path: '/api/applications', summary: '提交申请',
//                        reply: APPLICATION_VIEW, errors: ['ALREADY_APPLIED'] },
//              rateLimit(…), auth('citizen'), validate(APPLICATION_FORM), submit);
//
// Who may call it, the request schema and the rate limit are read off the
// middleware (auth, validate and rateLimit describe themselves), and the
// error codes those middleware can answer with are added, so the document
// says what the wiring does and cannot drift from it.
import { ERROR_CODES, type ErrorCode } from '@flexins/shared';
import Router, { type Layer, type RouterMiddleware } from '@koa/router';
import type { StaffRole } from './auth';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type AuthKind = 'none' | 'citizen' | 'staff';
export type InputSource = 'body' | 'query';

/** What a middleware says about itself for the document. */
export interface MiddlewareMeta {
  auth?: { kind: 'citizen' | 'staff'; roles: readonly StaffRole[] };
  input?: { source: InputSource; schema: object };
  rateLimit?: { name: string; limit: number; windowMs: number };
  /** Headers it may add to a successful reply → what they mean (Chinese). */
  replyHeaders?: Record<string, string>;
}

/** What a routes file states; the rest comes from the middleware. */
export interface RouteSpec {
  method: HttpMethod;
  /** Koa path, e.g. `/api/applications/:applicationId`. */
  path: string;
  /** Chinese, one line. */
  summary: string;
  description?: string;
  operationId?: string;
  tags?: readonly string[];
  /** JSON Schema of a successful reply; none means an empty reply. */
  reply?: object;
  /** Status of a successful reply; 200 unless said. */
  status?: number;
  /** The route's own error codes; those of auth, validate, rateLimit and INTERNAL are added. */
  errors: readonly ErrorCode[];
}

/** One documented operation as the document sees it. */
export interface RouteDoc extends Omit<RouteSpec, 'errors'> {
  auth: AuthKind;
  roles: readonly StaffRole[];
  request?: object;
  query?: object;
  rateLimits: NonNullable<MiddlewareMeta['rateLimit']>[];
  replyHeaders: Record<string, string>;
  errors: ErrorCode[];
}

/** A router of any state type: the document reads only its route table. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouter = Router<any, any>;

const META = Symbol('flexins.middlewareMeta');
const DOC = Symbol('flexins.routeDoc');

type Annotated<M> = M & { [META]?: MiddlewareMeta };

/** Used by auth, validate and rateLimit to describe themselves. */
export function annotate<M extends object>(middleware: M, meta: MiddlewareMeta): M {
  (middleware as Annotated<M>)[META] = meta;
  return middleware;
}

function metaOf(middleware: unknown): MiddlewareMeta {
  return (typeof middleware === 'function' && (middleware as Annotated<object>)[META]) || {};
}

const BODY_ERRORS: ErrorCode[] = ['VALIDATION_FAILED', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE'];

/** Reads the middleware chain into a RouteDoc; refuses chains that make no sense. */
function describe(spec: RouteSpec, middleware: unknown[]): Omit<RouteDoc, 'path'> {
  const label = `${spec.method.toUpperCase()} ${spec.path}`;
  if (middleware.length === 0) throw new Error(`${label}: no handler`);
  const metas = middleware.map(metaOf);
  const auths = metas.flatMap((m) => (m.auth ? [m.auth] : []));
  if (auths.length > 1) throw new Error(`${label}: more than one auth()`);
  const inputs = metas.flatMap((m) => (m.input ? [m.input] : []));
  const body = inputs.filter((i) => i.source === 'body');
  const query = inputs.filter((i) => i.source === 'query');
  if (body.length > 1 || query.length > 1) throw new Error(`${label}: more than one validate() for the same input`);
  if (body.length > 0 && spec.method === 'get') throw new Error(`${label}: a GET has no body to validate`);
  const rateLimits = metas.flatMap((m) => (m.rateLimit ? [m.rateLimit] : []));

  const errors = new Set<ErrorCode>(spec.errors);
  if (auths[0]) {
    errors.add('UNAUTHENTICATED').add('TOKEN_EXPIRED');
    if (auths[0].roles.length > 0) errors.add('FORBIDDEN');
  }
  if (body[0]) BODY_ERRORS.forEach((code) => errors.add(code));
  // Every write passes the JSON body parser, with or without a schema.
  if (['post', 'put', 'patch'].includes(spec.method)) {
    for (const code of ['MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE'] as const) errors.add(code);
  }
  if (query[0]) errors.add('VALIDATION_FAILED');
  if (rateLimits.length > 0) errors.add('RATE_LIMITED');
  errors.add('INTERNAL');

  const { path: _path, errors: _errors, ...rest } = spec;
  return {
    ...rest,
    auth: auths[0]?.kind ?? 'none',
    roles: auths[0]?.roles ?? [],
    ...(body[0] ? { request: body[0].schema } : {}),
    ...(query[0] ? { query: query[0].schema } : {}),
    rateLimits,
    replyHeaders: Object.assign({}, ...metas.map((m) => m.replyHeaders ?? {})) as Record<string, string>,
    errors: [...errors],
  };
}

type DocumentedLayer = Layer & { [DOC]?: Omit<RouteDoc, 'path'> };

/**
 * Registers `spec.method spec.path` on the router with the middleware, as
 * `router.post(path, ...middleware)` would, and documents it.
 */
export function documented<StateT, ContextT>(
  router: Router<StateT, ContextT>,
  spec: RouteSpec,
  ...middleware: RouterMiddleware<StateT, ContextT>[]
): Router<StateT, ContextT> {
  if (!spec.path.startsWith('/')) throw new Error(`${spec.path}: a path starts with /`);
  const doc = describe(spec, middleware);
  const before = router.stack.length;
  const register = router[spec.method] as (path: string, ...m: RouterMiddleware<StateT, ContextT>[]) => unknown;
  register.call(router, spec.path, ...middleware);
  const layer = router.stack[before] as DocumentedLayer | undefined;
  if (!layer || router.stack.length !== before + 1) throw new Error(`${spec.path}: the router did not add one route`);
  // A symbol property survives the layer copies a parent router makes when it mounts this one.
  layer[DOC] = doc;
  return router;
}

function operationsOf(routers: readonly AnyRouter[]): { method: string; path: string; layer: Layer }[] {
  return routers.flatMap((router) =>
    (router.stack as Layer[]).flatMap((layer) =>
      typeof layer.path === 'string'
        ? layer.methods.filter((m) => m !== 'HEAD').map((m) => ({ method: m, path: layer.path as string, layer }))
        : [],
    ),
  );
}

/** The documented routes of these routers, with their full paths. */
export function documentedRoutes(routers: readonly AnyRouter[]): RouteDoc[] {
  return operationsOf(routers).flatMap(({ path, layer }) => {
    const doc = (layer as DocumentedLayer)[DOC];
    return doc ? [{ ...doc, path }] : [];
  });
}

/** `METHOD path` of every route under `under` that was added without documented(). */
export function undocumentedRoutes(routers: readonly AnyRouter[], under = '/api/'): string[] {
  return operationsOf(routers)
    .filter(({ path, layer }) => path.startsWith(under) && !(layer as DocumentedLayer)[DOC])
    .map(({ method, path }) => `${method} ${path}`);
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function errorReplySchema(codes: ErrorCode[]): object {
  return {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: codes },
          message: { type: 'string', description: '给用户看的中文说明' },
          fields: {
            type: 'object',
            description: '字段路径（如 card.mailingAddress.phone）→ 指明该字段的中文提示',
            additionalProperties: { type: 'string' },
          },
          requestId: { type: 'string' },
        },
      },
    },
  };
}

function queryParameters(schema: object | undefined): object[] {
  const s = schema as { properties?: Record<string, { title?: string }>; required?: string[] } | undefined;
  return Object.entries(s?.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: s?.required?.includes(name) ?? false,
    ...(property.title ? { description: property.title } : {}),
    schema: property,
  }));
}

function operationOf(route: RouteDoc): object {
  const pathParameters = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));

  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of route.errors) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, object> = {
    [String(route.status ?? 200)]: {
      description: '成功',
      ...(route.reply ? { content: { 'application/json': { schema: route.reply } } } : {}),
      ...(Object.keys(route.replyHeaders).length > 0
        ? {
            headers: Object.fromEntries(
              Object.entries(route.replyHeaders).map(([name, description]) => [
                name,
                { description, schema: { type: 'string' } },
              ]),
            ),
          }
        : {}),
    },
  };
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.map((code) => `${code}：${ERROR_CODES[code].message}`).join('；'),
      ...(status === 429
        ? { headers: { 'Retry-After': { description: '多少秒后可以再试', schema: { type: 'integer' } } } }
        : {}),
      content: { 'application/json': { schema: errorReplySchema(codes) } },
    };
  }

  const limits = route.rateLimits.map((r) => `${r.limit} 次 / ${Math.round(r.windowMs / 1000)} 秒`);
  const description = [
    route.description,
    route.roles.length > 0 ? `仅限角色：${route.roles.join('、')}` : undefined,
    limits.length > 0 ? `频率限制：${limits.join('；')}` : undefined,
  ].filter(Boolean);

  return {
    summary: route.summary,
    ...(description.length > 0 ? { description: description.join('\n\n') } : {}),
    ...(route.operationId ? { operationId: route.operationId } : {}),
    ...(route.tags ? { tags: route.tags } : {}),
    security: route.auth === 'none' ? [] : [{ [`${route.auth}Token`]: [] }],
    ...(route.roles.length > 0 ? { 'x-staff-roles': route.roles } : {}),
    ...(route.rateLimits.length > 0
      ? { 'x-rate-limits': route.rateLimits.map((r) => ({ limit: r.limit, windowSeconds: r.windowMs / 1000 })) }
      : {}),
    parameters: [...pathParameters, ...queryParameters(route.query)],
    ...(route.request
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.request } } } }
      : {}),
    responses,
  };
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, object>>;
  components: Record<string, unknown>;
}

export function buildOpenApi(
  routers: readonly AnyRouter[],
  info: OpenApiDocument['info'] = {
    title: '灵活就业参保“一件事” BFF 接口',
    version: '1.0.0',
    description:
      '小程序（H5）与工作人员端调用的接口。所有错误都是 { error: { code, message, fields? } }，message 为中文。',
  },
): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const used = new Set<ErrorCode>();
  for (const route of documentedRoutes(routers)) {
    const key = toOpenApiPath(route.path);
    if (paths[key]?.[route.method]) throw new Error(`${route.method.toUpperCase()} ${route.path} is registered twice`);
    (paths[key] ??= {})[route.method] = operationOf(route);
    route.errors.forEach((code) => used.add(code));
  }
  const token = (who: string) => ({
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `${who}的登录令牌（HS256，签发方 flexins-bff），放在 Authorization: Bearer … 中`,
  });
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: { citizenToken: token('群众'), staffToken: token('工作人员') },
      'x-error-codes': Object.fromEntries([...used].sort().map((code) => [code, ERROR_CODES[code]])),
    },
  };
}

/**
 * `GET /openapi.json` for these routers. The document is built once, when the
 * first request asks, so routes added after this call are included.
 */
export function openApiRoutes(routers: readonly AnyRouter[]): Router {
  const router = new Router();
  let document: OpenApiDocument | undefined;
  router.get('/openapi.json', (ctx) => {
    document ??= buildOpenApi(routers);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = document;
  });
  return router;
}
