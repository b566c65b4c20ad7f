// 跟踪回访: after the engine delivers the card application and the archive
// transfer, HRSS goes on by itself (card made, posted, signed for; archive in
// transit, received). Now and then each open follow-up asks HRSS where its
// case's card and archive stand and adds a timeline entry — the citizen's
// in-app message — for each step reached since the last it told of.
//
// Like the engine it keeps nothing in memory: the follow-up document and the
// case are the truth, so any worker process may take any follow-up, and a
// crash at any instant is repaired by the next check. Two processes never
// both tell of a step: a follow-up is leased with one atomic update, and the
// timeline entry is only added if the case does not hold it yet.
import { randomUUID } from 'node:crypto';
import {
  HRSS_ARCHIVE_TRANSFER_QUERY_REPLY,
  HRSS_CARD_APPLICATION_QUERY_REPLY,
  TRACKING_STEPS,
  type TrackedMatter,
} from '@flexins/shared';
import { check, type Logger } from '@flexins/shared/server';
import type { Connection } from 'mongoose';
import type { Departments } from '../../departments';
import { inNewTrace } from '../../platform/trace';
import { caseModel, type ApplicationCase, type CaseEvent, type CaseModel } from '../applications/application.model';
import {
  FINAL_STEP,
  FOLLOWED_ITEMS,
  ITEM_MATTERS,
  announcementText,
  stepsToAnnounce,
  type AnnouncementFacts,
  type ItemProgress,
} from './announcements';
import { followUpModel, type FollowUp, type FollowUpModel } from './follow-up.model';

export interface FollowUpOptions {
  /** Time between two checks of one case (FOLLOW_UP_INTERVAL_MS). */
  intervalMs: number;
  /** Follow-ups checked at the same time in one process. */
  concurrency: number;
}

export const DEFAULT_FOLLOW_UP_OPTIONS: FollowUpOptions = { intervalMs: 6 * 60 * 60 * 1000, concurrency: 4 };

/**
 * A follow-up whose case is missing this long after it was opened is
 * dropped: its case was never stored (a crash, or the losing request of a
 * double tap) or was removed (training data cleared). Far longer than a
 * submission takes between writing the follow-up and the case.
 */
export const ORPHAN_AFTER_MS = 10 * 60 * 1000;

const DUPLICATE_KEY = 11000;

const REPLY_SCHEMAS: Record<TrackedMatter, object> = {
  card: HRSS_CARD_APPLICATION_QUERY_REPLY,
  archive: HRSS_ARCHIVE_TRANSFER_QUERY_REPLY,
};

/** What one check did. */
export type CheckOutcome =
  /** Something is still to come: checked again after an interval. */
  | { kind: 'open'; announced: string[] }
  /** Card signed for and archive received, or nothing (more) to follow: the follow-up is removed. */
  | { kind: 'finished'; announced: string[] }
  /** Its case is gone for good: the follow-up is removed. */
  | { kind: 'dropped' };

/** Where one item stands for this check. */
type ItemPlan =
  | { kind: 'done' }
  /** The matter is still with the engine or with staff: nothing to ask HRSS yet. */
  | { kind: 'wait' }
  | { kind: 'ask'; number: string };

function planItem(caseDoc: ApplicationCase, item: TrackedMatter, last: string | undefined): ItemPlan {
  if (last === FINAL_STEP[item]) return { kind: 'done' };
  const { matter, ref } = ITEM_MATTERS[item];
  const record = caseDoc.matters[matter];
  switch (record.state) {
    case 'delivered': {
      const number = record.refs?.[ref];
      // Settled offline by staff: HRSS has no process of ours to ask about.
      return number ? { kind: 'ask', number } : { kind: 'done' };
    }
    case 'notNeeded':
    case 'rejected':
      return { kind: 'done' };
    default:
      // Still being worked, or in manual handling, where a clerk's retry may yet bring an HRSS number.
      return { kind: 'wait' };
  }
}

