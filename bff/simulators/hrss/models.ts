// The HRSS system's own records. Every person-related record carries
// `idNumber`, so the admin read-out can filter by person. Each business key
// has a unique index; its field is always written (FerretDB lets duplicates
// of a missing field through).
import type {
  HrssArchiveStatus,
  HrssCardStatus,
  HrssEmploymentType,
  HrssInsurance,
  HrssIssuingBank,
} from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

export const COLLECTIONS = {
  people: 'people',
  employmentRegistrations: 'employment_registrations',
  archiveTransfers: 'archive_transfers',
  pensionRegistrations: 'pension_registrations',
  cardApplications: 'card_applications',
} as const;

/** One enrollment fact (参保记录) as the national platform reports it. */
export interface EnrollmentFact {
  insurance: HrssInsurance;
  provinceCode: string;
  status: 'active' | 'ended';
  since: string;
  until?: string;
}

/** What the system knew of a person before this service (seeded from the roster). */
export interface PersonRecord {
  idNumber: string;
  name: string;
  rosterKey: string;
  enrollments: EnrollmentFact[];
  ningxiaCard?: { cardNumber: string; issuedAt: string };
  seededAt: Date;
}

export interface EmploymentRegistrationRecord {
  registrationNo: string;
  idNumber: string;
  name: string;
  employmentType: HrssEmploymentType;
  startDate: string;
  residenceRegionCode: string;
  registeredAt: Date;
  callerId: string;
}

export interface ProgressEntry<S extends string> {
  status: S;
  at: Date;
}

export interface ArchiveTransferRecord {
  transferLetterNo: string;
  idNumber: string;
  name: string;
  employmentRegistrationNo: string;
  currentLocation: string;
  /** 档案保管单位: where the transfer letter goes (absent for a new archive). */
  holdingUnit?: string;
  receivingRegionCode: string;
  receivingCentre: string;
  /** No archive existed: a new one is opened instead of moving one. */
  opensNewArchive: boolean;
  note?: string;
  status: HrssArchiveStatus;
  history: ProgressEntry<HrssArchiveStatus>[];
  acceptedAt: Date;
}

export interface PensionRegistrationRecord {
  pensionRegistrationNo: string;
  idNumber: string;
  name: string;
  employmentRegistrationNo: string;
  personalRecordNo: string;
  insurance: 'flexiblePension';
  baseGradePercent: number;
  baseFen: number;
  monthlyPensionFen: number;
  residenceRegionCode: string;
  /** Beijing date the enrollment starts (参保日期). */
  since: string;
  registeredAt: Date;
}

export interface CardApplicationRecord {
  cardApplicationNo: string;
  idNumber: string;
  name: string;
  /** The simulator keeps the photo's digest and size, not the picture. */
  photo: { contentType: string; bytes: number; sha256: string };
  issuingBank: HrssIssuingBank;
  mailingAddress: { regionCode: string; detail: string; recipient: string; phone: string };
  postageOrderId: string;
  postageFen: number;
  electronicCard: { eCardNo: string; issuedAt: Date; qrPayload: string };
  status: HrssCardStatus;
  history: ProgressEntry<HrssCardStatus>[];
  trackingNo?: string;
  carrier?: string;
  acceptedAt: Date;
}

const REQUIRED_STRING = { type: String, required: true } as const;
const REQUIRED_DATE = { type: Date, required: true } as const;

const enrollmentSchema = new Schema<EnrollmentFact>(
  {
    insurance: REQUIRED_STRING,
    provinceCode: REQUIRED_STRING,
    status: { type: String, required: true, enum: ['active', 'ended'] },
    since: REQUIRED_STRING,
    until: String,
  },
  { _id: false },
);

function progressSchema(statuses: readonly string[]) {
  return new Schema({ status: { type: String, required: true, enum: statuses }, at: REQUIRED_DATE }, { _id: false });
}

const ARCHIVE_STATUSES: readonly HrssArchiveStatus[] = ['accepted', 'letterIssued', 'inTransit', 'received'];
const CARD_STATUSES: readonly HrssCardStatus[] = ['accepted', 'producing', 'posted', 'delivered'];

const personSchema = new Schema<PersonRecord>(
  {
    idNumber: { type: String, required: true, unique: true },
    name: REQUIRED_STRING,
    rosterKey: REQUIRED_STRING,
    enrollments: { type: [enrollmentSchema], default: [] },
    ningxiaCard: { type: new Schema({ cardNumber: REQUIRED_STRING, issuedAt: REQUIRED_STRING }, { _id: false }) },
    seededAt: REQUIRED_DATE,
  },
  { versionKey: false, collection: COLLECTIONS.people },
);

