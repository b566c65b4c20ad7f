// Supervision (监督): counters moved when a case changes, and the dashboard
// read from them — by city and county, by matter and by channel: cases,
// completed, awaiting the first premium (待缴费), in manual handling, refused; time to complete (median and 95th
// percentile from a histogram); the commonest failure reasons; ratings and
// the follow-ups of bad ones. Training cases are never counted.
import {
  MATTERS,
  NINGXIA_CITIES,
  chinaToday,
  cityOf,
  countyName,
  describeRegion,
  type Dashboard,
  type DashboardFigures,
  type MatterFigures,
  type MatterId,
  type MatterState,
} from '@flexins/shared';
import type { Connection } from 'mongoose';
import type { StaffPrincipal } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import { GroupCommit } from '../../platform/group-commit';
import type { CaseFigures } from '../../platform/metrics';
import type { ApplicationCase, Channel } from '../applications/application.model';
import type { ApplicationListener, RatingRecord } from '../applications/application.service';
import type { CaseListener, MatterStateChange } from '../processing/engine';
import type { ProblemService } from '../problems/problem.service';
import { COMPLETION_BUCKETS_S, counterModel, type CounterDoc, type CounterModel } from './counter.model';

const CHANNELS: readonly Channel[] = ['app', 'window'];
const CHANNEL_LABELS: Record<Channel, string> = { app: '“我的宁夏”网上办', window: '窗口受理' };
/** Decided is not done: the premium is assessed, the citizen has still to pay it (待缴费). */
const AWAITING_PAYMENT: MatterState = 'decided';
const MAX_REASON_LENGTH = 80;

type Inc = Record<string, number>;

/** Counts for one county-and-month document. */
interface Bump {
  _id: string;
  month: string;
  countyCode: string;
  cityCode: string;
  inc: Inc;
}

/** A map key for a reason: no `.` or leading `$` (they mean paths to the database). */
export function reasonKey(reason: string): string {
  const cleaned = reason.replace(/[.$]/g, '·').replace(/\s+/g, ' ').trim().slice(0, MAX_REASON_LENGTH);
  return cleaned || '未说明原因';
}

export function bucketOf(seconds: number): number {
  const index = COMPLETION_BUCKETS_S.findIndex((upTo) => seconds <= upTo);
  return index === -1 ? COMPLETION_BUCKETS_S.length : index;
}

/** The q-quantile of a histogram, interpolated inside its bucket; null when empty. */
export function quantileOf(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const target = q * total;
  let before = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i] ?? 0;
    if (count > 0 && before + count >= target) {
      const lower = i === 0 ? 0 : COMPLETION_BUCKETS_S[i - 1]!;
      const upper = COMPLETION_BUCKETS_S[i];
      if (upper === undefined) return lower;
      return Math.round((lower + ((upper - lower) * (target - before)) / count) * 10) / 10;
    }
    before += count;
  }
  return COMPLETION_BUCKETS_S[COMPLETION_BUCKETS_S.length - 1]!;
}

const stateCount = (caseDoc: ApplicationCase, state: MatterState) =>
  MATTERS.filter((m) => caseDoc.matters[m.id]?.state === state).length;

/**
 * The region a supervisor asks about: their own by default, or one under it;
 * anything else is refused (`refusal` says what they may not do there).
 */
export function supervisedRegion(
  staff: Pick<StaffPrincipal, 'regionCode'>,
  asked: string | undefined,
  refusal: string,
): string {
  const regionCode = asked ?? staff.regionCode;
  if (!regionCode.startsWith(staff.regionCode)) throw new AppError('FORBIDDEN', refusal);
  return regionCode;
}

/** A region's name: the province, a city, or a county with its city. */
export function regionNameOf(code: string): string {
  return code === '64'
    ? '宁夏回族自治区'
    : code.length === 4
      ? (NINGXIA_CITIES.find((c) => c.code === code)?.name ?? code)
      : (describeRegion(code) ?? countyName(code) ?? code);
}

export interface DashboardQuery {
  regionCode?: string;
  from?: string;
  to?: string;
}

const zero = (): DashboardFigures => ({ applications: 0, completed: 0, manual: 0, rejected: 0, awaitingPayment: 0 });

