// 每日汇总: for one day (China time), per region — cases received, done that
// day and done the same day they came in, matters sent to manual handling,
// refusals by reason, ratings. Made by the worker at DAILY_SUMMARY_AT for the
// day before, and kept for the dashboard (daily-summary.model.ts).
//
// One read of the cases touched since the day began (a case untouched since
// then has nothing in that day) makes every region's summary at once: the
// province, its cities and counties. Exactly once across worker processes:
// the day's run is claimed with one atomic upsert under a lease, and marked
// done only after every region's summary is written; a worker that dies
// mid-run leaves a lease that runs out, and the next look makes the day.
import { randomUUID } from 'node:crypto';
import {
  NINGXIA_CITIES,
  NINGXIA_PROVINCE_CODE,
  chinaToday,
  type DailySummaryFigures,
  type DailySummaryList,
  type DailySummaryView,
} from '@flexins/shared';
import type { Logger } from '@flexins/shared/server';
import type { Connection } from 'mongoose';
import type { StaffPrincipal } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import { caseModel, type ApplicationCase, type CaseModel, type Channel } from '../applications/application.model';
import { dailySummaryModel, type DailySummaryDoc, type DailySummaryModel } from './daily-summary.model';
import { reasonKey, regionNameOf, supervisedRegion } from './supervision.service';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DUPLICATE_KEY = 11000;

export interface DailySummaryOptions {
  /** `HH:MM`, China time: from then on, the day before is due (DAILY_SUMMARY_AT). */
  at: string;
  /** How long a run is its worker's before another may take it over. */
  leaseMs: number;
  /** Time between two looks of the worker. */
  pollMs: number;
  /** The clock (tests set it). */
  now: () => Date;
}

export const DEFAULT_DAILY_SUMMARY_OPTIONS: DailySummaryOptions = {
  at: '00:10',
  leaseMs: 10 * 60_000,
  pollMs: 60_000,
  now: () => new Date(),
};

/** Summaries the dashboard shows. */
export const SUMMARY_DAYS_SHOWN = 7;
/** How far back a supervisor may have a day made again. */
export const RECOMPUTE_DAYS_BACK = 366;

/** A day made again while it is being made waits this long at most (40 × 250 ms) for the other run. */
const RECOMPUTE_WAITS = 40;
const RECOMPUTE_WAIT_MS = 250;

/** Midnight at the start of a China date, and of the next. */
export function dayBounds(date: string): { start: Date; end: Date } {
  const start = new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS);
  return { start, end: new Date(start.getTime() + DAY_MS) };
}

/** The China date `days` after `date` (negative: before). */
export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The latest day whose summary is due at `now`: yesterday once `at` has passed today (China time), else the day before. */
export function dueDate(now: Date, at: string): string {
  const today = chinaToday(now);
  const clock = new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(11, 16);
  return shiftDate(today, clock >= at ? -1 : -2);
}

function emptyFigures(): DailySummaryFigures {
  return {
    received: 0,
    receivedByChannel: { app: 0, window: 0 },
    completed: 0,
    completedSameDay: 0,
    manual: 0,
    refused: 0,
    refusalsByReason: [],
    ratings: { count: 0, average: null, byScore: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 }, bad: 0 },
  };
}

/** A region's figures while the cases are read: the reasons as a map until the end. */
interface Tally {
  figures: DailySummaryFigures;
  reasons: Map<string, number>;
  scoreSum: number;
}

type CaseFacts = Pick<
  ApplicationCase,
  'regionCode' | 'cityCode' | 'channel' | 'createdAt' | 'completedAt' | 'rating' | 'events' | 'matters'
>;

/** Every region a summary is kept for: the province, its cities and their counties. */
function allRegions(): string[] {
  return [NINGXIA_PROVINCE_CODE, ...NINGXIA_CITIES.flatMap((c) => [c.code, ...c.counties.map((k) => k.code)])];
}

export type RunOutcome = { date: string; made: true; holder: string } | { date: string; made: false };

export class DailySummaryService {
  readonly summaries: DailySummaryModel;
  private readonly cases: CaseModel;
  readonly options: DailySummaryOptions;
  /** This process's name as a run's holder. */
  readonly holder = `worker-${randomUUID()}`;

  constructor(
    db: Connection,
    private readonly log: Logger,
    options: Partial<DailySummaryOptions> = {},
  ) {
    this.summaries = dailySummaryModel(db);
    this.cases = caseModel(db);
    this.options = { ...DEFAULT_DAILY_SUMMARY_OPTIONS, ...options };
  }

