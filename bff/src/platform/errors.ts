// One error type and one middleware that turns every failure into
// `{ error: { code, message, fields } }` with a Chinese message.
import { ERROR_CODES, type ErrorBody, type ErrorCode, type FieldErrors } from '@flexins/shared';
import type { Context, Next } from 'koa';
import type { Logger } from '@flexins/shared/server';

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fields?: FieldErrors,
    /** Facts the client can act on, e.g. the open case's number. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
  }
}

/**
 * The database driver's "no answer in time" errors: the database is busy or
 * briefly gone, nothing is known to be wrong with the request, and the same
 * request a moment later is safe (writes carry their idempotency keys). The
 * citizen hears "try again", not "system error".
 */
const TRANSIENT_DATABASE_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
]);

/** Errors we know by kind though they are not ours: the database driver's time-outs, and Koa's and the router's HTTP errors. */
function knownError(err: { status?: number; name?: string }): AppError | undefined {
  if (err.name && TRANSIENT_DATABASE_ERRORS.has(err.name)) return new AppError('SERVICE_UNAVAILABLE');
  if (err.status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (err.status === 404) return new AppError('NOT_FOUND');
  if (err.status === 405) return new AppError('METHOD_NOT_ALLOWED');
  return undefined;
}

export function errorMiddleware() {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('NOT_FOUND');
    } catch (thrown) {
      const err = thrown as Error & { status?: number };
      const appError = err instanceof AppError ? err : knownError(err);
      const log = ctx.state.log as Logger | undefined;
      // A fault of ours is an error, with its stack; a department or the database
      // not answering in time is a warning: known, named, and the caller is told to retry.
      if (!appError) log?.error('request failed', { err });
      else if (appError.status >= 500) log?.warn('request not served', { code: appError.code, reason: err.message });
      const final = appError ?? new AppError('INTERNAL');
      const body: ErrorBody = {
        error: {
          code: final.code,
          message: final.message,
          ...(final.fields ? { fields: final.fields } : {}),
          ...(final.details ? { details: final.details } : {}),
          requestId: ctx.state.requestId as string | undefined,
        },
      };
      ctx.status = final.status;
      ctx.body = body;
    }
  };
}
