// The problem list (问题清单): bad ratings and reported problems, each with an
// owner, a deadline PROBLEM_WORKING_DAYS (15) working days out, a status and the fix recorded. The
// citizen side only adds to it; supervisors manage it. Keyed by its own id in
// `_id`, so reading or changing one item is an indexed look-up.
import type { ProblemCategory, ProblemSource, ProblemStatus } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

export { PROBLEM_CATEGORIES, PROBLEM_WORKING_DAYS, REPORTABLE_CATEGORIES, type ProblemCategory } from '@flexins/shared';
export type { ProblemSource, ProblemStatus } from '@flexins/shared';

export const PROBLEM_STATUSES = {
  open: '待处理',
  inProgress: '整改中',
  resolved: '已整改',
} as const satisfies Record<ProblemStatus, string>;

export interface ProblemItem {
  /** `WT` + date + random, e.g. `WT20261130A1B2C3D4`. */
  _id: string;
  source: ProblemSource;
  caseNo?: string;
  /** The case's county, or the reporter's when no case is named; absent: only the province sees it. */
  regionCode?: string;
  /** Who raised it (opaque applicant id), never shown to staff. */
  applicantId: string;
  category: ProblemCategory;
  text: string;
  score?: number;
  status: ProblemStatus;
  owner?: string;
  /** `YYYY-MM-DD`, PROBLEM_WORKING_DAYS working days after it was raised (China time). */
  deadline: string;
  fix?: string;
  training: boolean;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt?: Date;
}

const problemSchema = new Schema<ProblemItem>(
  {
    _id: { type: String, required: true },
    source: { type: String, required: true, enum: ['rating', 'report'] },
    caseNo: String,
    regionCode: String,
    applicantId: { type: String, required: true },
    category: { type: String, required: true },
    text: { type: String, required: true },
    score: Number,
    status: { type: String, required: true, enum: Object.keys(PROBLEM_STATUSES) },
    owner: String,
    deadline: { type: String, required: true },
    fix: String,
    training: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    resolvedAt: Date,
  },
  { collection: 'problems', versionKey: false },
);

export type ProblemModel = Model<ProblemItem>;

export function problemModel(db: Connection): ProblemModel {
  return (db.models.Problem as ProblemModel | undefined) ?? db.model<ProblemItem>('Problem', problemSchema);
}
