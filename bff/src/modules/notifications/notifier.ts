// The notifier: sends each case's new timeline entries out as messages
// (SMS, host-app subscription message), exactly once whatever fails.
//
// 1. Cases marked due (case-hook.ts) are found with a plain read, then each
//    is leased by `_id` with one atomic findOneAndUpdate (a token and an
//    expiry), so two processes never work one case at once and a crashed
//    one's case is taken again when its lease runs out.
// 2. Each new entry that makes a message is sent on each channel the citizen
//    has on, under the key `caseNo:eventIndex:channel`. The gateway sends a
//    key once, so a crash after sending and before recording, or a lost
//    reply, sends it again harmlessly.
// 3. Progress is recorded with a compare-and-set on the case's entry count:
//    entries added meanwhile keep the case due.
// The gateway down (or its breaker open) holds the case back with a growing
// delay; quiet hours (22:00–08:00 China time) hold non-urgent messages until
// 08:00. Nothing is lost, nothing doubled.
import { randomUUID } from 'node:crypto';
import {
  consentCovers,
  pickForDepartment,
  quietHoursEnd,
  type ApplicationData,
  type NotifyChannel,
  type QuietHours,
} from '@flexins/shared';
import type { Logger } from '@flexins/shared/server';
import type { Connection } from 'mongoose';
import type { Departments } from '../../departments';
import type { DepartmentBreaker } from '../../departments/resilience';
import type { MessageFigures } from '../../platform/metrics';
import { inNewTrace } from '../../platform/trace';
import { caseModel, type ApplicationCase, type CaseModel } from '../applications/application.model';
import { applicantModel, type ApplicantModel } from '../citizens/applicant.model';
import { channelsOn } from '../citizens/notification-settings';
import type { NotifyFields } from './case-hook';
import { smsChannel, subscriptionChannel, type NotificationChannel, type OutgoingMessage } from './channels';
import { messageFor } from './messages';

export interface NotifierOptions {
  /** How long a leased case is this process's. */
  leaseMs: number;
  /** Cases looked at per sweep. */
  batch: number;
  /** Cases sent at the same time. */
  concurrency: number;
  /** Quiet hours, China time; null: none. */
  quietHours: QuietHours | null;
  /** First delay after the gateway failed; doubles up to maxBackoffMs. */
  retryBaseMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_NOTIFIER_OPTIONS: NotifierOptions = {
  leaseMs: 30_000,
  batch: 50,
  concurrency: 4,
  quietHours: { fromHour: 22, untilHour: 8 },
  retryBaseMs: 1_000,
  // A citizen's message waits at most two minutes after the gateway is back. While it is
  // known to be down (its breaker open) no case is leased at all, so a long outage costs
  // nothing per case however short this is.
  maxBackoffMs: 2 * 60_000,
};

type NotifyCase = ApplicationCase & NotifyFields;

/** What one pass over a leased case did. */
export interface NotifyOutcome {
  caseNo: string;
  /** Messages the gateway accepted (a repeated key counts: it was sent before). */
  sent: number;
  /** Messages the gateway refused for good (an unreachable number), logged and not tried again. */
  refused: number;
  /** The pass stopped at an entry: quiet hours, or the gateway failing. */
  heldUntil?: Date;
  reason?: 'quietHours' | 'gatewayFailed';
  /** Whether its progress was recorded (false: the lease was lost meanwhile). */
  recorded: boolean;
}

const NOT_LEASED = (now: Date) => ({
  $or: [{ notifyLeaseUntil: { $exists: false } }, { notifyLeaseUntil: { $lte: now } }],
});
const NOT_HELD = (now: Date) => ({
  $or: [{ notifyHoldUntil: { $exists: false } }, { notifyHoldUntil: { $lte: now } }],
});

export class Notifier {
  readonly cases: CaseModel;
  private readonly applicants: ApplicantModel;
  readonly options: NotifierOptions;
  private readonly channels: NotificationChannel[];
  /** The SMS gateway's breaker (both channels go through the gateway). */
  private readonly gateway: DepartmentBreaker;

  constructor(
    db: Connection,
    departments: Departments,
    /** The applicant data of a case, opened (the engine's readData): the phone comes only from there. */
    private readonly readData: (caseNo: string) => Promise<ApplicationData>,
    private readonly log: Logger,
    options: Partial<NotifierOptions> = {},
    /** The clock, for quiet hours and leases (tests set it). */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.cases = caseModel(db);
    this.applicants = applicantModel(db);
    this.options = { ...DEFAULT_NOTIFIER_OPTIONS, ...options };
    this.channels = [smsChannel(departments), subscriptionChannel(departments)];
    this.gateway = departments.breakers.sms;
  }

