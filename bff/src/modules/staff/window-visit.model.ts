// A window visit (窗口受理): the clerk, the citizen in front of them (as an
// opaque applicant id) and whether it is practice, for two hours. Expired
// visits are refused when used; nothing else reads them.
import { Schema, type Connection, type Model } from 'mongoose';

export interface WindowVisit {
  _id: string;
  clerkId: string;
  applicantId: string;
  training: boolean;
  /** The clerk's region, so a supervisor clears the training visits of their own region only (absent on older visits). */
  regionCode?: string;
  createdAt: Date;
  expiresAt: Date;
}

const visitSchema = new Schema<WindowVisit>(
  {
    _id: { type: String, required: true },
    clerkId: { type: String, required: true },
    applicantId: { type: String, required: true },
    training: { type: Boolean, required: true },
    regionCode: String,
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'window_visits', versionKey: false },
);

export type WindowVisitModel = Model<WindowVisit>;

export function windowVisitModel(db: Connection): WindowVisitModel {
  return (db.models.WindowVisit as WindowVisitModel | undefined) ?? db.model<WindowVisit>('WindowVisit', visitSchema);
}