export class FollowUpService {
  readonly model: FollowUpModel;
  private readonly cases: CaseModel;
  readonly options: FollowUpOptions;

  constructor(
    db: Connection,
    private readonly departments: Departments,
    private readonly log: Logger,
    options: Partial<FollowUpOptions> = {},
  ) {
    this.model = followUpModel(db);
    this.cases = caseModel(db);
    this.options = { ...DEFAULT_FOLLOW_UP_OPTIONS, ...options };
  }

  /** How often a worker looks for due follow-ups: every interval, and at least once a minute. */
  get sweepMs(): number {
    return Math.min(this.options.intervalMs, 60_000);
  }

  /**
   * Opens the follow-up of a case, first checked one interval from now.
   * Safe to repeat: an existing one is left as it is.
   */
  async open(caseNo: string, now: Date = new Date()): Promise<void> {
    const update = {
      $setOnInsert: { nextAt: new Date(now.getTime() + this.options.intervalMs), checks: 0, createdAt: now },
    };
    try {
      await this.model.updateOne({ _id: caseNo }, update, { upsert: true });
    } catch (err) {
      // Two upserts of a new one at once (MongoDB): the other made it.
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
    }
  }

  /** Takes the next due follow-up: pushing its time one interval on keeps every other process off it. */
  async lease(now: Date = new Date()): Promise<FollowUp | null> {
    return this.model
      .findOneAndUpdate(
        { nextAt: { $lte: now } },
        { $set: { nextAt: new Date(now.getTime() + this.options.intervalMs) }, $inc: { checks: 1 } },
        { sort: { nextAt: 1 }, new: true },
      )
      .lean<FollowUp>();
  }

  /** Follow-ups due now (for the metrics; the nextAt index counts them). */
  async dueCount(now: Date = new Date()): Promise<number> {
    return this.model.countDocuments({ nextAt: { $lte: now } });
  }

  /** Leases and checks due follow-ups, a few at once, until none is due or `keepGoing` says stop. */
  async runDue(keepGoing: () => boolean = () => true): Promise<number> {
    let checked = 0;
    const lane = async (): Promise<void> => {
      while (keepGoing()) {
        const followUp = await this.lease();
        if (!followUp) return;
        try {
          // Each check is a trace of its own (its HRSS calls and log lines carry it).
          const outcome = await inNewTrace(() => this.check(followUp));
          this.log.debug('follow-up checked', { caseNo: followUp._id, outcome: outcome.kind });
        } catch (err) {
          // The database or a bug: it is due again after an interval.
          this.log.error('follow-up check failed', { caseNo: followUp._id, err });
        }
        checked += 1;
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, lane));
    return checked;
  }

  /**
   * 1. read the case  2. per item: done, waiting, or ask HRSS  3. tell of each
   * new step, once  4. nothing left to follow: remove the follow-up.
   */
  async check(followUp: FollowUp, requestId = `follow-up-${randomUUID()}`): Promise<CheckOutcome> {
    const caseNo = followUp._id;
    const caseDoc = await this.cases.findById(caseNo).lean<ApplicationCase>();
    if (!caseDoc) {
      if (Date.now() - new Date(followUp.createdAt).getTime() < ORPHAN_AFTER_MS) return { kind: 'open', announced: [] };
      await this.model.deleteOne({ _id: caseNo });
      return { kind: 'dropped' };
    }

    const results = await Promise.all(
      FOLLOWED_ITEMS.map((item) => this.followItem(caseDoc, item, followUp.announced?.[item], requestId)),
    );
    const announced = results.flatMap((r) => r.announced);
    if (results.some((r) => r.open)) return { kind: 'open', announced };
    await this.model.deleteOne({ _id: caseNo });
    this.log.info('follow-up finished', { caseNo });
    return { kind: 'finished', announced };
  }

