// The identity platform's own records: people (实名信息, with the certified
// photo), one-time login codes, face checks and the host face SDK's result
// tokens, staff accounts and their sign-in log. Collection names are explicit; the admin read-out lists them.
import type { IdentityStaffRole } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

export const COLLECTIONS = {
  people: 'people',
  loginCodes: 'login_codes',
  faceChecks: 'face_checks',
  faceVerifyResults: 'face_verify_results',
  staffAccounts: 'staff_accounts',
  staffSignIns: 'staff_sign_ins',
} as const;

export interface PersonRecord {
  key: string;
  idNumber: string;
  personId: string;
  label: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  ethnicity: string;
  phone: string;
  household: { regionCode: string; address: string };
  residencePermit?: { regionCode: string; validUntil: string };
  faceCheck: 'pass' | 'fail';
  /** Where the person came from; training people never show on the sign-in page. */
  source: 'roster' | 'training' | 'added';
  training: boolean;
  /** Position on the sign-in page. */
  order: number;
  photo: { contentType: 'image/png'; base64: string; certifiedAt: string };
  createdAt: Date;
  updatedAt: Date;
}

export interface LoginCodeRecord {
  /** sha256 of the code: the code itself is never stored. */
  _id: string;
  personKey: string;
  idNumber: string;
  via: 'page' | 'api';
  issuedAt: Date;
  expiresAt: Date;
  used: boolean;
  usedAt?: Date;
}

export interface FaceCheckRecord {
  checkId: string;
  idNumber: string;
  passed: boolean;
  score: number;
  reason?: string;
  checkedAt: Date;
  /** The sample itself (biometric data) is not kept. */
  livenessSampleProvided: boolean;
  /** Confirmed from the host face SDK's result token rather than compared here. */
  hostResult?: boolean;
  callerId: string;
}

/** A result token of the host's face SDK (its verifyResult), confirmed at most once. */
export interface FaceVerifyResultRecord {
  /** sha256 of the token: the token itself is never stored. */
  _id: string;
  personKey: string;
  idNumber: string;
  /** What the host's liveness check found, told only to whoever confirms the token. */
  passed: boolean;
  issuedAt: Date;
  expiresAt: Date;
  used: boolean;
  usedAt?: Date;
  callerId: string;
}

export interface StaffAccountRecord {
  staffId: string;
  username: string;
  name: string;
  role: IdentityStaffRole;
  regionCode: string;
  training: boolean;
  passwordSalt: string;
  passwordHash: string;
  /** Failures since firstFailureAt; the window restarts after 15 minutes. */
  failedAttempts: number;
  firstFailureAt: Date;
  /** In the past when the account is not locked. */
  lockedUntil: Date;
  createdAt: Date;
}

export interface StaffSignInRecord {
  username: string;
  at: Date;
  outcome: 'ok' | 'wrongPassword' | 'unknownUser' | 'locked';
  callerId: string;
}

const regionSchema = new Schema(
  { regionCode: { type: String, required: true }, address: { type: String, required: true } },
  { _id: false },
);
const permitSchema = new Schema(
  { regionCode: { type: String, required: true }, validUntil: { type: String, required: true } },
  { _id: false },
);
const photoSchema = new Schema(
  {
    contentType: { type: String, required: true, enum: ['image/png'] },
    base64: { type: String, required: true },
    certifiedAt: { type: String, required: true },
  },
  { _id: false },
);

