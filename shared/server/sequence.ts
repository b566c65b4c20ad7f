// Readable business numbers (业务编号) such as JY20261129000042: a prefix, the
// day, and a per-prefix-per-day counter kept with one atomic $inc.
import type { Connection } from 'mongoose';

function dayStamp(now: Date): string {
  // Department systems number by the Beijing calendar day.
  const beijing = new Date(now.getTime() + 8 * 3600 * 1000);
  return beijing.toISOString().slice(0, 10).replace(/-/g, '');
}

export async function nextNumber(db: Connection, prefix: string, now: Date = new Date(), width = 6): Promise<string> {
  const day = dayStamp(now);
  const sequences = db.collection<{ _id: string; value: number }>('sequences');
  for (let attempt = 1; ; attempt++) {
    try {
      const counter = await sequences.findOneAndUpdate(
        { _id: `${prefix}:${day}` },
        { $inc: { value: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      if (!counter) throw new Error(`sequence ${prefix} did not return a value`);
      return `${prefix}${day}${String(counter.value).padStart(width, '0')}`;
    } catch (err) {
      // Two first-of-the-day upserts race; the loser's retry finds the document.
      if ((err as { code?: number }).code !== 11000 || attempt >= 5) throw err;
    }
  }
}
