// The medical security system's two operations: the enrollment query and the
// flexible worker's registration (基本医疗保险参保和变更登记).
import { CURRENT_POLICY, NINGXIA_PROVINCE_CODE, chinaToday, monthlyPremium, parseIdNumber } from '@flexins/shared';
import {
  MEDICAL_ENROLLMENT_QUERY_REPLY,
  MEDICAL_ENROLLMENT_QUERY_REQUEST,
  MEDICAL_FLEXIBLE_REGISTRATION_REPLY,
  MEDICAL_FLEXIBLE_REGISTRATION_REQUEST,
  type MedicalEnrollmentQueryReply,
  type MedicalEnrollmentQueryRequest,
  type MedicalFlexibleRegistrationReply,
  type MedicalFlexibleRegistrationRequest,
} from '@flexins/shared';
import { commonError } from '../common/errors';
import { nextNumber } from '@flexins/shared/server';
import type { SimRoute } from '../common/types';
import { enrollmentsOf, hasNingxiaHistory, ongoingEnrollment, toEnrollmentView } from './enrollments';
import { isDuplicateKey, medicalModels, type MedicalModels, type RegistrationRecord } from './models';
import { alreadyRegistered, employerNotAllowed, ongoingMedicalInsurance } from './rules';
import { insertRecord } from '../common/records';

/** The schema checks the shape; the check digit and birth date need the calendar. */
function checkIdNumber(idNumber: string, now: Date): void {
  const parsed = parseIdNumber(idNumber, chinaToday(now));
  if (!parsed.ok) throw commonError('VALIDATION_FAILED', { fields: { idNumber: parsed.message } });
}

/**
 * The monthly medical contribution. While the medical base is a fixed share
 * of the average wage (CURRENT_POLICY) it does not depend on the pension
 * grade; under a `sameAsPensionBase` rule this system, which is not sent the
 * grade, quotes the lowest one.
 */
export function monthlyMedicalFen(): number {
  return monthlyPremium(CURRENT_POLICY.pension.value.minBasePercent).medicalFen;
}

/** Benefits start on the first day of the month after registration (缴费次月享受待遇). */
export function firstDayOfNextMonth(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return `${next.year}-${String(next.month).padStart(2, '0')}-01`;
}

function registrationKey(medicalInsuranceNo: string): string {
  return `registration:${medicalInsuranceNo}`;
}

/**
 * The active flexible medical enrollment a registration adds. Also run when
 * a registration is found again, so a crash between the two writes heals on
 * the retry.
 */
async function ensureEnrollment(models: MedicalModels, registration: RegistrationRecord): Promise<void> {
  const enrollmentKey = registrationKey(registration.medicalInsuranceNo);
  const write = () =>
    models.Enrollment.updateOne(
      { enrollmentKey },
      {
        $setOnInsert: {
          enrollmentKey,
          idNumber: registration.idNumber,
          insurance: 'flexibleMedical',
          provinceCode: NINGXIA_PROVINCE_CODE,
          status: 'active',
          since: chinaToday(registration.registeredAt),
          source: 'registration',
        },
      },
      { upsert: true },
    );
  try {
    await write();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await write();
  }
}

function toRegistrationView(record: RegistrationRecord): MedicalFlexibleRegistrationReply {
  return {
    medicalInsuranceNo: record.medicalInsuranceNo,
    kind: record.kind,
    insurance: record.insurance,
    coverageStartsOn: record.coverageStartsOn,
    monthlyMedicalFen: record.monthlyMedicalFen,
    registeredAt: record.registeredAt.toISOString(),
  };
}

export const enrollmentQuery: SimRoute<MedicalEnrollmentQueryRequest, MedicalEnrollmentQueryReply> = {
  method: 'POST',
  path: '/medical/v1/enrollment-queries',
  operationId: 'queryMedicalEnrollments',
  summary: '医疗保险参保信息查询（含跨省）',
  write: false,
  request: MEDICAL_ENROLLMENT_QUERY_REQUEST,
  reply: MEDICAL_ENROLLMENT_QUERY_REPLY,
  errors: [],
  personOf: (input) => input.idNumber,
  async handle(input, { deps }) {
    checkIdNumber(input.idNumber, deps.now());
    const enrollments = await enrollmentsOf(medicalModels(deps.db), input.idNumber);
    return { enrollments: enrollments.map(toEnrollmentView), ningxiaHistory: hasNingxiaHistory(enrollments) };
  },
};

export const flexibleRegistration: SimRoute<MedicalFlexibleRegistrationRequest, MedicalFlexibleRegistrationReply> = {
  method: 'POST',
  path: '/medical/v1/flexible-registrations',
  operationId: 'registerFlexibleMedical',
  summary: '灵活就业人员基本医疗保险参保和变更登记',
  write: true,
  request: MEDICAL_FLEXIBLE_REGISTRATION_REQUEST,
  reply: MEDICAL_FLEXIBLE_REGISTRATION_REPLY,
  errors: ['ALREADY_REGISTERED', 'EMPLOYER_NOT_ALLOWED', 'ONGOING_MEDICAL_INSURANCE'],
  personOf: (input) => input.idNumber,
  async handle(input, { deps, callerId }) {
    const now = deps.now();
    const models = medicalModels(deps.db);
    checkIdNumber(input.idNumber, now);

    // 1. a second registration is recognised before any rule
    const existing = await models.Registration.findOne({ idNumber: input.idNumber }).lean();
    if (existing) {
      await ensureEnrollment(models, existing);
      throw alreadyRegistered(existing);
    }

    // 2. rule 5: an employer with employees is not a flexible worker
    if (input.employmentType === 'employerWithEmployees') throw employerNotAllowed();

    // 3. rule 2: no ongoing medical enrollment of any kind, anywhere
    const enrollments = await enrollmentsOf(models, input.idNumber);
    const ongoing = ongoingEnrollment(enrollments);
    if (ongoing) throw ongoingMedicalInsurance(ongoing);

    // 4. register; an ended Ningxia record makes it a change registration
    const today = chinaToday(now);
    const record: RegistrationRecord = {
      medicalInsuranceNo: await nextNumber(deps.db, 'YB', now),
      idNumber: input.idNumber,
      name: input.name,
      employmentType: input.employmentType,
      employmentRegistrationNo: input.employmentRegistrationNo,
      residenceRegionCode: input.residenceRegionCode,
      kind: hasNingxiaHistory(enrollments) ? 'change' : 'new',
      insurance: 'flexibleMedical',
      coverageStartsOn: firstDayOfNextMonth(today),
      monthlyMedicalFen: monthlyMedicalFen(),
      registeredAt: now,
      callerId,
    };
    try {
      await insertRecord(models.Registration, record);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Another call for the same person won the race: answer as a repeat.
      const twin = await models.Registration.findOne({ idNumber: input.idNumber }).lean();
      if (!twin) throw err;
      await ensureEnrollment(models, twin);
      throw alreadyRegistered(twin);
    }

    // 5. the person is insured here now (visible to the enrollment query)
    await models.Person.updateOne(
      { idNumber: input.idNumber },
      { $setOnInsert: { idNumber: input.idNumber, name: input.name, createdAt: now } },
      { upsert: true },
    ).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
    await ensureEnrollment(models, record);
    return toRegistrationView(record);
  },
};
