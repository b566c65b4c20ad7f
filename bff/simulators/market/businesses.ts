// Registered businesses: seeding them from a roster person, and reading a
// person's for the query (oldest first, as the register lists them).
import type { MarketBusiness } from '@flexins/shared';
import type { Connection } from 'mongoose';
import type { NewPerson } from '../roster-schema';
import { isDuplicateKey, marketModels, type BusinessRecord, type MarketModels } from './models';

async function upsertRetryingRace(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    // Two upserts of the same new key race; the second one now finds the document.
    if (!isDuplicateKey(err)) throw err;
    await run();
  }
}

/**
 * Writes the person's businesses as the register holds them. Idempotent:
 * setup runs it on every start, and adding a person again replaces their
 * businesses (one no longer listed is removed).
 */
export async function seedPerson(db: Connection, person: NewPerson): Promise<void> {
  const { Business } = marketModels(db);
  const businesses = person.businesses ?? [];
  for (const business of businesses) {
    const record: BusinessRecord = { ...business, idNumber: person.idNumber, rosterKey: person.key };
    const update = business.cancelledOn ? { $set: record } : { $set: record, $unset: { cancelledOn: 1 } };
    await upsertRetryingRace(() => Business.updateOne({ creditCode: business.creditCode }, update, { upsert: true }));
  }
  await Business.deleteMany({ idNumber: person.idNumber, creditCode: { $nin: businesses.map((b) => b.creditCode) } });
}

export async function businessesOf(models: MarketModels, idNumber: string): Promise<BusinessRecord[]> {
  return models.Business.find({ idNumber }).sort({ registeredOn: 1, creditCode: 1 }).lean();
}

export function toBusinessView(record: BusinessRecord): MarketBusiness {
  return {
    name: record.name,
    creditCode: record.creditCode,
    kind: record.kind,
    role: record.role,
    status: record.status,
    registeredOn: record.registeredOn,
    ...(record.cancelledOn ? { cancelledOn: record.cancelledOn } : {}),
    regionCode: record.regionCode,
    employees: { count: record.employees.count, source: record.employees.source, year: record.employees.year },
  };
}
