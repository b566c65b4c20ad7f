// Staff notes on a case (工作人员备注): one small document per case, keyed by
// the case number in `_id`, kept apart from the case so that the case
// document stays small and notes never race the engine's writes.
import { Schema, type Connection, type Model } from 'mongoose';
import type { StaffRole } from '../../platform/auth';

export interface CaseNote {
  at: Date;
  staffId: string;
  role: StaffRole;
  text: string;
}

export interface CaseNotes {
  _id: string;
  training: boolean;
  notes: CaseNote[];
}

const notesSchema = new Schema<CaseNotes>(
  {
    _id: { type: String, required: true },
    training: { type: Boolean, required: true },
    notes: [{ _id: false, at: Date, staffId: String, role: String, text: String }],
  },
  { collection: 'case_notes', versionKey: false },
);

export type CaseNotesModel = Model<CaseNotes>;

export function caseNotesModel(db: Connection): CaseNotesModel {
  return (db.models.CaseNotes as CaseNotesModel | undefined) ?? db.model<CaseNotes>('CaseNotes', notesSchema);
}