function figuresOf(doc: CounterDoc, channel: Channel): DashboardFigures {
  return {
    applications: doc.cases?.[channel] ?? 0,
    completed: doc.completed?.[channel] ?? 0,
    manual: doc.manual?.[channel] ?? 0,
    rejected: doc.rejected?.[channel] ?? 0,
    // A case has one premium declaration: its 待缴费 count is the case's.
    awaitingPayment: doc.matters?.premiumDeclaration?.[channel]?.awaitingPayment ?? 0,
  };
}

function add(into: DashboardFigures, more: DashboardFigures): void {
  into.applications += more.applications;
  into.completed += more.completed;
  into.manual += more.manual;
  into.rejected += more.rejected;
  into.awaitingPayment += more.awaitingPayment;
}

export class SupervisionService implements CaseListener, ApplicationListener {
  readonly counters: CounterModel;

  constructor(
    db: Connection,
    private readonly problems: ProblemService,
  ) {
    this.counters = counterModel(db);
  }

  /**
   * One `$inc` on the case's county-and-month document (created on first use); the counts asked for
   * while one is being written go together in the next, one `$inc` per document (group-commit.ts).
   */
  private async bump(caseDoc: ApplicationCase, inc: Inc): Promise<void> {
    if (caseDoc.training || Object.keys(inc).length === 0) return;
    const month = chinaToday(new Date(caseDoc.createdAt)).slice(0, 7);
    const countyCode = caseDoc.regionCode;
    const cityCode = caseDoc.cityCode ?? cityOf(countyCode)?.code ?? countyCode.slice(0, 4);
    await this.bumps.add({ _id: `${month}|${countyCode}`, month, countyCode, cityCode, inc });
  }

  private readonly bumps = new GroupCommit<Bump, void>(async (bumps) => {
    const byDocument = new Map<string, Bump>();
    for (const bump of bumps) {
      const into = byDocument.get(bump._id);
      if (!into) byDocument.set(bump._id, { ...bump, inc: { ...bump.inc } });
      else for (const [key, n] of Object.entries(bump.inc)) into.inc[key] = (into.inc[key] ?? 0) + n;
    }
    await Promise.all([...byDocument.values()].map((bump) => this.write(bump)));
    return bumps.map(() => undefined);
  });

  private async write({ _id, month, countyCode, cityCode, inc }: Bump): Promise<void> {
    const update = { $inc: inc, $setOnInsert: { month, countyCode, cityCode } };
    try {
      await this.counters.updateOne({ _id }, update, { upsert: true });
    } catch (err) {
      // Two first counts of a county in a month at once: the document exists now.
      if ((err as { code?: number }).code !== 11000) throw err;
      await this.counters.updateOne({ _id }, update, { upsert: true });
    }
  }

  async caseCreated(caseDoc: ApplicationCase): Promise<void> {
    await this.bump(caseDoc, { [`cases.${caseDoc.channel}`]: 1 });
  }

  /**
   * All the matter changes of one run of the case, and the case itself when the run is its first
   * (`created`: the engine counts a case with its first run): one `$inc` for them together.
   */
  async mattersChanged(
    caseDoc: ApplicationCase,
    changes: readonly MatterStateChange[],
    created = false,
  ): Promise<void> {
    const ch = caseDoc.channel;
    const inc: Inc = {};
    const plus = (key: string) => {
      inc[key] = (inc[key] ?? 0) + 1;
    };
    if (created) plus(`cases.${ch}`);
    for (const { matter, state } of changes) {
      const record = caseDoc.matters[matter];
      if (state === 'delivered') plus(`matters.${matter}.${ch}.done`);
      else if (state === AWAITING_PAYMENT) plus(`matters.${matter}.${ch}.awaitingPayment`);
      else if (state === 'manual') {
        plus(`matters.${matter}.${ch}.manual`);
        plus(`failures.${reasonKey(record?.lastError ?? record?.cause ?? '')}`);
      } else if (state === 'rejected') {
        plus(`matters.${matter}.${ch}.rejected`);
        plus(`failures.${reasonKey(record?.cause ?? record?.lastError ?? '')}`);
      }
    }
    // A case counts once as "in manual handling" (or "with a refusal"): when its first matter gets there.
    for (const state of ['manual', 'rejected'] as const) {
      const entered = changes.filter((c) => c.state === state).length;
      const now = stateCount(caseDoc, state);
      if (entered > 0 && now - entered === 0) plus(`${state}.${ch}`);
    }
    await this.bump(caseDoc, inc);
  }

