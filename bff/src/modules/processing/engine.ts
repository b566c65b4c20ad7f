// The linked processing (业务联动办理) of one case. A worker leases the
// case's job and works it in waves: every matter whose predecessors are done
// is marked under review in one write, the departments are called at once,
// and all their answers are recorded in one more write; then the next wave,
// until nothing can move (a retry waits for its back-off, or the case is at
// rest). It never holds state of its own: the case document and the job
// queue are the truth, so any process may pick up any case, and a crash at
// any instant is repaired by the lease running out — every department call
// carries a stable idempotency key.
import { MATTERS, matterById, type ApplicationData, type CaseStatus, type MatterId } from '@flexins/shared';
import type { Logger } from '@flexins/shared/server';
import type { Connection } from 'mongoose';
import type { Departments } from '../../departments';
import type { FieldCipher } from '../../platform/crypto';
import {
  caseModel,
  reviewingText,
  storedEvent,
  type ApplicationCase,
  type CaseEvent,
  type CaseModel,
  type MatterRecord,
  type MatterState,
} from '../applications/application.model';
import { caseDataModel, type CaseDataModel } from '../applications/case-data.model';
import { JobQueue, type Lease } from './jobs';
import { STEPS, dependentsOf, type StepOutcome } from './steps';

export interface EngineOptions {
  /** Attempts before a failing matter goes to manual handling. */
  maxAttempts: number;
  /** First retry delay; doubles each time, with jitter, up to maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  leaseMs: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  maxAttempts: 6,
  baseBackoffMs: 500,
  maxBackoffMs: 30_000,
  leaseMs: 30_000,
};

export interface MatterStateChange {
  matter: MatterId;
  state: MatterState;
  text: string;
}

/** A new case handed from its submission to this process's worker: as stored, its data, the matters marked under review in it. */
export interface Handed {
  caseDoc: ApplicationCase;
  data: ApplicationData;
  marked?: MatterId[];
}

/** Told about every state change: counters, certificates. */
export interface CaseListener {
  /** Fields to set in the write that completes the case (the certificate). */
  completing?(caseDoc: ApplicationCase): Partial<ApplicationCase>;
  /**
   * The matters whose state a run (or one write) of the case changed, with their timeline text;
   * `created`: the case's first run, which counts the case as submitted too (see `run`).
   */
  mattersChanged?(caseDoc: ApplicationCase, changes: readonly MatterStateChange[], created?: boolean): Promise<void>;
  caseCompleted?(caseDoc: ApplicationCase): Promise<void>;
}

/** States in which a matter still has work for the engine (when its predecessors are done). */
const WORKABLE: readonly MatterState[] = ['waiting', 'accepted', 'retrying', 'reviewing'];

/** One matter's change within a write, with the timeline entry it makes. */
interface MatterChange {
  matter: MatterId;
  changes: Partial<MatterRecord>;
  event?: string;
}

/** What a case needs next, worked out from the document alone. */
export interface CasePlan {
  /** Matters to call their departments for now. */
  due: MatterId[];
  /** The earliest a retrying matter may be tried again. */
  nextAt?: Date;
  /** The card will not be made and the postage is not yet refunded. */
  refund: boolean;
}

export function planCase(caseDoc: ApplicationCase, now: number): CasePlan {
  const due: MatterId[] = [];
  let nextAt: number | undefined;
  for (const { id, dependsOn } of MATTERS) {
    const record = caseDoc.matters[id];
    if (!WORKABLE.includes(record.state)) continue;
    if (!dependsOn.every((dep) => caseDoc.matters[dep].state === 'delivered')) continue;
    const at = record.retryAt ? new Date(record.retryAt).getTime() : 0;
    if (at <= now) due.push(id);
    else nextAt = Math.min(nextAt ?? at, at);
  }
  const refund = Boolean(
    caseDoc.postage && !caseDoc.postage.refund && caseDoc.matters.socialSecurityCard.state === 'rejected',
  );
  return { due, refund, ...(nextAt !== undefined ? { nextAt: new Date(nextAt) } : {}) };
}

export class ProcessingEngine {
  readonly cases: CaseModel;
  readonly caseData: CaseDataModel;
  readonly queue: JobQueue;
  private readonly listeners: CaseListener[] = [];

