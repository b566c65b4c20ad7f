// The daily summaries (每日汇总): one document per region and day, keyed
// `${regionCode}:${date}` in `_id` (date `YYYY-MM-DD`, China time) — the
// province (64), each city and each county, made together from one read of
// the cases. The province's document of a day is also the day's run: the
// worker that claims it (an atomic upsert under a lease) makes the day, and
// it is marked done last, so a day is made once however many workers look.
import type { DailySummaryFigures } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

export interface DailySummaryDoc {
  _id: string;
  regionCode: string;
  date: string;
  /** Only on the province's document: the run of the day. */
  run?: {
    state: 'running' | 'done';
    /** Who holds the run (a worker's id) and until when. */
    holder: string;
    leaseUntil: Date;
    runs: number;
  };
  figures?: DailySummaryFigures;
  producedAt?: Date;
  /** `worker`, or the staff id of a supervisor who had the day made again. */
  producedBy?: string;
}

const dailySummarySchema = new Schema<DailySummaryDoc>(
  {
    _id: { type: String, required: true },
    regionCode: { type: String, required: true },
    date: { type: String, required: true },
    run: Schema.Types.Mixed,
    figures: Schema.Types.Mixed,
    producedAt: Date,
    producedBy: String,
  },
  { collection: 'daily_summaries', versionKey: false, minimize: false },
);
dailySummarySchema.index({ regionCode: 1, date: -1 });

export type DailySummaryModel = Model<DailySummaryDoc>;

export function dailySummaryModel(db: Connection): DailySummaryModel {
  return (
    (db.models.DailySummary as DailySummaryModel | undefined) ??
    db.model<DailySummaryDoc>('DailySummary', dailySummarySchema)
  );
}
