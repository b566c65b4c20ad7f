// Cross-cutting HTTP middleware: request id, access log, security headers,
// JSON-only bodies with a size limit.
import { randomUUID } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import helmet from 'koa-helmet';
import { AppError } from './errors';
import { httpRequest } from './metrics';
import { TRACEPARENT_HEADER, parseTraceparent, startSpan, withSpan } from './trace';
import type { Logger } from '@flexins/shared/server';

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Takes the caller's request id when it is well-formed, else makes one; puts
 * it on the reply and on a child logger, so one id follows a request through
 * the BFF and on to the departments. The same for the W3C trace: the
 * caller's `traceparent` continued, or a new trace, current for everything
 * the request does (department calls send a child of it). Each request is
 * timed for the metrics by its route pattern, never its raw path.
 */
export function requestContext(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    const span = startSpan(parseTraceparent(ctx.get(TRACEPARENT_HEADER)));
    return withSpan(span, async () => {
      const incoming = ctx.get(REQUEST_ID_HEADER);
      const requestId = REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
      ctx.state.requestId = requestId;
      ctx.state.traceId = span.traceId;
      ctx.state.log = logger.child({ requestId, traceId: span.traceId });
      ctx.set('X-Request-Id', requestId);
      const started = process.hrtime.bigint();
      try {
        await next();
      } finally {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        httpRequest(ctx.method, routeOf(ctx), ctx.status, ms / 1000);
        (ctx.state.log as Logger).info('request', {
          method: ctx.method,
          // The route, not the raw URL: query strings may carry personal data.
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(ms * 10) / 10,
        });
      }
    });
  };
}

/**
 * The metrics' route label: the router's pattern (`/api/applications/:caseNo`);
 * a path no route matched is `static` (the H5 build) or `unmatched` (/api/…),
 * so an unknown URL never becomes a label value of its own.
 */
export function routeOf(ctx: Context): string {
  const matched = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
  if (typeof matched === 'string') return matched;
  return ctx.path.startsWith('/api/') ? 'unmatched' : 'static';
}

/** The API and the health checks: JSON for scripts, never a page, never kept by a cache. */
const isApiPath = (path: string) => path.startsWith('/api/') || path === '/healthz' || path === '/readyz';

/**
 * helmet's headers (nosniff, X-Frame-Options SAMEORIGIN, no-referrer, same-origin
 * opener and resources, …) on every reply, but no HSTS: TLS ends at the gateway in
 * front of us, whose domain's policy it is. The API gets a policy that allows
 * nothing; the H5 pages none yet (Taro's runtime has not been checked against one).
 * Permissions-Policy and no-store are not helmet's.
 */
export function securityHeaders() {
  const everywhere = helmet({ contentSecurityPolicy: false, strictTransportSecurity: false });
  const apiPolicy = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  });
  const noStore = async (ctx: Context, next: Next) => {
    await next();
    // After the route, so that no API reply is kept, whatever the route said.
    ctx.set('Cache-Control', 'no-store');
  };
  return (ctx: Context, next: Next) => {
    ctx.set('Permissions-Policy', 'geolocation=(), microphone=()');
    if (!isApiPath(ctx.path)) return everywhere(ctx, next);
    return everywhere(ctx, () => apiPolicy(ctx, () => noStore(ctx, next)));
  };
}

export const BODY_LIMIT = '64kb';

/** Write requests must be JSON; anything else is a 415 before parsing. */
export function jsonBody() {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: BODY_LIMIT,
    encoding: 'utf-8',
    onError: (err: Error & { status?: number }) => {
      if (err.status === 413) throw new AppError('BODY_TOO_LARGE');
      if (err instanceof SyntaxError || err.status === 400) throw new AppError('MALFORMED_JSON');
      throw err;
    },
  });
  return async (ctx: Context, next: Next) => {
    const hasBody = ctx.request.length > 0 || ctx.get('transfer-encoding') !== '';
    if (['POST', 'PUT', 'PATCH'].includes(ctx.method) && hasBody && !ctx.is('application/json')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    }
    // Bodies are small JSON: compressed ones are not taken (a broken one would fail deep in zlib).
    const encoding = ctx.get('content-encoding').trim().toLowerCase();
    if (encoding && encoding !== 'identity') throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    await parse(ctx, next);
  };
}
