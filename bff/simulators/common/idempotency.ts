// Idempotency-Key (幂等键) for every write: the first call with a key does the
// work and its reply is stored; a repeat with the same body gets that reply
// (even if the first reply was lost on the way); a repeat with another body is
// refused. Concurrent repeats wait for the first to finish. Stored in the
// simulator's own database, keyed by caller and key, so it survives restarts.
import { createHash } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';

interface IdempotencyRecord {
  _id: string;
  operationId: string;
  bodyHash: string;
  state: 'inProgress' | 'done';
  status?: number;
  /** The reply as JSON text: replies may hold keys MongoDB would not store. */
  reply?: string;
  startedAt: Date;
  finishedAt?: Date;
}

export type BeginOutcome =
  | { kind: 'new'; id: string }
  | { kind: 'replay'; status: number; reply: unknown }
  | { kind: 'conflict' }
  | { kind: 'inProgress' };

export interface IdempotencyOptions {
  /** How long a repeat waits for the first call to finish. */
  waitMs?: number;
  /** An in-progress record older than this was left by a crash and may be taken over. */
  abandonAfterMs?: number;
  pollMs?: number;
}

export function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Two or three commands on every write call, so through the driver rather than
 * mongoose documents: the same records, without building and casting one each time.
 */
export class IdempotencyStore {
  private readonly records: Collection<IdempotencyRecord>;
  private readonly waitMs: number;
  private readonly abandonAfterMs: number;
  private readonly pollMs: number;

  constructor(db: Connection, options: IdempotencyOptions = {}) {
    this.records = db.collection<IdempotencyRecord>('idempotency_records');
    this.waitMs = options.waitMs ?? 10_000;
    this.abandonAfterMs = options.abandonAfterMs ?? 60_000;
    this.pollMs = options.pollMs ?? 20;
  }

  async begin(callerId: string, key: string, operationId: string, hash: string): Promise<BeginOutcome> {
    const id = `${callerId}:${key}`;
    try {
      await this.records.insertOne({
        _id: id,
        operationId,
        bodyHash: hash,
        state: 'inProgress',
        startedAt: new Date(),
      });
      return { kind: 'new', id };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }

    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const existing = await this.records.findOne({ _id: id });
      if (!existing) {
        // Abandoned and removed meanwhile: try to be the first again.
        return this.begin(callerId, key, operationId, hash);
      }
      if (existing.bodyHash !== hash || existing.operationId !== operationId) return { kind: 'conflict' };
      if (existing.state === 'done') {
        return { kind: 'replay', status: existing.status ?? 200, reply: JSON.parse(existing.reply ?? 'null') };
      }
      if (Date.now() - existing.startedAt.getTime() > this.abandonAfterMs) {
        const taken = await this.records.updateOne(
          { _id: id, state: 'inProgress', startedAt: existing.startedAt },
          { $set: { startedAt: new Date() } },
        );
        if (taken.modifiedCount === 1) return { kind: 'new', id };
      }
      if (Date.now() > deadline) return { kind: 'inProgress' };
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  async finish(id: string, status: number, reply: unknown): Promise<void> {
    await this.records.updateOne(
      { _id: id },
      { $set: { state: 'done', status, reply: JSON.stringify(reply), finishedAt: new Date() } },
    );
  }

  /** The work failed without an answer worth keeping: let a retry do it again. */
  async abandon(id: string): Promise<void> {
    await this.records.deleteOne({ _id: id, state: 'inProgress' });
  }
}
