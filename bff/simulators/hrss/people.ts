// What the HRSS system knows of a person: the enrollments the national
// platform reports (seeded from the roster), the Ningxia card held, and the
// flexible pension this system registered itself; and the eligibility rules
// it judges from them (申报条件 1 and 2, for pension).
import {
  HRSS_EMPLOYEE_INSURANCES,
  HRSS_INSURANCE_NAMES,
  HRSS_PENSION_INSURANCES,
  type HrssEnrollment,
  type HrssInsurance,
} from '@flexins/shared';
import { NINGXIA_PROVINCE_CODE, provinceName } from '@flexins/shared';
import type { NewPerson } from '../roster-schema';
import type { EnrollmentFact, HrssModels, PensionRegistrationRecord } from './models';

/**
 * The enrollments the HRSS side of the national platform holds: pension of
 * every kind and employee/institution medical. Resident and flexible medical
 * insurance are the medical security system's records, not ours.
 */
const KNOWN_HERE: readonly HrssInsurance[] = [...HRSS_PENSION_INSURANCES, 'employeeMedical', 'institutionMedical'];

/** Seeds or refreshes one person (roster entry or admin-added); safe to repeat. */
export async function upsertPerson(models: HrssModels, person: NewPerson, now: Date): Promise<void> {
  const enrollments: EnrollmentFact[] = person.enrollments
    .filter((e) => KNOWN_HERE.includes(e.insurance))
    .map((e) => ({
      insurance: e.insurance,
      provinceCode: e.provinceCode,
      status: e.status,
      since: e.since,
      ...(e.until ? { until: e.until } : {}),
    }));
  await models.Person.replaceOne(
    { idNumber: person.idNumber },
    {
      idNumber: person.idNumber,
      name: person.name,
      rosterKey: person.key,
      enrollments,
      ...(person.ningxiaCard ? { ningxiaCard: { ...person.ningxiaCard } } : {}),
      seededAt: now,
    },
    { upsert: true },
  );
}

/** The flexible pension this system registered, as an enrollment. */
function registeredHere(pension: PensionRegistrationRecord): EnrollmentFact {
  return { insurance: 'flexiblePension', provinceCode: NINGXIA_PROVINCE_CODE, status: 'active', since: pension.since };
}

/** Every enrollment of the person: the platform's facts, then what was registered here. */
export async function enrollmentsOf(models: HrssModels, idNumber: string): Promise<EnrollmentFact[]> {
  const [person, pension] = await Promise.all([
    models.Person.findOne({ idNumber }).lean(),
    models.PensionRegistration.findOne({ idNumber }).lean(),
  ]);
  return [...(person?.enrollments ?? []), ...(pension ? [registeredHere(pension)] : [])];
}

export function presentEnrollment(fact: EnrollmentFact): HrssEnrollment {
  return {
    insurance: fact.insurance,
    provinceCode: fact.provinceCode,
    provinceName: provinceName(fact.provinceCode) ?? `省份代码 ${fact.provinceCode}`,
    status: fact.status,
    since: fact.since,
    ...(fact.until ? { until: fact.until } : {}),
  };
}

/**
 * `您在广东省有正在参保的企业职工基本养老保险、职工基本医疗保险` — the active
 * enrollments grouped by province, for refusal messages.
 */
export function describeActive(facts: readonly EnrollmentFact[]): string {
  const byProvince = new Map<string, string[]>();
  for (const fact of facts) {
    const province = provinceName(fact.provinceCode) ?? `省份代码 ${fact.provinceCode}`;
    byProvince.set(province, [...(byProvince.get(province) ?? []), HRSS_INSURANCE_NAMES[fact.insurance]]);
  }
  return [...byProvince].map(([province, names]) => `在${province}有正在参保的${names.join('、')}`).join('，');
}

export function activeOf(facts: readonly EnrollmentFact[], kinds: readonly HrssInsurance[]): EnrollmentFact[] {
  return facts.filter((f) => f.status === 'active' && kinds.includes(f.insurance));
}

/** Rule 1 (申报条件 1): active employee or institution pension/medical anywhere. */
export function activeEmployeeInsurance(facts: readonly EnrollmentFact[]): EnrollmentFact[] {
  return activeOf(facts, HRSS_EMPLOYEE_INSURANCES);
}

/** Rule 2 as the HRSS system judges it: an active pension of any kind anywhere. */
export function activePension(facts: readonly EnrollmentFact[]): EnrollmentFact[] {
  return activeOf(facts, HRSS_PENSION_INSURANCES);
}

/** For refusal details: what blocked, without dates. */
export function blockingDetails(facts: readonly EnrollmentFact[]) {
  return { enrollments: facts.map((f) => ({ insurance: f.insurance, provinceCode: f.provinceCode })) };
}

/** `NX0000009` → `NX***0009`. */
export function maskCardNumber(cardNumber: string): string {
  if (cardNumber.length <= 6) return '*'.repeat(cardNumber.length);
  return `${cardNumber.slice(0, 2)}${'*'.repeat(cardNumber.length - 6)}${cardNumber.slice(-4)}`;
}
