// The way from a person to their applicant record (申请人索引): keyed by the
// keyed hash of the ID number, so a sign-in finds the record by `_id`
// instead of reading every applicant (FerretDB indexes nothing else).
import { Schema, type Connection, type Model } from 'mongoose';

export interface ApplicantKey {
  /** lookupHash('idNumber', …) */
  _id: string;
  applicantId: string;
  createdAt: Date;
}

const applicantKeySchema = new Schema<ApplicantKey>(
  {
    _id: { type: String, required: true },
    applicantId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'applicant_keys', versionKey: false },
);

export type ApplicantKeyModel = Model<ApplicantKey>;

export function applicantKeyModel(db: Connection): ApplicantKeyModel {
  return (
    (db.models.ApplicantKey as ApplicantKeyModel | undefined) ??
    db.model<ApplicantKey>('ApplicantKey', applicantKeySchema)
  );
}