  /**
   * A matter left manual handling (a retry or a settlement, both staff
   * actions, the only ways out): `caseDoc` as written after the change. What
   * it became is counted by mattersChanged, like any change.
   */
  async leftManual(caseDoc: ApplicationCase, matter: MatterId): Promise<void> {
    const ch = caseDoc.channel;
    const inc: Inc = { [`matters.${matter}.${ch}.manual`]: -1 };
    if (stateCount(caseDoc, 'manual') === 0) inc[`manual.${ch}`] = -1;
    await this.bump(caseDoc, inc);
  }

  /** Paid after it was decided (the only way out of it): 待缴费 becomes done. */
  async premiumPaid(caseDoc: ApplicationCase): Promise<void> {
    const key = `matters.premiumDeclaration.${caseDoc.channel}`;
    await this.bump(caseDoc, { [`${key}.awaitingPayment`]: -1, [`${key}.done`]: 1 });
  }

  async caseCompleted(caseDoc: ApplicationCase): Promise<void> {
    const completedAt = caseDoc.completedAt ? new Date(caseDoc.completedAt) : new Date();
    const seconds = Math.max(0, (completedAt.getTime() - new Date(caseDoc.createdAt).getTime()) / 1000);
    await this.bump(caseDoc, {
      [`completed.${caseDoc.channel}`]: 1,
      [`ttc.${caseDoc.channel}.${bucketOf(seconds)}`]: 1,
    });
  }

  async caseRated(caseDoc: ApplicationCase, rating: RatingRecord): Promise<void> {
    await this.bump(caseDoc, { [`ratings.${rating.score}`]: 1 });
  }

  /**
   * Cases by state and channel over all months and regions, for the metrics:
   * from the counters (a few small documents a month), never the cases.
   * Processing is submitted less completed less awaiting the first premium.
   */
  async caseFigures(): Promise<CaseFigures[]> {
    const docs = await this.counters
      .find({}, { cases: 1, completed: 1, manual: 1, rejected: 1, 'matters.premiumDeclaration': 1 })
      .lean<CounterDoc[]>();
    return CHANNELS.map((channel) => {
      const sum = { cases: 0, completed: 0, awaitingPayment: 0, manual: 0, rejected: 0 };
      for (const doc of docs) {
        const figures = figuresOf(doc, channel);
        sum.cases += figures.applications;
        sum.completed += figures.completed;
        sum.awaitingPayment += figures.awaitingPayment;
        sum.manual += figures.manual;
        sum.rejected += figures.rejected;
      }
      return {
        channel,
        processing: Math.max(0, sum.cases - sum.completed - sum.awaitingPayment),
        awaitingPayment: sum.awaitingPayment,
        completed: sum.completed,
        manual: sum.manual,
        rejected: sum.rejected,
      };
    });
  }

  /** The counters of a region (the supervisor's own or one under it) and months. */
  private async countersOf(
    staff: Pick<StaffPrincipal, 'regionCode'>,
    query: DashboardQuery,
  ): Promise<{ regionCode: string; docs: CounterDoc[] }> {
    const regionCode = supervisedRegion(staff, query.regionCode, '只能查看本人所属地区的统计');
    const month: Record<string, string> = {};
    if (query.from) month.$gte = query.from;
    if (query.to) month.$lte = query.to;
    // The counters are a few dozen small documents a month: read and add up here.
    const docs = (await this.counters.find(Object.keys(month).length ? { month } : {}).lean<CounterDoc[]>()).filter(
      (d) => d.countyCode.startsWith(regionCode),
    );
    return { regionCode, docs };
  }