  /**
   * The worker's look: one day made, unless it is made already or being made.
   * The latest due day when it is made or nothing of the shown days is; else
   * the oldest day not made after the latest made one, so days missed while
   * no worker ran are caught up, oldest first, one a look.
   */
  async runDue(): Promise<RunOutcome> {
    const due = dueDate(this.options.now(), this.options.at);
    const province = await this.summaries.findById(`${NINGXIA_PROVINCE_CODE}:${due}`, { run: 1 }).lean();
    if (province?.run?.state === 'done') return { date: due, made: false };
    const date = await this.oldestMissed(due);
    if (!(await this.claim(date, this.holder, false))) return { date, made: false };
    await this.make(date, this.holder, 'worker');
    this.log.info('daily summary made', { date });
    return { date, made: true, holder: this.holder };
  }

  /** The day after the latest made one of the shown days up to `due`; `due` when none of them is made. */
  private async oldestMissed(due: string): Promise<string> {
    const days = Array.from({ length: SUMMARY_DAYS_SHOWN - 1 }, (_, i) => shiftDate(due, -(i + 1)));
    const made = await this.summaries
      .find({ _id: { $in: days.map((d) => `${NINGXIA_PROVINCE_CODE}:${d}`) }, 'run.state': 'done' }, { date: 1 })
      .lean<{ date: string }[]>();
    if (made.length === 0) return due;
    const latest = made.map((m) => m.date).sort()[made.length - 1]!;
    return shiftDate(latest, 1);
  }

  /**
   * Takes the day's run for `holder`: one upsert of the province's document,
   * matching only a run not done (or, `again`, done too) whose lease is not
   * held. A document there that does not match makes the upsert's insert
   * fail on its `_id`: someone else has the run.
   */
  private async claim(date: string, holder: string, again: boolean): Promise<boolean> {
    const now = this.options.now();
    const free = [{ 'run.leaseUntil': { $exists: false } }, { 'run.leaseUntil': { $lt: now } }];
    try {
      const result = await this.summaries.updateOne(
        {
          _id: `${NINGXIA_PROVINCE_CODE}:${date}`,
          ...(again ? { $or: [{ 'run.state': 'done' }, ...free] } : { 'run.state': { $ne: 'done' }, $or: free }),
        },
        {
          $set: {
            'run.state': 'running',
            'run.holder': holder,
            'run.leaseUntil': new Date(now.getTime() + this.options.leaseMs),
          },
          $inc: { 'run.runs': 1 },
          $setOnInsert: { regionCode: NINGXIA_PROVINCE_CODE, date },
        },
        { upsert: true },
      );
      return result.modifiedCount + result.upsertedCount === 1;
    } catch (err) {
      if ((err as { code?: number }).code === DUPLICATE_KEY) return false;
      throw err;
    }
  }

