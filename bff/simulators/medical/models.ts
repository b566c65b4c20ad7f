// The medical security system's own records. Every record carries `idNumber`
// so the admin read-out can filter by person; each business key has a unique
// index on a field that is always written (FerretDB lets duplicates of a
// missing field through).
import type { MedicalEmploymentType, MedicalInsuranceKind } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

export const COLLECTIONS = {
  people: 'people',
  enrollments: 'enrollments',
  registrations: 'registrations',
} as const;

/** An insured person (参保人) the system knows of. */
export interface PersonRecord {
  idNumber: string;
  name: string;
  /** The roster or admin key the person was seeded from; absent for people who first came through registration. */
  rosterKey?: string;
  createdAt: Date;
}

/**
 * One medical enrollment (医疗保险参保记录), including other provinces' as the
 * national medical security platform reports them.
 */
export interface EnrollmentRecord {
  /** Unique: `seed:<idNumber>:<insurance>:<province>:<since>` or `registration:<medicalInsuranceNo>`. */
  enrollmentKey: string;
  idNumber: string;
  insurance: MedicalInsuranceKind;
  provinceCode: string;
  status: 'active' | 'ended';
  since: string;
  until?: string;
  source: 'seed' | 'registration';
}

/** A flexible worker's registration (灵活就业人员参保/变更登记) made by this system. */
export interface RegistrationRecord {
  medicalInsuranceNo: string;
  /** Unique: one flexible-worker registration per person. */
  idNumber: string;
  name: string;
  employmentType: MedicalEmploymentType;
  employmentRegistrationNo: string;
  residenceRegionCode: string;
  kind: 'new' | 'change';
  insurance: 'flexibleMedical';
  coverageStartsOn: string;
  monthlyMedicalFen: number;
  registeredAt: Date;
  callerId: string;
}

const REQUIRED_STRING = { type: String, required: true } as const;

const personSchema = new Schema<PersonRecord>(
  {
    idNumber: { ...REQUIRED_STRING, unique: true },
    name: REQUIRED_STRING,
    rosterKey: String,
    createdAt: { type: Date, required: true },
  },
  { collection: COLLECTIONS.people, versionKey: false },
);

const enrollmentSchema = new Schema<EnrollmentRecord>(
  {
    enrollmentKey: { ...REQUIRED_STRING, unique: true },
    idNumber: { ...REQUIRED_STRING, index: true },
    insurance: REQUIRED_STRING,
    provinceCode: REQUIRED_STRING,
    status: { type: String, required: true, enum: ['active', 'ended'] },
    since: REQUIRED_STRING,
    until: String,
    source: { type: String, required: true, enum: ['seed', 'registration'] },
  },
  { collection: COLLECTIONS.enrollments, versionKey: false },
);

const registrationSchema = new Schema<RegistrationRecord>(
  {
    medicalInsuranceNo: { ...REQUIRED_STRING, unique: true },
    idNumber: { ...REQUIRED_STRING, unique: true },
    name: REQUIRED_STRING,
    employmentType: REQUIRED_STRING,
    employmentRegistrationNo: REQUIRED_STRING,
    residenceRegionCode: REQUIRED_STRING,
    kind: { type: String, required: true, enum: ['new', 'change'] },
    insurance: { type: String, required: true, enum: ['flexibleMedical'] },
    coverageStartsOn: REQUIRED_STRING,
    monthlyMedicalFen: { type: Number, required: true },
    registeredAt: { type: Date, required: true },
    callerId: REQUIRED_STRING,
  },
  { collection: COLLECTIONS.registrations, versionKey: false },
);

export interface MedicalModels {
  Person: Model<PersonRecord>;
  Enrollment: Model<EnrollmentRecord>;
  Registration: Model<RegistrationRecord>;
}

/** The models on this simulator's own connection (registered once per connection). */
export function medicalModels(db: Connection): MedicalModels {
  return {
    Person: (db.models.MedicalPerson as Model<PersonRecord>) ?? db.model('MedicalPerson', personSchema),
    Enrollment:
      (db.models.MedicalEnrollment as Model<EnrollmentRecord>) ?? db.model('MedicalEnrollment', enrollmentSchema),
    Registration:
      (db.models.MedicalRegistration as Model<RegistrationRecord>) ??
      db.model('MedicalRegistration', registrationSchema),
  };
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === 11000;
}
