// Progress that moves on over time (档案转递、制卡邮寄): the state is worked
// out from the time since acceptance and a step duration from the options
// (SIM_OPT_ARCHIVE_STEP_MS, SIM_OPT_CARD_STEP_MS), and saved when read.
import type { Model } from 'mongoose';
import type { ProgressEntry } from './models';

export const STEP_OPTIONS = {
  ARCHIVE_STEP_MS: 20_000,
  CARD_STEP_MS: 30_000,
} as const;

export type StepOption = keyof typeof STEP_OPTIONS;

/** The step duration in ms; throws (with the variable's name) on a value that is not a whole number. */
export function stepMs(options: Record<string, string>, name: StepOption): number {
  const raw = options[name];
  if (raw === undefined || raw === '') return STEP_OPTIONS[name];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`SIM_OPT_${name} 必须是不小于 0 的整数（毫秒），现在是 "${raw}"`);
  }
  return value;
}

/** Where a process of `steps` stands at `now`, with when each reached step was reached. */
export function progressAt<S extends string>(
  steps: readonly S[],
  startedAt: Date,
  step: number,
  now: Date,
): { status: S; history: ProgressEntry<S>[] } {
  const last = steps.length - 1;
  const elapsed = Math.max(0, now.getTime() - startedAt.getTime());
  const reached = step <= 0 ? last : Math.min(last, Math.floor(elapsed / step));
  const history = steps.slice(0, reached + 1).map((status, i) => ({
    status,
    at: new Date(startedAt.getTime() + i * step),
  }));
  return { status: steps[reached]!, history };
}

interface Progressing<S extends string> {
  status: S;
  history: ProgressEntry<S>[];
}

/**
 * Saves the state `now` implies, if it moved on. The update is conditional
 * on the state read, so concurrent readers settle on one writer (and one
 * tracking number); everyone then reads the saved record back.
 */
export async function advance<S extends string, R extends Progressing<S>>(
  model: Model<R>,
  record: R & { _id: unknown },
  target: { status: S; history: ProgressEntry<S>[] },
  extra: (status: S, record: R) => Record<string, unknown> = () => ({}),
): Promise<R> {
  if (target.status === record.status) return record;
  await model.updateOne(
    { _id: record._id, status: record.status } as never,
    {
      $set: { status: target.status, history: target.history, ...extra(target.status, record) },
    } as never,
  );
  return ((await model.findById(record._id).lean()) as R | null) ?? record;
}