  /** The dashboard's figures by month of submission (the exports' 各月 sheet), oldest first. */
  async byMonth(
    staff: Pick<StaffPrincipal, 'regionCode'>,
    query: DashboardQuery,
  ): Promise<(DashboardFigures & { month: string })[]> {
    const { docs } = await this.countersOf(staff, query);
    const months = new Map<string, DashboardFigures>();
    for (const doc of docs) {
      if (!months.has(doc.month)) months.set(doc.month, zero());
      for (const channel of CHANNELS) add(months.get(doc.month)!, figuresOf(doc, channel));
    }
    return [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, f]) => ({ month, ...f }));
  }

  async dashboard(staff: StaffPrincipal, query: DashboardQuery): Promise<Dashboard> {
    const { regionCode, docs } = await this.countersOf(staff, query);

    const totals = zero();
    const byChannel = Object.fromEntries(CHANNELS.map((c) => [c, zero()])) as Record<Channel, DashboardFigures>;
    const byRegion = new Map<string, DashboardFigures>();
    const childOf = (doc: CounterDoc) => (regionCode.length === 2 ? doc.cityCode : doc.countyCode);
    const matterFigures = Object.fromEntries(
      MATTERS.map((m) => [
        m.id,
        Object.fromEntries(CHANNELS.map((c) => [c, { done: 0, awaitingPayment: 0, manual: 0, rejected: 0 }])) as Record<
          Channel,
          MatterFigures
        >,
      ]),
    ) as Record<MatterId, Record<Channel, MatterFigures>>;
    const histogram = new Array<number>(COMPLETION_BUCKETS_S.length + 1).fill(0);
    const failures = new Map<string, number>();
    const scores = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };

    for (const doc of docs) {
      for (const channel of CHANNELS) {
        const figures = figuresOf(doc, channel);
        add(totals, figures);
        add(byChannel[channel], figures);
        const child = childOf(doc);
        if (!byRegion.has(child)) byRegion.set(child, zero());
        add(byRegion.get(child)!, figures);
        for (const { id } of MATTERS) {
          const counted = doc.matters?.[id]?.[channel];
          const into = matterFigures[id][channel];
          into.done += counted?.done ?? 0;
          into.awaitingPayment += counted?.awaitingPayment ?? 0;
          into.manual += counted?.manual ?? 0;
          into.rejected += counted?.rejected ?? 0;
        }
        for (const [bucket, count] of Object.entries(doc.ttc?.[channel] ?? {})) {
          histogram[Number(bucket)] = (histogram[Number(bucket)] ?? 0) + count;
        }
      }
      for (const [reason, count] of Object.entries(doc.failures ?? {})) {
        failures.set(reason, (failures.get(reason) ?? 0) + count);
      }
      for (const score of Object.keys(scores) as (keyof typeof scores)[]) scores[score] += doc.ratings?.[score] ?? 0;
    }

    const ratingCount = Object.values(scores).reduce((a, b) => a + b, 0);
    const ratingSum = Object.entries(scores).reduce((a, [score, n]) => a + Number(score) * n, 0);
    const followUps = await this.problems.followUps({ regionCode, training: staff.training }, 20);
    const regionName = regionNameOf;

    return {
      regionCode,
      regionName: regionName(regionCode),
      from: query.from ?? null,
      to: query.to ?? null,
      totals,
      byChannel: CHANNELS.map((channel) => ({ channel, label: CHANNEL_LABELS[channel], ...byChannel[channel] })),
      byRegion: [...byRegion.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, figures]) => ({ regionCode: code, regionName: regionName(code), ...figures })),
      byMatter: MATTERS.map((m) => {
        const per = matterFigures[m.id];
        return {
          matter: m.id,
          name: m.name,
          done: per.app.done + per.window.done,
          awaitingPayment: per.app.awaitingPayment + per.window.awaitingPayment,
          manual: per.app.manual + per.window.manual,
          rejected: per.app.rejected + per.window.rejected,
          byChannel: per,
        };
      }),
      timeToComplete: {
        completed: histogram.reduce((a, b) => a + b, 0),
        medianSeconds: quantileOf(histogram, 0.5),
        p95Seconds: quantileOf(histogram, 0.95),
        buckets: histogram.map((count, i) => ({ upToSeconds: COMPLETION_BUCKETS_S[i] ?? null, count })),
      },
      failureReasons: [...failures.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 10)
        .map(([reason, count]) => ({ reason, count })),
      ratings: {
        count: ratingCount,
        average: ratingCount ? Math.round((ratingSum / ratingCount) * 100) / 100 : null,
        byScore: scores,
        bad: scores['1'] + scores['2'],
      },
      followUps,
    };
  }
}