  constructor(
    db: Connection,
    private readonly departments: Departments,
    private readonly cipher: FieldCipher,
    private readonly log: Logger,
    readonly options: EngineOptions = DEFAULT_ENGINE_OPTIONS,
    private readonly random: () => number = Math.random,
  ) {
    this.cases = caseModel(db);
    this.caseData = caseDataModel(db);
    this.queue = new JobQueue(db);
  }

  listen(listener: CaseListener): void {
    this.listeners.push(listener);
  }

  /** Full jitter over an exponential back-off: retries of many cases spread out. */
  backoffMs(attempt: number): number {
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  /** A new case, or a case someone changed (a retry, a settlement): work on it now. */
  async start(caseNo: string): Promise<void> {
    await this.queue.enqueue(caseNo);
  }

  /**
   * Runs one leased case until nothing in it can move now. `handed`: the case
   * as just stored and its data, when the submission hands its new case to
   * this process's worker (they need not be read again).
   */
  async run(lease: Lease, requestId: string, handed?: Handed): Promise<void> {
    const caseNo = lease.job._id;
    let caseDoc = handed?.caseDoc ?? (await this.cases.findById(caseNo).lean<ApplicationCase>());
    if (!caseDoc) {
      this.log.warn('job for a missing case dropped', { caseNo });
      await this.queue.complete(lease);
      return;
    }
    let data: ApplicationData | undefined = handed?.data;
    // A long run gives its lease up before it could run out under it.
    const giveUpAt = lease.leasedAt + this.options.leaseMs / 3;
    // The state changes of this run, told to the listeners (the counters) once, when it ends.
    const told: MatterStateChange[] = [];
    // The case's first run (its first wave marked as it was stored, called now) counts it as submitted, with
    // its changes: one counter write for both. A process killed during it loses that count, as it loses the
    // run's changes; a case stored without a first wave marked was counted by its submission.
    let created = false;
    const tell = async () => {
      if ((told.length === 0 && !created) || !caseDoc) return;
      const changes = told.splice(0);
      const first = created;
      created = false;
      for (const listener of this.listeners) await listener.mattersChanged?.(caseDoc, changes, first);
    };

    let waves = 0;
    // Matters the last write marked under review, to call now (their attempt counted): handed over, or
    // marked as the case was stored when this is its job's first lease.
    let marked: MatterId[] = handed?.marked ?? this.markedAtInsert(caseDoc, lease);
    created = marked.length > 0;
    try {
      for (;;) {
        if (marked.length === 0) {
          const plan = this.nextWave(caseDoc);
          if (plan.refund) {
            const refunded = await this.refundPostage(caseDoc, requestId);
            if (refunded) caseDoc = refunded;
            else
              plan.nextAt = earliest(plan.nextAt, new Date(Date.now() + this.backoffMs(Math.min(lease.job.leases, 8))));
          }
          if (plan.due.length === 0) {
            await this.settleCase(caseDoc);
            await tell();
            if (plan.nextAt) await this.queue.retryAt(lease, plan.nextAt);
            else await this.queue.complete(lease);
            this.log.info('case worked', { caseNo, waves, requestId, ...(plan.nextAt ? { nextAt: plan.nextAt } : {}) });
            return;
          }
          if (Date.now() > giveUpAt) {
            await tell();
            await this.queue.retryAt(lease, new Date());
            return;
          }
          // 1. under review (审核), counting the attempt — before the call, so a crash loop ends too
          const marking = await this.write(caseNo, this.reviewing(caseDoc, plan.due), {}, {}, told);
          // Gone meanwhile (a training case cleared): nothing left to do.
          if (!marking) return void (await this.queue.complete(lease));
          caseDoc = marking;
          marked = plan.due;
        }

        waves += 1;
        // 2. call the departments, each matter on its own
        data ??= await this.readData(caseNo);
        const current = caseDoc;
        const calling = marked;
        const outcomes = await Promise.all(
          calling.map(async (matter): Promise<StepOutcome> => {
            try {
              return await STEPS[matter].run({
                caseDoc: current,
                data: data!,
                departments: this.departments,
                requestId,
              });
            } catch (err) {
              this.log.error('step crashed', { caseNo, matter, err });
              return { kind: 'failed', reason: '系统处理出错' };
            }
          }),
        );

        // 3. record every answer in one write, with the next wave marked under review in it
        // (one write per wave), or with the case's new status when it has come to rest
        const recorded: MatterChange[] = [];
        calling.forEach((matter, i) => recorded.push(...this.answer(current, matter, outcomes[i]!)));
        const after = withChanges(current, recorded);
        const next = this.nextWave(after);
        const chained =
          next.refund || Date.now() > giveUpAt
            ? []
            : next.due.filter((matter) => !recorded.some((change) => change.matter === matter));
        const settling = chained.length === 0 ? this.settlement(after) : undefined;
        const written = await this.write(
          caseNo,
          [...recorded, ...this.reviewing(after, chained)],
          {},
          settling ? { set: settling.set, events: settling.event ? [settling.event] : [] } : {},
          told,
        );
        if (!written) return void (await this.queue.complete(lease));
        caseDoc = written;
        marked = chained;
        if (settling?.status === 'completed') {
          for (const listener of this.listeners) await listener.caseCompleted?.(written);
        }
      }
    } finally {
      // A run that failed half-way still tells what it wrote.
      await tell();
    }
  }

  /**
   * A new case this process will run at once (see `run`'s `handed`): its
   * first wave marked under review, its attempt counted, as it is first
   * stored — one write less than marking it after.
   */
  markFirstWave(caseDoc: ApplicationCase): { caseDoc: ApplicationCase; marked: MatterId[] } {
    const { due } = this.nextWave(caseDoc);
    const changes = this.reviewing(caseDoc, due);
    const at = new Date(caseDoc.createdAt);
    const events: CaseEvent[] = changes.flatMap(({ matter, changes: fields, event }) =>
      event ? [storedEvent({ at, matter, ...(fields.state ? { state: fields.state } : {}), text: event })] : [],
    );
    const marked = withChanges(caseDoc, changes);
    return { caseDoc: { ...marked, events: [...caseDoc.events, ...events] }, marked: due };
  }

  /**
   * The first wave of a case stored with it marked under review (markFirstWave), on its job's first
   * lease: not called by anyone yet, its attempt counted by the insert, so it is called without
   * marking it again. A job is only made anew for a case with no matter under review (its last run
   * completed the job at rest); every later lease of a job counts the attempt again, so a crash
   * loop still ends.
   */
  private markedAtInsert(caseDoc: ApplicationCase, lease: Lease): MatterId[] {
    if (lease.job.leases !== 1 || caseDoc.status !== 'processing') return [];
    return this.nextWave(caseDoc).due.filter(
      (matter) => caseDoc.matters[matter].state === 'reviewing' && caseDoc.matters[matter].attempts === 1,
    );
  }

  /**
   * A case handed over and not run here after all (it waited too long for a lane, or the worker stops):
   * counted as submitted now, as its first run would have, and let go to any worker at once.
   */
  async letGo(lease: Lease, handed: Handed): Promise<void> {
    if (handed.marked?.length) {
      for (const listener of this.listeners) await listener.mattersChanged?.(handed.caseDoc, [], true);
    }
    await this.queue.retryAt(lease, new Date());
  }

  /** The matters to call now (a department known to be down is not called: it waits for its breaker, without using up an attempt). */
  private nextWave(caseDoc: ApplicationCase): CasePlan {
    const plan = planCase(caseDoc, Date.now());
    const due = plan.due.filter((m) => this.departments.breakers[matterById(m).department].state !== 'open');
    if (due.length < plan.due.length)
      plan.nextAt = earliest(plan.nextAt, new Date(Date.now() + 1_000 + this.backoffMs(1)));
    return { ...plan, due };
  }

  /** Marks matters under review, counting the attempt. */
  private reviewing(caseDoc: ApplicationCase, due: readonly MatterId[]): MatterChange[] {
    return due.map((matter) => {
      const record = caseDoc.matters[matter];
      return {
        matter,
        changes: { state: 'reviewing', attempts: record.attempts + 1, retryAt: undefined },
        ...(record.state === 'waiting' ? { event: reviewingText(matter) } : {}),
      };
    });
  }

  /** The applicant's data of a case, opened. */
  async readData(caseNo: string): Promise<ApplicationData> {
    const sealed = await this.caseData.findById(caseNo).lean();
    if (!sealed) throw new Error(`case ${caseNo} has no data`);
    return this.cipher.decryptJson<ApplicationData>(sealed.sealed);
  }

  /** What one department answer changes: the matter, and the matters waiting on it. */
  private answer(caseDoc: ApplicationCase, matter: MatterId, outcome: StepOutcome): MatterChange[] {
    const name = matterById(matter).name;
    const attempt = caseDoc.matters[matter].attempts;
    if (outcome.kind === 'done') {
      return [
        {
          matter,
          changes: {
            state: outcome.state,
            cause: undefined,
            lastError: undefined,
            refs: outcome.refs,
            ...(outcome.result ? { result: outcome.result } : {}),
            ...(outcome.state === 'delivered' ? { deliveredAt: new Date() } : {}),
          },
          event: `${name}：${outcome.text}`,
        },
      ];
    }
    if (outcome.kind === 'refused') {
      return [
        {
          matter,
          changes: { state: 'rejected', cause: outcome.reason, lastError: outcome.code },
          event: `${name}：不予办理。${outcome.reason}`,
        },
        ...this.blocked(caseDoc, matter, `前序事项「${name}」未办成`),
      ];
    }
    if (attempt >= this.options.maxAttempts) {
      const cause = `自动办理 ${attempt} 次未成功（${outcome.reason}），已转人工处理，工作人员会尽快联系您`;
      return [
        { matter, changes: { state: 'manual', cause, lastError: outcome.reason }, event: `${name}：${cause}` },
        ...this.blocked(caseDoc, matter, `前序事项「${name}」正在人工处理`),
      ];
    }
    return [
      {
        matter,
        changes: {
          state: 'retrying',
          cause: `${outcome.reason}，系统将自动重试`,
          lastError: outcome.reason,
          retryAt: new Date(Date.now() + this.backoffMs(attempt)),
        },
        ...(attempt === 1 ? { event: `${name}：${outcome.reason}，系统将自动重试` } : {}),
      },
    ];
  }

  /** Dependents that cannot start say why, instead of waiting silently. */
  private blocked(caseDoc: ApplicationCase, matter: MatterId, cause: string): MatterChange[] {
    const changes: MatterChange[] = [];
    const pending = [...dependentsOf(matter)];
    const seen = new Set<MatterId>();
    while (pending.length) {
      const next = pending.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      if (caseDoc.matters[next].state === 'waiting') {
        changes.push({ matter: next, changes: { cause }, event: `${matterById(next).name}：暂停，${cause}` });
      }
      pending.push(...dependentsOf(next));
    }
    return changes;
  }

  /**
   * Repairs the one gap a crash can leave: a case stored but its job not yet
   * made. Run when a worker starts and now and then after.
   */
  async recover(olderThanMs = 10_000): Promise<number> {
    const stale = await this.cases
      .find({ status: 'processing', updatedAt: { $lt: new Date(Date.now() - olderThanMs) } })
      .limit(500)
      .lean<ApplicationCase[]>();
    let queued = 0;
    for (const caseDoc of stale) if (await this.ensureQueued(caseDoc)) queued += 1;
    return queued;
  }

  /** Queues a case that has work left but no job (a crash between storing it and queuing it). */
  async ensureQueued(caseDoc: ApplicationCase): Promise<boolean> {
    const plan = planCase(caseDoc, Number.POSITIVE_INFINITY);
    if (plan.due.length === 0 && !plan.refund) return false;
    if (await this.queue.exists(caseDoc.caseNo)) return false;
    await this.queue.enqueue(caseDoc.caseNo);
    return true;
  }

  /** An agent's retry of a matter in manual handling: from the start, attempts counted afresh. */
  async resume(caseNo: string, matter: MatterId): Promise<ApplicationCase | null> {
    // Only from manual handling: of two agents pressing at once, one moves it.
    const resumed = await this.write(
      caseNo,
      [
        {
          matter,
          changes: { state: 'accepted', cause: undefined, attempts: 0, retryAt: undefined },
          event: `${matterById(matter).name}：工作人员已重新提交办理`,
        },
      ],
      { [`matters.${matter}.state`]: 'manual' },
    );
    if (resumed) await this.queue.enqueue(caseNo);
    return resumed;
  }

  /**
   * A supervisor's decision on a matter in manual handling: done offline
   * (with the department's reference) or refused (with the reason the citizen
   * reads; the matters waiting on it say why). Only from manual; then the
   * case is worked on (what it unlocks, a refused card's postage, completing).
   */
  async settle(
    caseNo: string,
    matter: MatterId,
    decision: { outcome: 'done'; reference: string } | { outcome: 'rejected'; reason: string },
  ): Promise<ApplicationCase | null> {
    const caseDoc = await this.cases.findById(caseNo).lean<ApplicationCase>();
    if (!caseDoc) return null;
    const name = matterById(matter).name;
    const changes: MatterChange[] =
      decision.outcome === 'done'
        ? [
            {
              matter,
              changes: {
                state: 'delivered',
                cause: undefined,
                deliveredAt: new Date(),
                refs: { ...(caseDoc.matters[matter].refs ?? {}), offlineReference: decision.reference },
              },
              event: `${name}：工作人员已线下办结（业务编号 ${decision.reference}）`,
            },
          ]
        : [
            {
              matter,
              changes: { state: 'rejected', cause: decision.reason },
              event: `${name}：不予办理。${decision.reason}`,
            },
            ...this.blocked(caseDoc, matter, `前序事项「${name}」未办成`),
          ];
    const settled = await this.write(caseNo, changes, { [`matters.${matter}.state`]: 'manual' });
    if (settled) await this.queue.enqueue(caseNo);
    return settled;
  }

  /**
   * Writes matter changes and their timeline entries in one update (with
   * case-level fields and entries, when the case comes to rest in it);
   * returns the case as written (a fresh read could be older on some
   * servers). The state changes go to the listeners at once, or into `told`
   * for the caller to tell them later.
   */
  async write(
    caseNo: string,
    changes: MatterChange[],
    /** Only if the case matches this too (a transition others may race for). */
    extraFilter: Record<string, unknown> = {},
    caseLevel: { set?: Record<string, unknown>; events?: CaseEvent[] } = {},
    told?: MatterStateChange[],
  ): Promise<ApplicationCase | null> {
    const now = new Date();
    const set: Record<string, unknown> = { ...caseLevel.set };
    const unset: Record<string, 1> = {};
    const events: CaseEvent[] = [];
    for (const { matter, changes: fields, event } of changes) {
      set[`matters.${matter}.updatedAt`] = now;
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) unset[`matters.${matter}.${key}`] = 1;
        else set[`matters.${matter}.${key}`] = value;
      }
      if (event)
        events.push(storedEvent({ at: now, matter, ...(fields.state ? { state: fields.state } : {}), text: event }));
    }
    events.push(...(caseLevel.events ?? []));
    const update: Record<string, unknown> = { $set: set };
    if (Object.keys(unset).length) update.$unset = unset;
    if (events.length) update.$push = { events: { $each: events } };
    const updated = await this.cases
      .findOneAndUpdate({ _id: caseNo, ...extraFilter }, update, { new: true })
      .lean<ApplicationCase>();
    const stateChanges: MatterStateChange[] = changes.flatMap(({ matter, changes: fields, event }) =>
      event && fields.state ? [{ matter, state: fields.state, text: event }] : [],
    );
    if (updated && stateChanges.length) {
      if (told) told.push(...stateChanges);
      else for (const listener of this.listeners) await listener.mattersChanged?.(updated, stateChanges);
    }
    return updated;
  }

