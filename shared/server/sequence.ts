// Readable business numbers (业务编号) such as JY20261129000042: a prefix, the
// day, and a per-prefix-per-day counter kept with one atomic $inc.
import type { Connection } from 'mongoose';

function dayStamp(now: Date): string {
  // Department systems number by the Beijing calendar day.
  const beijing = new Date(now.getTime() + 8 * 3600 * 1000);
  return beijing.toISOString().slice(0, 10).replace(/-/g, '');
}

/** Takes `count` numbers of the day at once; returns the last (the first is `last - count + 1`). */
async function reserve(db: Connection, prefix: string, day: string, count: number): Promise<number> {
  const sequences = db.collection<{ _id: string; value: number }>('sequences');
  for (let attempt = 1; ; attempt++) {
    try {
      const counter = await sequences.findOneAndUpdate(
        { _id: `${prefix}:${day}` },
        { $inc: { value: count } },
        { upsert: true, returnDocument: 'after' },
      );
      if (!counter) throw new Error(`sequence ${prefix} did not return a value`);
      return counter.value;
    } catch (err) {
      // Two first-of-the-day upserts race; the loser's retry finds the document.
      if ((err as { code?: number }).code !== 11000 || attempt >= 5) throw err;
    }
  }
}

export async function nextNumber(db: Connection, prefix: string, now: Date = new Date(), width = 6): Promise<string> {
  const day = dayStamp(now);
  return `${prefix}${day}${String(await reserve(db, prefix, day, 1)).padStart(width, '0')}`;
}

/**
 * Numbers handed out from blocks this process reserved with one `$inc` each:
 * one database write per `size` numbers rather than per number. Unique across
 * processes; not gapless (a process that stops leaves the rest of its block
 * unused) and, between processes, not in the order they were handed out.
 */
export class NumberBlocks {
  private block?: { day: string; next: number; last: number };
  private reserving?: Promise<unknown>;

  constructor(
    private readonly db: Connection,
    private readonly prefix: string,
    private readonly size = 20,
    private readonly width = 6,
  ) {}

  async next(now: Date = new Date()): Promise<string> {
    const day = dayStamp(now);
    for (;;) {
      const block = this.block;
      if (block && block.day === day && block.next <= block.last) {
        const value = block.next++;
        return `${this.prefix}${day}${String(value).padStart(this.width, '0')}`;
      }
      // One reservation at a time: the callers waiting meanwhile take from the block it brings.
      if (this.reserving) {
        await this.reserving.catch(() => undefined);
        continue;
      }
      this.reserving = reserve(this.db, this.prefix, day, this.size)
        .then((last) => {
          this.block = { day, next: last - this.size + 1, last };
        })
        .finally(() => {
          this.reserving = undefined;
        });
      await this.reserving;
    }
  }
}