  /**
   * Cases with messages to send now, at most `limit`. Asked by `notifyDue`
   * alone (an equality the index answers, PostgreSQL's too); whether each is
   * leased or held is read from the few fields fetched, and checked again by the lease.
   */
  async dueCases(limit = this.options.batch): Promise<string[]> {
    return (await this.marked())
      .filter((c) => c.state === 'ready')
      .slice(0, limit)
      .map((c) => c._id);
  }

  /** The cases with messages still to send, by where they stand (for the metrics, read when scraped). */
  async dueFigures(): Promise<MessageFigures> {
    const figures: MessageFigures = { ready: 0, sending: 0, held: 0 };
    for (const c of await this.marked()) figures[c.state]++;
    return figures;
  }

  /** Every case marked due, with whether it is free to lease, leased now, or held back. */
  private async marked(): Promise<{ _id: string; state: keyof MessageFigures }[]> {
    const now = this.now().getTime();
    const marked = await this.cases
      .find({ notifyDue: true }, { _id: 1, notifyLeaseUntil: 1, notifyHoldUntil: 1 })
      .lean<{ _id: string; notifyLeaseUntil?: Date; notifyHoldUntil?: Date }[]>();
    const after = (at?: Date) => at !== undefined && at !== null && new Date(at).getTime() > now;
    return marked.map((c) => ({
      _id: c._id,
      state: after(c.notifyLeaseUntil) ? 'sending' : after(c.notifyHoldUntil) ? 'held' : 'ready',
    }));
  }

  /** Leases one case by its number: one atomic update, only if it is due, free and not held. */
  async lease(caseNo: string): Promise<{ caseDoc: NotifyCase; token: string } | null> {
    const now = this.now();
    const token = randomUUID();
    const caseDoc = await this.cases
      .findOneAndUpdate(
        { _id: caseNo, notifyDue: true, $and: [NOT_LEASED(now), NOT_HELD(now)] },
        { $set: { notifyLease: token, notifyLeaseUntil: new Date(now.getTime() + this.options.leaseMs) } },
        // The case's updatedAt tells of its processing, not of its messages.
        { new: true, timestamps: false },
      )
      .lean<NotifyCase>();
    return caseDoc ? { caseDoc, token } : null;
  }

  /** Sends what is due, a few cases at once, until none is due or `keepGoing` says stop. Returns the cases worked. */
  async runDue(keepGoing: () => boolean = () => true): Promise<number> {
    let worked = 0;
    // The gateway known to be down: nothing is leased (nor an attempt counted) until its breaker lets a trial through.
    const gatewayUp = () => this.gateway.state !== 'open';
    while (keepGoing() && gatewayUp()) {
      const due = await this.dueCases();
      if (due.length === 0) return worked;
      const queue = [...due];
      const lane = async () => {
        for (let caseNo = queue.shift(); caseNo && keepGoing() && gatewayUp(); caseNo = queue.shift()) {
          const leased = await this.lease(caseNo);
          if (!leased) continue; // another process took it, or it is no longer due
          try {
            // Each pass is a trace of its own (its gateway calls and log lines carry it).
            await inNewTrace(() => this.send(leased.caseDoc, leased.token));
          } catch (err) {
            // The database or a bug: its lease runs out and it is taken again.
            this.log.error('notifying failed', { caseNo, err });
          }
          worked += 1;
        }
      };
      await Promise.all(Array.from({ length: this.options.concurrency }, lane));
      if (due.length < this.options.batch) return worked;
    }
    return worked;
  }

