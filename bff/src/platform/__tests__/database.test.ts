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
});
