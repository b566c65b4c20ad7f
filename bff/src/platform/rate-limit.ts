// Fixed-window rate limits (频率限制) counted in the database, so every BFF
// process sees the same count: one document per limit, key and window,
// `_id = name:key:windowStart`, bumped with one atomic upserting $inc.
// FerretDB has no TTL indexes, so old windows are deleted by the processes
// themselves, each at most once a minute.
//
// Not rate-limiter-flexible's RateLimiterMongo (tried for issue 11): its window
// starts at a key's first call and it reads the system clock, where ours are
// windows fixed on the clock it is given (Retry-After to the window's end, the
// same for every process) in documents named by limit, key and window; and on
// FerretDB 1.24 the TTL index it creates first is refused ("expireAfterSeconds
// is not implemented yet"), so its unique index on the key is never made either.
import { scrubPersonalData } from '@flexins/shared';
import type Koa from 'koa';
import type { Context, Next } from 'koa';
import type { Collection, Connection } from 'mongoose';
import { AppError } from './errors';
import { rateLimited } from './metrics';
import { annotate } from './openapi';
import type { Logger } from '@flexins/shared/server';

export const RATE_LIMIT_COLLECTION = 'rate_limits';
const SWEEP_EVERY_MS = 60_000;
const MAX_KEY_LENGTH = 128;

interface WindowDocument {
  _id: string;
  name: string;
  count: number;
  windowStart: Date;
  /** Twice the window after its start: the sweep deletes it from then on. */
  deleteAfter: Date;
}

export interface RateLimitRule {
  /** Names the limit in ids and documents, e.g. 'sign-in'. */
  name: string;
  /** Calls allowed per window. */
  limit: number;
  windowMs: number;
}

export type HitOutcome =
  | { allowed: true; count: number; remaining: number; resetAt: Date }
  | { allowed: false; count: number; retryAfterS: number; resetAt: Date };

export class RateLimitStore {
  private readonly windows: Collection<WindowDocument>;
  private readonly now: () => number;
  private lastSweep = 0;
  private indexed?: Promise<unknown>;
  /** Windows of the limits counted in this process only (`perProcess`), by `_id`. */
  private readonly local = new Map<string, { count: number; deleteAfter: number }>();

  constructor(db: Connection, options: { now?: () => number } = {}) {
    this.windows = db.collection<WindowDocument>(RATE_LIMIT_COLLECTION);
    this.now = options.now ?? Date.now;
  }

  /**
   * Counts one call against `rule` for `key` and says whether it may go ahead.
   * `perProcess`: counted in this process's memory, no database write (each
   * process then allows the limit: for calls that are safe to repeat anyway).
   */
  async hit(rule: RateLimitRule, key: string, perProcess = false): Promise<HitOutcome> {
    const now = this.now();
    const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
    const resetAt = new Date(windowStart + rule.windowMs);
    const count = perProcess
      ? this.incrementHere(rule, key, windowStart)
      : await this.increment(rule, key, windowStart);
    if (count <= rule.limit) return { allowed: true, count, remaining: rule.limit - count, resetAt };
    return { allowed: false, count, retryAfterS: Math.max(1, Math.ceil((resetAt.getTime() - now) / 1000)), resetAt };
  }

  private incrementHere(rule: RateLimitRule, key: string, windowStart: number): number {
    const id = `${rule.name}:${key}:${windowStart}`;
    const window = this.local.get(id) ?? { count: 0, deleteAfter: windowStart + 2 * rule.windowMs };
    window.count += 1;
    this.local.set(id, window);
    return window.count;
  }