const personSchema = new Schema<PersonRecord>(
  {
    key: { type: String, required: true, unique: true },
    idNumber: { type: String, required: true, unique: true },
    personId: { type: String, required: true, unique: true },
    label: { type: String, required: true },
    name: { type: String, required: true },
    sex: { type: String, required: true, enum: ['male', 'female'] },
    birthDate: { type: String, required: true },
    ethnicity: { type: String, required: true },
    phone: { type: String, required: true },
    household: { type: regionSchema, required: true },
    residencePermit: { type: permitSchema, default: undefined },
    faceCheck: { type: String, required: true, enum: ['pass', 'fail'] },
    source: { type: String, required: true, enum: ['roster', 'training', 'added'] },
    training: { type: Boolean, required: true },
    order: { type: Number, required: true },
    photo: { type: photoSchema, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: COLLECTIONS.people },
);
personSchema.index({ training: 1, order: 1 });

const loginCodeSchema = new Schema<LoginCodeRecord>(
  {
    _id: { type: String, required: true },
    personKey: { type: String, required: true },
    idNumber: { type: String, required: true },
    via: { type: String, required: true, enum: ['page', 'api'] },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
    used: { type: Boolean, required: true },
    usedAt: Date,
  },
  { versionKey: false, collection: COLLECTIONS.loginCodes },
);

const faceCheckSchema = new Schema<FaceCheckRecord>(
  {
    checkId: { type: String, required: true, unique: true },
    idNumber: { type: String, required: true, index: true },
    passed: { type: Boolean, required: true },
    score: { type: Number, required: true },
    reason: String,
    checkedAt: { type: Date, required: true },
    livenessSampleProvided: { type: Boolean, required: true },
    hostResult: Boolean,
    callerId: { type: String, required: true },
  },
  { versionKey: false, collection: COLLECTIONS.faceChecks },
);

const faceVerifyResultSchema = new Schema<FaceVerifyResultRecord>(
  {
    _id: { type: String, required: true },
    personKey: { type: String, required: true },
    idNumber: { type: String, required: true, index: true },
    passed: { type: Boolean, required: true },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
    used: { type: Boolean, required: true },
    usedAt: Date,
    callerId: { type: String, required: true },
  },
  { versionKey: false, collection: COLLECTIONS.faceVerifyResults },
);

const staffAccountSchema = new Schema<StaffAccountRecord>(
  {
    staffId: { type: String, required: true, unique: true },
    username: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    role: { type: String, required: true, enum: ['windowClerk', 'agent', 'supervisor'] },
    regionCode: { type: String, required: true },
    training: { type: Boolean, required: true },
    passwordSalt: { type: String, required: true },
    passwordHash: { type: String, required: true },
    failedAttempts: { type: Number, required: true },
    firstFailureAt: { type: Date, required: true },
    lockedUntil: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: COLLECTIONS.staffAccounts },
);

const staffSignInSchema = new Schema<StaffSignInRecord>(
  {
    username: { type: String, required: true, index: true },
    at: { type: Date, required: true },
    outcome: { type: String, required: true, enum: ['ok', 'wrongPassword', 'unknownUser', 'locked'] },
    callerId: { type: String, required: true },
  },
  { versionKey: false, collection: COLLECTIONS.staffSignIns },
);

export interface IdentityModels {
  People: Model<PersonRecord>;
  LoginCodes: Model<LoginCodeRecord>;
  FaceChecks: Model<FaceCheckRecord>;
  FaceVerifyResults: Model<FaceVerifyResultRecord>;
  StaffAccounts: Model<StaffAccountRecord>;
  StaffSignIns: Model<StaffSignInRecord>;
}

function model<T>(db: Connection, name: string, schema: Schema<T>): Model<T> {
  return (db.models[name] as Model<T> | undefined) ?? db.model<T>(name, schema);
}

/** The models on one simulator's own connection. */
export function identityModels(db: Connection): IdentityModels {
  return {
    People: model(db, 'IdentityPerson', personSchema),
    LoginCodes: model(db, 'IdentityLoginCode', loginCodeSchema),
    FaceChecks: model(db, 'IdentityFaceCheck', faceCheckSchema),
    FaceVerifyResults: model(db, 'IdentityFaceVerifyResult', faceVerifyResultSchema),
    StaffAccounts: model(db, 'IdentityStaffAccount', staffAccountSchema),
    StaffSignIns: model(db, 'IdentityStaffSignIn', staffSignInSchema),
  };
}