  /** One pass over a leased case: send its new entries' messages, then record how far it got. */
  async send(caseDoc: NotifyCase, token: string, requestId = `notify-${randomUUID()}`): Promise<NotifyOutcome> {
    const caseNo = caseDoc.caseNo;
    const seen = caseDoc.eventSeq ?? caseDoc.events.length;
    const from = Math.min(caseDoc.notifiedEvents ?? 0, seen);
    // A training case sends nothing; nor does a case whose notice did not name the SMS platform (no consent).
    const channels =
      caseDoc.training || !consentCovers(caseDoc.consent.noticeVersion, 'sms')
        ? []
        : await this.channelsFor(caseDoc.applicantId);
    const quietUntil = quietHoursEnd(this.now(), this.options.quietHours);

    let phone: string | undefined;
    let done = from; // entries before this are finished
    let heldUntil: Date | undefined;
    let reason: NotifyOutcome['reason'];
    let sent = 0;
    let refused = 0;
    let attempts = 0;
    for (let index = from; index < seen; index++) {
      const planned = channels.length ? messageFor(caseDoc, index) : null;
      if (planned && quietUntil && !planned.urgent) {
        // Held until morning; urgent entries after it still go now (sent again at 08:00 under the same key: nothing more).
        heldUntil ??= quietUntil;
        reason ??= 'quietHours';
        continue;
      }
      if (planned) {
        // Only what the manifest gives the SMS platform: the phone.
        phone ??= (pickForDepartment('sms', await this.readData(caseNo)) as ApplicationData).applicant.phone;
        const message: OutgoingMessage = { kind: planned.kind, facts: planned.facts, phone, caseNo };
        let failed = false;
        for (const channel of channels) {
          const result = await channel.send(message, `${caseNo}:${index}:${channel.id}`, requestId);
          if (result.kind === 'done') sent += 1;
          else if (result.kind === 'refused') {
            refused += 1;
            // Final for this message: said once in the log (no phone, no name), not tried again.
            this.log.warn('message refused by the gateway', { caseNo, index, channel: channel.id, code: result.code });
          } else {
            failed = true;
            this.log.warn('message not sent, will retry', {
              caseNo,
              index,
              channel: channel.id,
              reason: result.reason,
            });
            break;
          }
        }
        if (failed) {
          if (this.gateway.state === 'open') {
            // Refused by the open breaker (or the failure that opened it): not this case's attempt.
            // It stays due, free at once; no pass leases anything until the breaker lets a trial through.
            attempts = caseDoc.notifyAttempts ?? 0;
            heldUntil = this.now();
          } else {
            // Failed passes in a row that got nowhere: one that sent something starts the back-off again.
            attempts = done > from ? 1 : (caseDoc.notifyAttempts ?? 0) + 1;
            heldUntil = new Date(this.now().getTime() + this.backoffMs(attempts));
          }
          reason = 'gatewayFailed';
          break;
        }
      }
      if (!heldUntil) done = index + 1;
    }

    const recorded = await this.record(caseDoc, token, seen, done, heldUntil, attempts);
    if (sent || refused || heldUntil) {
      this.log.info('case notified', {
        caseNo,
        sent,
        refused,
        upTo: done,
        ...(heldUntil ? { heldUntil, reason } : {}),
      });
    }
    return { caseNo, sent, refused, recorded, ...(heldUntil ? { heldUntil, reason } : {}) };
  }

  /**
   * Records progress and gives the lease up. All seen entries finished and no
   * entry added since (the count unchanged): the case is no longer due.
   * Otherwise it stays due, held when a hold was asked for, unless entries
   * were added meanwhile (they are looked at at once).
   */
  private async record(
    caseDoc: NotifyCase,
    token: string,
    seen: number,
    done: number,
    heldUntil: Date | undefined,
    /** Failed passes in a row (0: this one did not fail). */
    attempts: number,
  ): Promise<boolean> {
    const mine = { _id: caseDoc.caseNo, notifyLease: token };
    const unchanged = { ...mine, eventSeq: seen };
    const release = { notifyLease: 1, notifyLeaseUntil: 1 } as const;
    const options = { timestamps: false } as const;
    if (done >= seen && !heldUntil) {
      const finished = await this.cases.updateOne(
        unchanged,
        { $set: { notifiedEvents: done }, $unset: { ...release, notifyDue: 1, notifyAttempts: 1 } },
        options,
      );
      if (finished.modifiedCount === 1) return true;
    } else if (heldUntil) {
      const held = await this.cases.updateOne(
        unchanged,
        {
          $set: {
            notifiedEvents: done,
            notifyHoldUntil: heldUntil,
            notifyAttempts: attempts,
          },
          $unset: release,
        },
        options,
      );
      if (held.modifiedCount === 1) return true;
    }
    // Entries were added meanwhile: keep it due, to be looked at again at once.
    const kept = await this.cases.updateOne(mine, { $set: { notifiedEvents: done }, $unset: release }, options);
    return kept.modifiedCount === 1;
  }

  private async channelsFor(applicantId: string): Promise<NotificationChannel[]> {
    const record = await this.applicants.findById(applicantId, { notificationChannels: 1 }).lean();
    const on = channelsOn(record ?? undefined);
    return this.channels.filter((c) => on[c.id as NotifyChannel]);
  }

  /** Exponential, with jitter, capped. */
  backoffMs(attempt: number): number {
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.retryBaseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}