  private async increment(rule: RateLimitRule, key: string, windowStart: number): Promise<number> {
    const filter = { _id: `${rule.name}:${key}:${windowStart}` };
    const update = {
      $inc: { count: 1 },
      $setOnInsert: {
        name: rule.name,
        windowStart: new Date(windowStart),
        deleteAfter: new Date(windowStart + 2 * rule.windowMs),
      },
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const counted = await this.windows.findOneAndUpdate(filter, update, { upsert: true, returnDocument: 'after' });
        if (!counted) throw new Error(`rate limit window ${rule.name} was not returned`);
        return counted.count;
      } catch (err) {
        // Two first calls of a window both insert; the loser's retry finds the document.
        if ((err as { code?: number }).code !== 11000 || attempt >= 2) throw err;
      }
    }
  }

  /** Deletes windows past their time; does the work at most once a minute per process. */
  async sweep(): Promise<void> {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [id, window] of this.local) if (window.deleteAfter < now) this.local.delete(id);
    this.indexed ??= this.windows.createIndex({ deleteAfter: 1 });
    await this.indexed;
    await this.windows.deleteMany({ deleteAfter: { $lt: new Date(now) } });
  }
}

// The store of each app, so `rateLimit({…})` reads as a sentence in a routes
// file and tests can run several apps side by side.
const storesByApp = new WeakMap<Koa, RateLimitStore>();

/** Call once in createApp: `useRateLimitStore(app, new RateLimitStore(db))`. */
export function useRateLimitStore(app: Koa, store: RateLimitStore): void {
  storesByApp.set(app, store);
}

export interface RateLimitOptions extends RateLimitRule {
  /**
   * Whose calls are counted together: the client's address (`byClientIp`) or
   * an opaque id such as `byApplicant`. Never an ID number or phone: keys are
   * stored as they are.
   */
  key: (ctx: Context) => string;
  /**
   * Counted in each process's memory rather than the database (no write per
   * call): only for a limit that sheds load from calls safe to repeat, where
   * the limit once per process (with N processes, N times it) is still enough.
   */
  perProcess?: boolean;
}

/** Counts by the client's address (behind a proxy, only if app.proxy is set correctly). */
export const byClientIp = (ctx: Context): string => ctx.ip;

/** Counts by the signed-in citizen; put it after auth('citizen'). */
export const byApplicant = (ctx: Context): string => {
  const applicantId = (ctx.state.citizen as { applicantId?: string } | undefined)?.applicantId;
  if (!applicantId) throw new Error('byApplicant needs auth("citizen") before rateLimit');
  return applicantId;
};

/** 429 RATE_LIMITED with Retry-After once a key has used up its calls in the window. */
export function rateLimit({ name, limit, windowMs, key, perProcess = false }: RateLimitOptions) {
  if (!/^[a-z0-9-]{1,40}$/.test(name)) throw new Error(`rate limit name "${name}": lower-case letters, digits, -`);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`rate limit ${name}: the limit is a whole number ≥ 1`);
  if (!Number.isInteger(windowMs) || windowMs < 1000) throw new Error(`rate limit ${name}: the window is ≥ 1000 ms`);
  const rule: RateLimitRule = { name, limit, windowMs };

  const middleware = async (ctx: Context, next: Next) => {
    const store = storesByApp.get(ctx.app);
    if (!store) throw new Error('no rate limit store on this app: call useRateLimitStore(app, …) in createApp');
    const who = key(ctx);
    if (!who || who.length > MAX_KEY_LENGTH || scrubPersonalData(who) !== who) {
      // A programming error, not the caller's: the key would store personal data or is unusable.
      throw new Error(`rate limit ${name}: the key must be a short opaque id, not personal data`);
    }
    try {
      await store.sweep();
    } catch (err) {
      // Old windows only cost space; the request need not fail for them.
      (ctx.state.log as Logger | undefined)?.warn('rate limit sweep failed', { err });
    }

    const outcome = await store.hit(rule, who, perProcess);
    if (!outcome.allowed) {
      rateLimited(name);
      ctx.set('Retry-After', String(outcome.retryAfterS));
      throw new AppError('RATE_LIMITED');
    }
    await next();
  };
  return annotate(middleware, { rateLimit: rule });
}