  /**
   * What a case at rest becomes (completed, or waiting for the first
   * premium), worked out from the document alone; nothing while a matter can
   * still move or waits for a person, or when it is that already.
   */
  settlement(
    caseDoc: ApplicationCase,
  ): { status: CaseStatus; set: Record<string, unknown>; event?: CaseEvent } | undefined {
    const states = MATTERS.map((m) => caseDoc.matters[m.id].state);
    const moving = states.some((s) => ['accepted', 'reviewing', 'retrying'].includes(s));
    if (moving) return undefined;
    const blocked = states.some((s) => s === 'waiting' || s === 'manual');
    if (blocked) return undefined;
    const awaitingPayment = caseDoc.matters.premiumDeclaration.state === 'decided';
    const status = awaitingPayment ? 'awaitingPayment' : 'completed';
    if (caseDoc.status === status) return undefined;
    const set: Record<string, unknown> = { status };
    if (status !== 'completed') return { status, set };
    set.completedAt = new Date();
    set.openCaseKey = `closed:${caseDoc.caseNo}`;
    for (const listener of this.listeners) Object.assign(set, listener.completing?.(caseDoc));
    return {
      status,
      set,
      event: { at: new Date(), text: `灵活就业参保“一件事”已全部办结，可以查看办结凭证并评价服务` },
    };
  }

