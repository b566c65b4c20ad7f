// The follow-up (跟踪回访) of one case, keyed by the case number: when it is
// next due and the last step of the card and of the archive the citizen was
// told of. It is written before the case itself (application.service.ts), so
// no stored case is ever without one, and removed once nothing is left to
// tell. Leased by pushing `nextAt` one interval on (follow-up.service.ts).
import type { HrssArchiveStatus, HrssCardStatus } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

export interface FollowUp {
  /** The case number: a case has at most one follow-up. */
  _id: string;
  /** Not checked before this; a lease pushes it one interval on. */
  nextAt: Date;
  /** The last HRSS status told to the citizen, per item (absent: none yet). */
  announced?: { card?: HrssCardStatus; archive?: HrssArchiveStatus };
  /** How many times it was leased. */
  checks: number;
  createdAt: Date;
}

const followUpSchema = new Schema<FollowUp>(
  {
    _id: { type: String, required: true },
    nextAt: { type: Date, required: true },
    announced: { card: String, archive: String },
    checks: { type: Number, required: true, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { collection: 'follow_ups', versionKey: false },
);
followUpSchema.index({ nextAt: 1 });

export type FollowUpModel = Model<FollowUp>;

export function followUpModel(db: Connection): FollowUpModel {
  return (db.models.FollowUp as FollowUpModel | undefined) ?? db.model<FollowUp>('FollowUp', followUpSchema);
}
