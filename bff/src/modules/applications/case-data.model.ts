// The applicant's data of a case (申请数据), sealed (AES-GCM), in a document
// of its own keyed by the case number: written once at submission and read
// when a department needs it. Kept apart from the case because the case is
// rewritten at every step and this is the big part (the certified photo).
import { Schema, type Connection, type Model } from 'mongoose';

export interface CaseData {
  /** The case number. */
  _id: string;
  /** Sealed ApplicationData (applicant, form). */
  sealed: string;
  createdAt: Date;
}

const caseDataSchema = new Schema<CaseData>(
  {
    _id: { type: String, required: true },
    sealed: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'case_data', versionKey: false },
);

export type CaseDataModel = Model<CaseData>;

export function caseDataModel(db: Connection): CaseDataModel {
  return (db.models.CaseData as CaseDataModel | undefined) ?? db.model<CaseData>('CaseData', caseDataSchema);
}
