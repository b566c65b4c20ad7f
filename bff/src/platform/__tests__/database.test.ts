import { Schema } from 'mongoose';
import { connectDatabase } from '../database';
import { testDatabaseUri, useTestDatabase } from '../../../test/database';

const db = useTestDatabase();

const personSchema = new Schema({ key: { type: String, required: true }, label: String });
personSchema.index({ key: 1 }, { unique: true });

describe('the database connection', () => {
  it('reaches a real server: a document written on one connection is read back on another', async () => {
    const Written = db.connection.model('Probe', personSchema);
    await Written.create({ key: 'k-1', label: '写入' });

    const second = await connectDatabase(testDatabaseUri(), db.name);
    try {
      const Read = second.model('Probe', personSchema);
      const found = await Read.findOne({ key: 'k-1' }).lean();
      expect(found?.label).toBe('写入');
      expect(second.id).not.toBe(db.connection.id);
    } finally {
      await second.close();
    }
  });

  it('rejects a duplicate on a unique index with the duplicate-key error', async () => {
    const Unique = db.connection.model('UniqueProbe', personSchema);
    await Unique.init(); // builds the index
    await Unique.create({ key: 'same' });

    await expect(Unique.create({ key: 'same' })).rejects.toMatchObject({ code: 11000 });
    expect(await Unique.countDocuments({ key: 'same' })).toBe(1);
  });

  // The leases and counters of the engine rely on this; FerretDB alone does
  // not give it (see scripts/ferretdb/proxy.go).
  it('applies concurrent single-document updates atomically: no lost $inc, one compare-and-set winner', async () => {
    const counters = db.connection.collection<{ _id: string; value: number; owner: number | null }>('atomic');
    await counters.insertOne({ _id: 'c', value: 0, owner: null });

    await Promise.all(Array.from({ length: 30 }, () => counters.updateOne({ _id: 'c' }, { $inc: { value: 1 } })));
    const returned = await Promise.all(
      Array.from({ length: 30 }, () =>
        counters.findOneAndUpdate({ _id: 'c' }, { $inc: { value: 1 } }, { returnDocument: 'after' }),
      ),
    );
    expect((await counters.findOne({ _id: 'c' }))?.value).toBe(60);
    expect(new Set(returned.map((d) => d?.value)).size).toBe(30);

    const claims = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        counters.findOneAndUpdate({ _id: 'c', owner: null }, { $set: { owner: i } }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  // On PostgreSQL our FerretDB narrows `_id`, `$or` and date ranges in SQL
  // so that indexes answer them (scripts/ferretdb/_postgresql); what it finds
  // must stay what MongoDB finds, arrays and other types included.
  it('finds by date ranges, $or and _id what MongoDB finds, arrays and other types included', async () => {
    const early = new Date('2026-01-01T00:00:00Z');
    const mid = new Date('2026-06-01T00:00:00Z');
    const late = new Date('2026-12-01T00:00:00Z');
    const things = db.connection.collection<{ _id: string; at?: unknown; a?: unknown; b?: unknown }>('pushdown');
    await things.createIndexes([{ key: { at: 1 } }, { key: { a: 1 } }, { key: { b: 1 } }]);
    await things.insertMany([
      { _id: 'early', at: early, a: 'x' },
      { _id: 'mid', at: mid, b: 'x' },
      { _id: 'late', at: late, a: ['y', 'x'] },
      { _id: 'array', at: [late, early], a: 'y' },
      { _id: 'lateArray', at: [late] },
      { _id: 'empty', at: [] },
      { _id: 'number', at: mid.getTime(), a: 1 },
      { _id: 'text', at: 'mid', b: ['x'] },
      { _id: 'null', at: null },
      { _id: 'none' },
    ]);
    const ids = async (filter: object) => (await things.find(filter).toArray()).map((d) => d._id).sort();

    expect(await ids({ at: { $lte: mid } })).toEqual(['array', 'early', 'mid']);
    expect(await ids({ at: { $lt: mid } })).toEqual(['array', 'early']);
    expect(await ids({ at: { $gte: mid } })).toEqual(['array', 'late', 'lateArray', 'mid']);
    expect(await ids({ at: { $gt: mid } })).toEqual(['array', 'late', 'lateArray']);
    expect(await ids({ at: { $gt: early, $lt: late } })).toEqual(['array', 'mid']);
    expect(await ids({ $or: [{ a: 'x' }, { b: 'x' }] })).toEqual(['early', 'late', 'mid', 'text']);
    expect(await ids({ $or: [{ a: 'x' }, { at: { $exists: false } }] })).toEqual(['early', 'late', 'none']);
    expect(await ids({ $or: [{ a: 'y' }, { $or: [{ b: 'x' }, { _id: 'null' }] }] })).toEqual([
      'array',
      'late',
      'mid',
      'null',
      'text',
    ]);
    expect(await ids({ _id: 'late', a: 'x' })).toEqual(['late']);
    expect(await ids({ _id: 'late', a: 'z' })).toEqual([]);
  });
});
