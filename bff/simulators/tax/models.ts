// The tax system's own records for flexible workers' social insurance
// premiums. Every record carries `idNumber` so the admin read-out can filter
// by person; each business key has a unique index on a field that is always
// written (FerretDB lets duplicates of a missing field through).
import type { TaxAssessment, TaxInsurance, TaxPaymentReply } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

export const COLLECTIONS = {
  insuranceRegistrations: 'insurance_registrations',
  declarations: 'declarations',
  payments: 'payments',
  payers: 'payers',
} as const;

/** A pension or medical registration received from HRSS or the medical system (参保登记信息). */
export interface InsuranceRegistrationRecord {
  taxRecordNo: string;
  /** Unique: `<idNumber>:<insurance>` — one of each insurance per person. */
  registrationKey: string;
  idNumber: string;
  name: string;
  insurance: TaxInsurance;
  registrationNo: string;
  residenceRegionCode: string;
  /** Pension only. */
  baseGradePercent?: number;
  receivedAt: Date;
  callerId: string;
}

/** A normal-payment declaration (正常缴费申报) and its assessment (核定). */
export interface DeclarationRecord {
  declarationNo: string;
  idNumber: string;
  name: string;
  paymentType: 'normal';
  periodStart: string;
  periodEnd: string;
  months: number;
  assessment: TaxAssessment;
  paymentDeadline: string;
  status: 'assessed' | 'paid';
  declaredAt: Date;
  /** Set with `status: 'paid'` in the same update. */
  receipt?: TaxPaymentReply;
}

/** The ledger of payments (缴费记录): one per declaration. */
export interface PaymentRecord extends TaxPaymentReply {
  idNumber: string;
}

/**
 * A payer (缴费人) and the months declared for them: `declaredMonths` maps
 * `YYYY-MM` to the declaration number. One document per person, so claiming
 * months is a single atomic conditional update — two declarations racing for
 * the same month cannot both win.
 */
export interface PayerRecord {
  idNumber: string;
  declaredMonths: Record<string, string>;
}

const REQUIRED_STRING = { type: String, required: true } as const;
const REQUIRED_INT = { type: Number, required: true } as const;

const registrationSchema = new Schema<InsuranceRegistrationRecord>(
  {
    taxRecordNo: { ...REQUIRED_STRING, unique: true },
    registrationKey: { ...REQUIRED_STRING, unique: true },
    idNumber: { ...REQUIRED_STRING, index: true },
    name: REQUIRED_STRING,
    insurance: { type: String, required: true, enum: ['pension', 'medical'] },
    registrationNo: REQUIRED_STRING,
    residenceRegionCode: REQUIRED_STRING,
    baseGradePercent: Number,
    receivedAt: { type: Date, required: true },
    callerId: REQUIRED_STRING,
  },
  { collection: COLLECTIONS.insuranceRegistrations, versionKey: false },
);

const declarationSchema = new Schema<DeclarationRecord>(
  {
    declarationNo: { ...REQUIRED_STRING, unique: true },
    idNumber: { ...REQUIRED_STRING, index: true },
    name: REQUIRED_STRING,
    paymentType: { type: String, required: true, enum: ['normal'] },
    periodStart: REQUIRED_STRING,
    periodEnd: REQUIRED_STRING,
    months: REQUIRED_INT,
    assessment: {
      baseGradePercent: Number,
      baseFen: REQUIRED_INT,
      medicalBaseFen: REQUIRED_INT,
      pensionFen: REQUIRED_INT,
      medicalFen: REQUIRED_INT,
      monthlyTotalFen: REQUIRED_INT,
      totalFen: REQUIRED_INT,
    },
    paymentDeadline: REQUIRED_STRING,
    status: { type: String, required: true, enum: ['assessed', 'paid'] },
    declaredAt: { type: Date, required: true },
    receipt: Schema.Types.Mixed,
  },
  { collection: COLLECTIONS.declarations, versionKey: false, minimize: true },
);

const paymentSchema = new Schema<PaymentRecord>(
  {
    receiptNo: { ...REQUIRED_STRING, unique: true },
    declarationNo: { ...REQUIRED_STRING, unique: true },
    idNumber: { ...REQUIRED_STRING, index: true },
    paidFen: REQUIRED_INT,
    paidAt: REQUIRED_STRING,
    channel: { type: String, required: true, enum: ['app', 'window', 'bank'] },
    electronicReceipt: { type: Schema.Types.Mixed, required: true },
  },
  { collection: COLLECTIONS.payments, versionKey: false },
);

const payerSchema = new Schema<PayerRecord>(
  {
    idNumber: { ...REQUIRED_STRING, unique: true },
    declaredMonths: { type: Schema.Types.Mixed, required: true, default: {} },
  },
  { collection: COLLECTIONS.payers, versionKey: false, minimize: false },
);

export interface TaxModels {
  InsuranceRegistration: Model<InsuranceRegistrationRecord>;
  Declaration: Model<DeclarationRecord>;
  Payment: Model<PaymentRecord>;
  Payer: Model<PayerRecord>;
}

/** The models on this simulator's own connection (registered once per connection). */
export function taxModels(db: Connection): TaxModels {
  return {
    InsuranceRegistration:
      (db.models.TaxInsuranceRegistration as Model<InsuranceRegistrationRecord>) ??
      db.model('TaxInsuranceRegistration', registrationSchema),
    Declaration:
      (db.models.TaxDeclaration as Model<DeclarationRecord>) ?? db.model('TaxDeclaration', declarationSchema),
    Payment: (db.models.TaxPayment as Model<PaymentRecord>) ?? db.model('TaxPayment', paymentSchema),
    Payer: (db.models.TaxPayer as Model<PayerRecord>) ?? db.model('TaxPayer', payerSchema),
  };
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === 11000;
}
