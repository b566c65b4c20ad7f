// A new record as Model.create stores it — the schema's casting, defaults and
// validation — written with the driver's insertOne. create saves through
// mongoose's document machinery (hooks, save state, a ParallelSaveError made
// with its stack for every save): with insertRecord the simulators' CPU per
// application fell from 79 to 64 ms (bench, PostgreSQL, README "Benchmarks").
// Our simulator schemas have no hooks, no timestamps and no version key, so
// the stored document is the same.
import type { Model } from 'mongoose';

export async function insertRecord<T>(model: Model<T>, fields: Partial<T>): Promise<void> {
  const doc = new model(fields);
  const invalid = doc.validateSync();
  if (invalid) throw invalid;
  await model.collection.insertOne(doc.toBSON() as Record<string, unknown>);
}