  /** Reads the day's cases and writes every region's summary, the province's last (with the run done). */
  private async make(date: string, holder: string, producedBy: string): Promise<void> {
    const figures = await this.compute(date);
    const producedAt = this.options.now();
    const others = [...figures.entries()].filter(([code]) => code !== NINGXIA_PROVINCE_CODE);
    await this.summaries.bulkWrite(
      others.map(([regionCode, f]) => ({
        updateOne: {
          filter: { _id: `${regionCode}:${date}` },
          update: { $set: { regionCode, date, figures: f, producedAt, producedBy } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    // Only while the run is still ours: a worker whose lease ran out leaves the day to the one that took it.
    await this.summaries.updateOne(
      { _id: `${NINGXIA_PROVINCE_CODE}:${date}`, 'run.holder': holder },
      {
        $set: {
          figures: figures.get(NINGXIA_PROVINCE_CODE),
          producedAt,
          producedBy,
          'run.state': 'done',
        },
      },
    );
  }

  /** Every region's figures for the day, from the cases touched since it began (training cases left out). */
  async compute(date: string): Promise<Map<string, DailySummaryFigures>> {
    const { start, end } = dayBounds(date);
    const within = (at: Date | string | undefined) => {
      if (!at) return false;
      const t = new Date(at).getTime();
      return t >= start.getTime() && t < end.getTime();
    };
    const tallies = new Map<string, Tally>(
      allRegions().map((code) => [code, { figures: emptyFigures(), reasons: new Map(), scoreSum: 0 }]),
    );
    const tallyOf = (code: string) => {
      if (!tallies.has(code)) tallies.set(code, { figures: emptyFigures(), reasons: new Map(), scoreSum: 0 });
      return tallies.get(code)!;
    };
    const cursor = this.cases
      .find(
        { training: { $ne: true }, updatedAt: { $gte: start } },
        {
          regionCode: 1,
          cityCode: 1,
          channel: 1,
          createdAt: 1,
          completedAt: 1,
          rating: 1,
          events: 1,
          matters: 1,
        },
      )
      .lean<CaseFacts>()
      .cursor();
    for await (const c of cursor) {
      const regions = [...new Set([NINGXIA_PROVINCE_CODE, c.cityCode ?? c.regionCode.slice(0, 4), c.regionCode])];
      const received = within(c.createdAt);
      const completed = within(c.completedAt);
      const rated = c.rating && within(c.rating.ratedAt) ? c.rating.score : undefined;
      const manual = (c.events ?? []).filter((e) => e.state === 'manual' && within(e.at)).length;
      const refusals = (c.events ?? [])
        .filter((e) => e.state === 'rejected' && e.matter && within(e.at))
        .map((e) => {
          const record = c.matters?.[e.matter!];
          return reasonKey(record?.cause ?? record?.lastError ?? '');
        });
      if (!received && !completed && rated === undefined && manual === 0 && refusals.length === 0) continue;
      for (const code of regions) {
        const tally = tallyOf(code);
        const f = tally.figures;
        if (received) {
          f.received += 1;
          f.receivedByChannel[c.channel as Channel] += 1;
          if (completed) f.completedSameDay += 1;
        }
        if (completed) f.completed += 1;
        f.manual += manual;
        f.refused += refusals.length;
        for (const reason of refusals) tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
        if (rated !== undefined) {
          const score = String(rated) as keyof DailySummaryFigures['ratings']['byScore'];
          if (score in f.ratings.byScore) {
            f.ratings.byScore[score] += 1;
            f.ratings.count += 1;
            tally.scoreSum += rated;
            if (rated <= 2) f.ratings.bad += 1;
          }
        }
      }
    }
    return new Map(
      [...tallies.entries()].map(([code, { figures, reasons, scoreSum }]) => [
        code,
        {
          ...figures,
          refusalsByReason: [...reasons.entries()]
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .map(([reason, count]) => ({ reason, count })),
          ratings: {
            ...figures.ratings,
            average: figures.ratings.count ? Math.round((scoreSum / figures.ratings.count) * 100) / 100 : null,
          },
        },
      ]),
    );
  }

  /** A supervisor has a past day made again (after a correction, or a day the worker missed). */
  async recompute(staff: Pick<StaffPrincipal, 'staffId' | 'regionCode'>, date: string): Promise<DailySummaryView> {
    const today = chinaToday(this.options.now());
    if (shiftDate(date, 0) !== date) throw new AppError('VALIDATION_FAILED', undefined, { date: '日期：没有这一天' });
    if (date >= today) {
      throw new AppError('VALIDATION_FAILED', undefined, { date: '日期：只能重新生成今天以前的汇总' });
    }
    if (date < shiftDate(today, -RECOMPUTE_DAYS_BACK)) {
      throw new AppError('VALIDATION_FAILED', undefined, {
        date: `日期：只能重新生成 ${RECOMPUTE_DAYS_BACK} 天以内的汇总`,
      });
    }
    const holder = `${staff.staffId}-${randomUUID()}`;
    // Being made just now (the worker, or another supervisor's request): made again once that is done.
    let claimed = await this.claim(date, holder, true);
    for (let wait = 0; !claimed && wait < RECOMPUTE_WAITS; wait++) {
      await new Promise((resolve) => setTimeout(resolve, RECOMPUTE_WAIT_MS));
      claimed = await this.claim(date, holder, true);
    }
    if (!claimed) throw new AppError('SERVICE_UNAVAILABLE', '这一天的汇总正在生成，请稍后再看');
    await this.make(date, holder, staff.staffId);
    const made = await this.summaries.findById(`${staff.regionCode}:${date}`).lean<DailySummaryDoc>();
    return toView(made!);
  }

  /** The last days' summaries of the supervisor's region (or one under it), newest first. */
  async list(staff: Pick<StaffPrincipal, 'regionCode'>, asked: string | undefined): Promise<DailySummaryList> {
    const regionCode = supervisedRegion(staff, asked, '只能查看本人所属地区的每日汇总');
    const found = await this.summaries
      .find({ regionCode, producedAt: { $exists: true } })
      .sort({ date: -1 })
      .limit(SUMMARY_DAYS_SHOWN)
      .lean<DailySummaryDoc[]>();
    return { summaries: found.filter((d) => d.figures).map(toView), scheduledAt: this.options.at };
  }
}

function toView(doc: DailySummaryDoc): DailySummaryView {
  return {
    regionCode: doc.regionCode,
    regionName: regionNameOf(doc.regionCode),
    date: doc.date,
    ...doc.figures!,
    producedAt: new Date(doc.producedAt!).toISOString(),
    producedBy: doc.producedBy ?? 'worker',
  };
}
