// Verifies the gateway signature of every business call, refuses stale
// timestamps, and remembers nonces so a replayed call is refused.
import { GATEWAY_HEADERS, MAX_CLOCK_SKEW_MS, signatureMatches } from '@flexins/shared/server';
import type { Context, Next } from 'koa';
import type { Collection, Connection } from 'mongoose';
import { commonError } from './errors';

interface NonceRecord {
  _id: string;
  at: Date;
}

/**
 * The nonces are one insert per signed call: through the driver, not a mongoose
 * document (building, casting and validating one cost more CPU than the call's own work).
 */
export class NonceStore {
  private readonly nonces: Collection<NonceRecord>;
  private lastSweep = 0;

  constructor(db: Connection) {
    this.nonces = db.collection<NonceRecord>('gateway_nonces');
  }

  /** False when the nonce was seen before. */
  async remember(callerId: string, nonce: string): Promise<boolean> {
    await this.sweep();
    try {
      await this.nonces.insertOne({ _id: `${callerId}:${nonce}`, at: new Date() });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  /** No TTL indexes on FerretDB: drop nonces too old to be replayed anyway, once a minute. */
  private async sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    await this.nonces.deleteMany({ at: { $lt: new Date(now - 2 * MAX_CLOCK_SKEW_MS) } });
  }
}

export function verifySignature(callers: Map<string, string>, nonces: NonceStore, now: () => number = Date.now) {
  return async (ctx: Context, next: Next) => {
    const callerId = ctx.get(GATEWAY_HEADERS.caller);
    const timestamp = ctx.get(GATEWAY_HEADERS.timestamp);
    const nonce = ctx.get(GATEWAY_HEADERS.nonce);
    const signature = ctx.get(GATEWAY_HEADERS.signature);
    if (!callerId || !timestamp || !nonce || !signature) throw commonError('SIGNATURE_MISSING');

    const secret = callers.get(callerId);
    if (!secret) throw commonError('UNKNOWN_CALLER');

    const sentAt = Number(timestamp);
    if (!Number.isInteger(sentAt) || Math.abs(now() - sentAt) > MAX_CLOCK_SKEW_MS) {
      throw commonError('STALE_TIMESTAMP');
    }

    const body = (ctx.request as { rawBody?: string }).rawBody ?? '';
    const valid =
      /^[0-9a-f]{64}$/.test(signature) &&
      signatureMatches(secret, { method: ctx.method, path: ctx.originalUrl, timestamp, nonce, body }, signature);
    if (!valid) throw commonError('SIGNATURE_INVALID');

    if (!(await nonces.remember(callerId, nonce))) throw commonError('REPLAYED_NONCE');

    ctx.state.callerId = callerId;
    await next();
  };
}
