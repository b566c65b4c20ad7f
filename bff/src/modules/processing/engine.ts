// The linked processing (业务联动办理) of one case: which matters can run,
// running one leased step, recording what the department answered, and what
// that unlocks. It never holds state of its own: the case document and the
// job queue are the truth, so any process may pick up any step, and a crash
// at any instant is repaired by the lease running out.
import { MATTERS, matterById, type ApplicationData, type MatterId } from '@flexins/shared';
import type { Logger } from '@flexins/shared/server';
import type { Departments } from '../../departments';
import type { FieldCipher } from '../../platform/crypto';
import {
  FINAL_MATTER_STATES,
  caseModel,
  type ApplicationCase,
  type CaseModel,
  type MatterRecord,
  type MatterState,
} from '../applications/application.model';
import type { Connection } from 'mongoose';
import { JobQueue, type Lease } from './jobs';
import { STEPS, dependentsOf } from './steps';

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

/** Told about every state change: in-app messages, counters, certificates. */
export interface CaseListener {
  matterChanged?(caseDoc: ApplicationCase, matter: MatterId, state: MatterState, text: string): Promise<void>;
  caseCompleted?(caseDoc: ApplicationCase): Promise<void>;
}

const REFUND_STEP = 'refundPostage';

export class ProcessingEngine {
  readonly cases: CaseModel;
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

  /** Queues every matter whose predecessors are done. Safe to call again at any time. */
  async enqueueReady(caseDoc: ApplicationCase): Promise<number> {
    let queued = 0;
    for (const { id } of MATTERS) {
      const record = caseDoc.matters[id];
      if (record.state !== 'waiting' && record.state !== 'accepted' && record.state !== 'retrying') continue;
      const ready = matterById(id).dependsOn.every((dep) => caseDoc.matters[dep].state === 'delivered');
      if (!ready) continue;
      // Two finishing predecessors may both see this matter waiting (each from
      // its own copy of the case): only one moves it, and only that one queues it.
      if (record.state === 'waiting') {
        const moved = await this.setMatter(
          caseDoc.caseNo,
          id,
          { state: 'accepted', cause: undefined },
          `${matterById(id).name}：已受理`,
          'waiting',
        );
        if (!moved) continue;
      }
      if (await this.queue.enqueue(caseDoc.caseNo, id)) queued += 1;
    }
    return queued;
  }

  /** Runs one leased job to its next resting point. */
  async run(lease: Lease, requestId: string): Promise<void> {
    const { caseNo, step } = lease.job;
    const caseDoc = await this.cases.findOne({ caseNo }).lean<ApplicationCase>();
    if (!caseDoc) {
      this.log.warn('job for a missing case dropped', { caseNo, step });
      await this.queue.complete(lease);
      return;
    }
    if (step === REFUND_STEP) return this.refundPostage(lease, caseDoc, requestId);

    const matter = step as MatterId;
    const record = caseDoc.matters[matter];
    if (!record) {
      await this.queue.complete(lease);
      return;
    }
    // Already at rest (an earlier run finished but crashed before cleaning up):
    // make sure what it unlocks is queued, then drop the job.
    if (record.state !== 'accepted' && record.state !== 'retrying' && record.state !== 'reviewing') {
      await this.enqueueReady(caseDoc);
      await this.queue.complete(lease);
      return;
    }

    // 1. a department known to be down is not called: wait for its breaker, without using up an attempt
    const department = matterById(matter).department;
    if (this.departments.breakers[department].state === 'open') {
      await this.queue.retryAt(lease, new Date(Date.now() + 1_000 + this.backoffMs(1)));
      return;
    }

    // 2. mark it under review (审核) and count the attempt
    const attempt = record.attempts + 1;
    await this.cases.updateOne(
      { caseNo },
      {
        $set: {
          [`matters.${matter}.state`]: 'reviewing',
          [`matters.${matter}.attempts`]: attempt,
          [`matters.${matter}.updatedAt`]: new Date(),
        },
      },
    );

    // 3. call the department(s)
    const data = this.cipher.decryptJson<ApplicationData>(caseDoc.dataSealed);
    let outcome;
    try {
      outcome = await STEPS[matter].run({ caseDoc, data, departments: this.departments, requestId });
    } catch (err) {
      this.log.error('step crashed', { caseNo, matter, err });
      outcome = { kind: 'failed' as const, reason: '系统处理出错' };
    }

    // 4. record the answer
    const name = matterById(matter).name;
    let after: ApplicationCase | null = null;
    if (outcome.kind === 'done') {
      after = await this.setMatter(
        caseNo,
        matter,
        {
          state: outcome.state,
          cause: undefined,
          lastError: undefined,
          refs: outcome.refs,
          ...(outcome.result ? { result: outcome.result } : {}),
          ...(outcome.state === 'delivered' ? { deliveredAt: new Date() } : {}),
        },
        `${name}：${outcome.text}`,
      );
    } else if (outcome.kind === 'refused') {
      await this.setMatter(
        caseNo,
        matter,
        { state: 'rejected', cause: outcome.reason, lastError: outcome.code },
        `${name}：不予办理。${outcome.reason}`,
      );
      await this.explainBlocked(caseNo, matter, `前序事项「${name}」未办成`);
      if (matter === 'socialSecurityCard') await this.queue.enqueue(caseNo, REFUND_STEP);
    } else if (attempt >= this.options.maxAttempts) {
      const cause = `自动办理 ${attempt} 次未成功（${outcome.reason}），已转人工处理，工作人员会尽快联系您`;
      after = await this.setMatter(
        caseNo,
        matter,
        { state: 'manual', cause, lastError: outcome.reason },
        `${name}：${cause}`,
      );
      after = (await this.explainBlocked(caseNo, matter, `前序事项「${name}」正在人工处理`)) ?? after;
    } else {
      const delay = this.backoffMs(attempt);
      await this.setMatter(
        caseNo,
        matter,
        { state: 'retrying', cause: `${outcome.reason}，系统将自动重试`, lastError: outcome.reason },
        attempt === 1 ? `${name}：${outcome.reason}，系统将自动重试` : undefined,
      );
      await this.queue.retryAt(lease, new Date(Date.now() + delay));
      return;
    }

    // 5. queue what this unlocks, then let the job go
    if (after) {
      await this.enqueueReady(after);
      await this.settleCase(after);
    }
    await this.queue.complete(lease);
  }

