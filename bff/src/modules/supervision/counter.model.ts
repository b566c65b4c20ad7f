// Supervision counters (统计计数): one small document per county and month
// of submission, keyed `${month}|${county}` in `_id`, moved with `$inc`
// when a case changes. A dashboard reads these few documents, never the
// cases. Everything about a case counts in the month it was submitted, so
// its applications, outcomes and time to complete stay together.
import type { MatterId } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Channel } from '../applications/application.model';

export type MatterMetric = 'done' | 'awaitingPayment' | 'manual' | 'rejected';

/** Upper bounds of the time-to-complete buckets, in seconds; the last bucket is open. */
export const COMPLETION_BUCKETS_S: readonly number[] = [
  1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200, 14_400, 28_800, 86_400, 172_800, 259_200, 604_800,
  1_296_000, 2_592_000,
];

type PerChannel = Partial<Record<Channel, number>>;

export interface CounterDoc {
  _id: string;
  /** `YYYY-MM`, China time, of submission. */
  month: string;
  countyCode: string;
  cityCode: string;
  /** Cases submitted. */
  cases?: PerChannel;
  /** Cases completed (办结). */
  completed?: PerChannel;
  /** Cases with at least one matter in manual handling now. */
  manual?: PerChannel;
  /** Cases with at least one matter refused. */
  rejected?: PerChannel;
  /**
   * Per matter and channel: done (delivered), awaiting the citizen's payment now (待缴费: decided,
   * the first premium not paid), in manual handling now, refused.
   */
  matters?: Partial<Record<MatterId, Partial<Record<Channel, Partial<Record<MatterMetric, number>>>>>>;
  /** Time to complete: bucket index (COMPLETION_BUCKETS_S, then one open bucket) → count, per channel. */
  ttc?: Partial<Record<Channel, Record<string, number>>>;
  /** Ratings by score. */
  ratings?: Record<string, number>;
  /** Why matters went to manual handling or were refused → count. */
  failures?: Record<string, number>;
}

const counterSchema = new Schema<CounterDoc>(
  {
    _id: { type: String, required: true },
    month: { type: String, required: true },
    countyCode: { type: String, required: true },
    cityCode: { type: String, required: true },
    cases: Schema.Types.Mixed,
    completed: Schema.Types.Mixed,
    manual: Schema.Types.Mixed,
    rejected: Schema.Types.Mixed,
    matters: Schema.Types.Mixed,
    ttc: Schema.Types.Mixed,
    ratings: Schema.Types.Mixed,
    failures: Schema.Types.Mixed,
  },
  { collection: 'supervision_counters', versionKey: false, minimize: false },
);

export type CounterModel = Model<CounterDoc>;

export function counterModel(db: Connection): CounterModel {
  return (
    (db.models.SupervisionCounter as CounterModel | undefined) ??
    db.model<CounterDoc>('SupervisionCounter', counterSchema)
  );
}