  /** One item of a case: asks HRSS if there is something to ask, tells of what is new. */
  private async followItem(
    caseDoc: ApplicationCase,
    item: TrackedMatter,
    last: string | undefined,
    requestId: string,
  ): Promise<{ open: boolean; announced: string[] }> {
    const plan = planItem(caseDoc, item, last);
    if (plan.kind !== 'ask') return { open: plan.kind === 'wait', announced: [] };
    const progress = await this.ask(caseDoc.caseNo, item, plan.number, requestId);
    if (!progress) return { open: true, announced: [] };

    const facts: AnnouncementFacts = {
      receivingCentre: caseDoc.matters.archiveTransfer.result?.receivingCentre as string | undefined,
    };
    const announced: string[] = [];
    let reached = last;
    for (const status of stepsToAnnounce(item, progress, last)) {
      const text = announcementText(item, status, progress, facts);
      if (!text) {
        // Not told out of order: this step and the ones after it wait for the next check.
        this.log.warn('follow-up step not yet told', { caseNo: caseDoc.caseNo, item, status });
        break;
      }
      // The posted card's entry carries its mail number for the SMS (notifications/messages.ts).
      const posted = item === 'card' && status === 'posted' && progress.trackingNo;
      const extra = posted ? { kind: 'cardPosted' as const, ref: progress.trackingNo! } : {};
      if (await this.announce(caseDoc.caseNo, item, status, text, extra)) announced.push(status);
      await this.remember(caseDoc.caseNo, item, status);
      reached = status;
    }
    return { open: reached !== FINAL_STEP[item], announced };
  }

  /** HRSS's answer for one item, checked against the contract; undefined (and a warning) when there is none. */
  private async ask(
    caseNo: string,
    item: TrackedMatter,
    number: string,
    requestId: string,
  ): Promise<ItemProgress | undefined> {
    const meta = { requestId };
    const result =
      item === 'card'
        ? await this.departments.hrss.cardProgress(number, meta)
        : await this.departments.hrss.archiveProgress(number, meta);
    if (result.kind === 'done' && check(REPLY_SCHEMAS[item], result.value).ok) return result.value;
    const reason =
      result.kind === 'failed'
        ? result.reason
        : result.kind === 'refused'
          ? `人社一体化系统答复 ${result.code}`
          : '人社一体化系统的答复不符合接口约定';
    // Asked again next interval; the case number and the reason only, never personal data.
    this.log.warn('follow-up: HRSS did not answer', { caseNo, item, reason });
    return undefined;
  }

  /**
   * Adds the entry to the case's timeline unless it is there already (a
   * repeat after a crash, or another process that got there first). A `$push`
   * of its own: the engine's writes to the same case (other matters) are not
   * disturbed, and no matter state or counter changes. Returns whether added.
   */
  private async announce(
    caseNo: string,
    item: TrackedMatter,
    status: string,
    text: string,
    extra: Pick<CaseEvent, 'kind' | 'ref'> = {},
  ): Promise<boolean> {
    const added = await this.cases.updateOne(
      // `$nor` rather than `$ne`: FerretDB matches a negated field of an array's documents only this way.
      { _id: caseNo, $nor: [{ 'events.text': text }] },
      { $push: { events: { at: new Date(), matter: ITEM_MATTERS[item].matter, text, ...extra } } },
    );
    if (added.modifiedCount !== 1) return false;
    this.log.info('follow-up announced', { caseNo, item, status });
    return true;
  }

  /** Notes the step as told; only ever forward, whatever another process noted meanwhile. */
  private async remember(caseNo: string, item: TrackedMatter, status: string): Promise<void> {
    const path = `announced.${item}`;
    const order: readonly string[] = TRACKING_STEPS[item];
    const earlier = order.slice(0, order.indexOf(status));
    await this.model.updateOne(
      { _id: caseNo, $or: [{ [path]: { $exists: false } }, { [path]: { $in: earlier } }] },
      { $set: { [path]: status } },
    );
  }
}