const employmentSchema = new Schema<EmploymentRegistrationRecord>(
  {
    registrationNo: { type: String, required: true, unique: true },
    idNumber: { type: String, required: true, unique: true },
    name: REQUIRED_STRING,
    employmentType: REQUIRED_STRING,
    startDate: REQUIRED_STRING,
    residenceRegionCode: REQUIRED_STRING,
    registeredAt: REQUIRED_DATE,
    callerId: REQUIRED_STRING,
  },
  { versionKey: false, collection: COLLECTIONS.employmentRegistrations },
);

const archiveSchema = new Schema<ArchiveTransferRecord>(
  {
    transferLetterNo: { type: String, required: true, unique: true },
    idNumber: { type: String, required: true, unique: true },
    name: REQUIRED_STRING,
    employmentRegistrationNo: REQUIRED_STRING,
    currentLocation: REQUIRED_STRING,
    holdingUnit: String,
    receivingRegionCode: REQUIRED_STRING,
    receivingCentre: REQUIRED_STRING,
    opensNewArchive: { type: Boolean, required: true },
    note: String,
    status: { type: String, required: true, enum: ARCHIVE_STATUSES },
    history: { type: [progressSchema(ARCHIVE_STATUSES)], default: [] },
    acceptedAt: REQUIRED_DATE,
  },
  { versionKey: false, collection: COLLECTIONS.archiveTransfers },
);

const pensionSchema = new Schema<PensionRegistrationRecord>(
  {
    pensionRegistrationNo: { type: String, required: true, unique: true },
    idNumber: { type: String, required: true, unique: true },
    name: REQUIRED_STRING,
    employmentRegistrationNo: REQUIRED_STRING,
    personalRecordNo: { type: String, required: true, unique: true },
    insurance: { type: String, required: true, enum: ['flexiblePension'] },
    baseGradePercent: { type: Number, required: true },
    baseFen: { type: Number, required: true },
    monthlyPensionFen: { type: Number, required: true },
    residenceRegionCode: REQUIRED_STRING,
    since: REQUIRED_STRING,
    registeredAt: REQUIRED_DATE,
  },
  { versionKey: false, collection: COLLECTIONS.pensionRegistrations },
);

const cardSchema = new Schema<CardApplicationRecord>(
  {
    cardApplicationNo: { type: String, required: true, unique: true },
    idNumber: { type: String, required: true, unique: true },
    name: REQUIRED_STRING,
    photo: {
      type: new Schema(
        { contentType: REQUIRED_STRING, bytes: { type: Number, required: true }, sha256: REQUIRED_STRING },
        { _id: false },
      ),
      required: true,
    },
    issuingBank: REQUIRED_STRING,
    mailingAddress: {
      type: new Schema(
        { regionCode: REQUIRED_STRING, detail: REQUIRED_STRING, recipient: REQUIRED_STRING, phone: REQUIRED_STRING },
        { _id: false },
      ),
      required: true,
    },
    // One paid postage order pays for one card.
    postageOrderId: { type: String, required: true, unique: true },
    postageFen: { type: Number, required: true },
    electronicCard: {
      type: new Schema(
        { eCardNo: REQUIRED_STRING, issuedAt: REQUIRED_DATE, qrPayload: REQUIRED_STRING },
        { _id: false },
      ),
      required: true,
    },
    status: { type: String, required: true, enum: CARD_STATUSES },
    history: { type: [progressSchema(CARD_STATUSES)], default: [] },
    trackingNo: String,
    carrier: String,
    acceptedAt: REQUIRED_DATE,
  },
  { versionKey: false, collection: COLLECTIONS.cardApplications },
);

export interface HrssModels {
  Person: Model<PersonRecord>;
  EmploymentRegistration: Model<EmploymentRegistrationRecord>;
  ArchiveTransfer: Model<ArchiveTransferRecord>;
  PensionRegistration: Model<PensionRegistrationRecord>;
  CardApplication: Model<CardApplicationRecord>;
}

function modelOn<T>(db: Connection, name: string, schema: Schema<T>): Model<T> {
  return (db.models[name] as Model<T> | undefined) ?? db.model<T>(name, schema);
}

/** The models bound to this simulator's own connection. */
export function hrssModels(db: Connection): HrssModels {
  return {
    Person: modelOn(db, 'HrssPerson', personSchema),
    EmploymentRegistration: modelOn(db, 'HrssEmploymentRegistration', employmentSchema),
    ArchiveTransfer: modelOn(db, 'HrssArchiveTransfer', archiveSchema),
    PensionRegistration: modelOn(db, 'HrssPensionRegistration', pensionSchema),
    CardApplication: modelOn(db, 'HrssCardApplication', cardSchema),
  };
}

/** True for MongoDB's duplicate-key error (E11000). */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}
