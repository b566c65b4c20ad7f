// The problem list (问题清单): bad ratings and reported problems, each with an
// owner, a deadline 15 working days out, a status and the fix recorded. The
// staff side manages it; the citizen side only adds to it.
import { Schema, type Connection, type Model } from 'mongoose';

export interface ProblemItem {
  source: 'rating' | 'report';
  caseNo?: string;
  regionCode?: string;
  category: string;
  text: string;
  status: 'open' | 'inProgress' | 'resolved';
  owner?: string;
  /** `YYYY-MM-DD`, 15 working days after it was raised. */
  deadline: string;
  fix?: string;
  training: boolean;
  createdAt: Date;
}

const problemSchema = new Schema<ProblemItem>(
  {
    source: { type: String, required: true, enum: ['rating', 'report'] },
    caseNo: String,
    regionCode: String,
    category: { type: String, required: true },
    text: { type: String, required: true },
    status: { type: String, required: true },
    owner: String,
    deadline: { type: String, required: true },
    fix: String,
    training: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'problems', versionKey: false },
);
problemSchema.index({ status: 1, deadline: 1 });

export function problemModel(db: Connection): Model<ProblemItem> {
  return (db.models.Problem as Model<ProblemItem> | undefined) ?? db.model<ProblemItem>('Problem', problemSchema);
}