  /** When no matter can move any more, the case is completed (or waits for the first premium). */
  async settleCase(caseDoc: ApplicationCase): Promise<void> {
    const settling = this.settlement(caseDoc);
    if (!settling) return;
    const update: Record<string, unknown> = { $set: settling.set };
    if (settling.event) update.$push = { events: settling.event };
    const updated = await this.cases
      .findOneAndUpdate({ _id: caseDoc.caseNo, status: { $ne: settling.status } }, update, { new: true })
      .lean<ApplicationCase>();
    if (updated && settling.status === 'completed') {
      for (const listener of this.listeners) await listener.caseCompleted?.(updated);
    }
  }

  /** Compensation for a card that will not be made: give the 5.8 yuan back, once. Null when it must wait. */
  private async refundPostage(caseDoc: ApplicationCase, requestId: string): Promise<ApplicationCase | null> {
    const postage = caseDoc.postage!;
    const result = await this.departments.payment.refund(
      {
        orderId: postage.orderId,
        refundId: `${postage.orderId}-R`,
        amountFen: postage.amountFen,
        reason: '社会保障卡申领未办成，退还邮寄费',
      },
      { requestId, idempotencyKey: `${caseDoc.caseNo}:refundPostage` },
    );
    let refundNo: string | undefined;
    if (result.kind === 'done') refundNo = result.value.refundNo;
    else if (result.kind === 'refused' && result.code === 'ALREADY_REFUNDED') {
      refundNo = String((result.details as { refundNo?: string } | undefined)?.refundNo ?? 'refunded');
    } else return null;
    const updated = await this.cases
      .findOneAndUpdate(
        { _id: caseDoc.caseNo, 'postage.refund': { $exists: false } },
        {
          $set: { 'postage.refund': { refundNo, refundedAt: new Date(), reason: '社会保障卡申领未办成' } },
          $push: {
            events: {
              at: new Date(),
              matter: 'socialSecurityCard',
              text: `邮寄费 ${(postage.amountFen / 100).toFixed(2)} 元已原路退还（退款单 ${refundNo}）`,
            },
          },
        },
        { new: true },
      )
      .lean<ApplicationCase>();
    return updated ?? (await this.cases.findById(caseDoc.caseNo).lean<ApplicationCase>());
  }
}

/** The case as it will be once `changes` are written: the next wave is planned on it before the write. */
function withChanges(caseDoc: ApplicationCase, changes: readonly MatterChange[]): ApplicationCase {
  const matters = { ...caseDoc.matters };
  for (const { matter, changes: fields } of changes) {
    const record: Record<string, unknown> = { ...matters[matter] };
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) delete record[key];
      else record[key] = value;
    }
    matters[matter] = record as unknown as MatterRecord;
  }
  return { ...caseDoc, matters };
}

function earliest(a: Date | undefined, b: Date): Date {
  return a && a.getTime() < b.getTime() ? a : b;
}
