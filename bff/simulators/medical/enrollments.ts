// Medical enrollments: seeding them from a roster person, reading them for a
// person, and the two facts the rules need — an ongoing enrollment (rule 2)
// and an ended Ningxia one (变更登记).
import { NINGXIA_PROVINCE_CODE, provinceName } from '@flexins/shared';
import { MEDICAL_INSURANCE_LABELS, type MedicalEnrollment } from '@flexins/shared';
import type { NewPerson } from '../roster-schema';
import { isDuplicateKey, medicalModels, type EnrollmentRecord, type MedicalModels } from './models';
import type { Connection } from 'mongoose';

const MEDICAL_KINDS = new Set<string>(Object.keys(MEDICAL_INSURANCE_LABELS));

/** The medical part of a person's enrollments (pension ones belong to HRSS). */
export function medicalEnrollmentsOf(person: Pick<NewPerson, 'enrollments'>): NewPerson['enrollments'] {
  return person.enrollments.filter((e) => MEDICAL_KINDS.has(e.insurance));
}

function seedKey(idNumber: string, e: NewPerson['enrollments'][number]): string {
  return `seed:${idNumber}:${e.insurance}:${e.provinceCode}:${e.since}`;
}

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
 * Writes the person and their medical enrollments as the national platform
 * reports them. Idempotent: setup runs it on every start, and adding a person
 * again replaces their seeded enrollments (records this system made stay).
 */
export async function seedPerson(db: Connection, person: NewPerson, now: Date): Promise<void> {
  const { Person, Enrollment } = medicalModels(db);
  await upsertRetryingRace(() =>
    Person.updateOne(
      { idNumber: person.idNumber },
      { $set: { name: person.name, rosterKey: person.key }, $setOnInsert: { createdAt: now } },
      { upsert: true },
    ),
  );
  const enrollments = medicalEnrollmentsOf(person);
  const keys = enrollments.map((e) => seedKey(person.idNumber, e));
  for (const [i, e] of enrollments.entries()) {
    const record: EnrollmentRecord = {
      enrollmentKey: keys[i]!,
      idNumber: person.idNumber,
      insurance: e.insurance as EnrollmentRecord['insurance'],
      provinceCode: e.provinceCode,
      status: e.status,
      since: e.since,
      source: 'seed',
    };
    const update = e.until ? { $set: { ...record, until: e.until } } : { $set: record, $unset: { until: 1 } };
    await upsertRetryingRace(() =>
      Enrollment.updateOne({ enrollmentKey: record.enrollmentKey }, update, { upsert: true }),
    );
  }
  await Enrollment.deleteMany({ idNumber: person.idNumber, source: 'seed', enrollmentKey: { $nin: keys } });
}

export async function enrollmentsOf(models: MedicalModels, idNumber: string): Promise<EnrollmentRecord[]> {
  return models.Enrollment.find({ idNumber }).sort({ since: 1, enrollmentKey: 1 }).lean();
}

/** Rule 2: the first active medical enrollment of any kind, in any province. */
export function ongoingEnrollment(enrollments: readonly EnrollmentRecord[]): EnrollmentRecord | undefined {
  return enrollments.find((e) => e.status === 'active');
}

/** An ended Ningxia medical enrollment makes the registration a change registration (变更登记). */
export function hasNingxiaHistory(enrollments: readonly EnrollmentRecord[]): boolean {
  return enrollments.some((e) => e.provinceCode === NINGXIA_PROVINCE_CODE && e.status === 'ended');
}

export function toEnrollmentView(record: EnrollmentRecord): MedicalEnrollment {
  return {
    insurance: record.insurance,
    provinceCode: record.provinceCode,
    provinceName: provinceName(record.provinceCode) ?? `省份代码 ${record.provinceCode}`,
    status: record.status,
    since: record.since,
    ...(record.until ? { until: record.until } : {}),
  };
}