  /**
   * Repairs the one gap a crash can leave: a case stored but its first step
   * not yet queued. Run when a worker starts and now and then after.
   */
  async recover(olderThanMs = 10_000): Promise<number> {
    const stale = await this.cases
      .find({ status: 'processing', updatedAt: { $lt: new Date(Date.now() - olderThanMs) } })
      .limit(500)
      .lean<ApplicationCase[]>();
    let queued = 0;
    for (const caseDoc of stale) queued += await this.enqueueReady(caseDoc);
    return queued;
  }

  /** A supervisor's decision on a matter in manual handling (or a retry an agent asks for). */
  async resume(caseNo: string, matter: MatterId): Promise<void> {
    await this.setMatter(
      caseNo,
      matter,
      { state: 'accepted', cause: undefined, attempts: 0 },
      `${matterById(matter).name}：重新提交办理`,
    );
    await this.queue.enqueue(caseNo, matter);
  }

  /** Changes one matter; returns the case as written (a fresh read could be older on some servers). */
  private async setMatter(
    caseNo: string,
    matter: MatterId,
    changes: Partial<MatterRecord>,
    eventText?: string,
    /** Only if the matter is in this state now (a transition others may race for). */
    onlyFrom?: MatterState,
  ): Promise<ApplicationCase | null> {
    const set: Record<string, unknown> = { [`matters.${matter}.updatedAt`]: new Date() };
    const unset: Record<string, 1> = {};
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) unset[`matters.${matter}.${key}`] = 1;
      else set[`matters.${matter}.${key}`] = value;
    }
    const update: Record<string, unknown> = { $set: set };
    if (Object.keys(unset).length) update.$unset = unset;
    if (eventText)
      update.$push = {
        events: { at: new Date(), matter, ...(changes.state ? { state: changes.state } : {}), text: eventText },
      };
    const filter = onlyFrom ? { caseNo, [`matters.${matter}.state`]: onlyFrom } : { caseNo };
    const updated = await this.cases.findOneAndUpdate(filter, update, { new: true }).lean<ApplicationCase>();
    if (updated && eventText && changes.state) {
      for (const listener of this.listeners) await listener.matterChanged?.(updated, matter, changes.state, eventText);
    }
    return updated;
  }

  /** Dependents that cannot start say why, instead of waiting silently. */
  private async explainBlocked(caseNo: string, matter: MatterId, cause: string): Promise<ApplicationCase | null> {
    let latest: ApplicationCase | null = null;
    const caseDoc = await this.cases.findOne({ caseNo }).lean<ApplicationCase>();
    if (!caseDoc) return null;
    const pending = [...dependentsOf(matter)];
    const seen = new Set<MatterId>();
    while (pending.length) {
      const next = pending.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      if (caseDoc.matters[next].state === 'waiting') {
        latest = await this.setMatter(
          caseNo,
          next,
          { state: 'waiting', cause },
          `${matterById(next).name}：暂停，${cause}`,
          'waiting',
        );
      }
      pending.push(...dependentsOf(next));
    }
    return latest;
  }

  /** When no matter can move any more, the case is completed (or waits for the first premium). */
  async settleCase(caseDoc: ApplicationCase): Promise<void> {
    const states = MATTERS.map((m) => caseDoc.matters[m.id].state);
    const moving = states.some((s) => ['accepted', 'reviewing', 'retrying'].includes(s));
    if (moving) return;
    const blocked = states.some((s) => s === 'waiting' || s === 'manual');
    if (blocked) return;
    const awaitingPayment = caseDoc.matters.premiumDeclaration.state === 'decided';
    const status = awaitingPayment ? 'awaitingPayment' : 'completed';
    if (caseDoc.status === status) return;
    const set: Record<string, unknown> = { status };
    if (status === 'completed') {
      set.completedAt = new Date();
      set.openCaseKey = `closed:${caseDoc.caseNo}`;
    }
    const updated = await this.cases
      .findOneAndUpdate({ caseNo: caseDoc.caseNo, status: { $ne: status } }, { $set: set }, { new: true })
      .lean<ApplicationCase>();
    if (updated && status === 'completed') {
      for (const listener of this.listeners) await listener.caseCompleted?.(updated);
    }
  }

  /** Compensation for a card that will not be made: give the 5.8 yuan back, once. */
  private async refundPostage(lease: Lease, caseDoc: ApplicationCase, requestId: string): Promise<void> {
    const postage = caseDoc.postage;
    if (!postage || postage.refund) {
      await this.queue.complete(lease);
      return;
    }
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
    } else {
      await this.queue.retryAt(lease, new Date(Date.now() + this.backoffMs(Math.min(lease.job.leases, 8))));
      return;
    }
    await this.cases.updateOne(
      { caseNo: caseDoc.caseNo, 'postage.refund': { $exists: false } },
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
    );
    await this.queue.complete(lease);
  }

  isFinal(state: MatterState): boolean {
    return FINAL_MATTER_STATES.includes(state);
  }
}
