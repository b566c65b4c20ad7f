// The durable worker: a few lanes that lease due jobs and run them. It runs
// inside the BFF by default and as its own process when scaled out
// (bff/src/worker.ts); any number of them can share one database. The
// follow-ups after delivery (跟踪回访) run wherever it runs.
import { randomUUID } from 'node:crypto';
import type { Logger } from '@flexins/shared/server';
import { caseRun } from '../../platform/metrics';
import { PollingLoop } from '../../platform/polling-loop';
import { inNewTrace } from '../../platform/trace';
import type { FollowUpWorker } from '../followups/follow-up.worker';
import type { Handed, ProcessingEngine } from './engine';
import type { Lease } from './jobs';

export interface WorkerOptions {
  /** Jobs run at the same time in this process. */
  concurrency: number;
  /** Longest sleep when there is nothing to do (new work from this process wakes it at once). */
  idlePollMs: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = { concurrency: 8, idlePollMs: 200 };

export class Worker {
  private running = false;
  private loops: Promise<void>[] = [];
  private active = new Set<Promise<void>>();
  private wakers = new Set<() => void>();
  /** Now and every 7.5–15 seconds: queue what a crash may have left unqueued. Its own timer: a nudge (new work) must not make it sweep again. */
  private readonly recovery: PollingLoop;
  /** New cases handed to this process while every lane was busy: run here as lanes free up, oldest first. */
  private handedOver: { lease: Lease; handed: Handed }[] = [];
  /** Jobs finished by this process (for tests and the benchmark). */
  completed = 0;

  constructor(
    private readonly engine: ProcessingEngine,
    private readonly log: Logger,
    private readonly options: WorkerOptions = DEFAULT_WORKER_OPTIONS,
    private readonly followUps?: FollowUpWorker,
  ) {
    this.recovery = new PollingLoop(
      {
        name: 'recovery',
        pass: async () => {
          const queued = await this.engine.recover();
          if (queued > 0) {
            this.log.warn('recovered unqueued steps', { queued });
            this.nudge();
          }
        },
        intervalMs: () => 15_000,
      },
      log,
    );
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = [this.fetchLoop()];
    this.recovery.start();
    this.followUps?.start();
  }

  /** Work was just queued here: stop sleeping. */
  nudge(): void {
    for (const wake of this.wakers) wake();
  }

  /** Finishes the jobs in hand, then stops taking new ones. */
  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    const recoveryStopped = this.recovery.stop();
    // Cases waiting for a lane here go back to the queue for any worker at once.
    const waiting = this.handedOver.splice(0);
    await Promise.all(waiting.map(({ lease, handed }) => this.letGo(lease, handed)));
    await Promise.all([...this.loops, recoveryStopped, this.followUps?.stop()]);
    await Promise.all([...this.active]);
  }

  private async letGo(lease: Lease, handed: Handed): Promise<void> {
    try {
      await this.engine.letGo(lease, handed);
    } catch (err) {
      // Its lease runs out and it is taken again.
      this.log.error('releasing a case failed', { err });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  /**
   * One loop leases jobs while there is room and hands each to a runner, so
   * an idle process asks the database a few times a second, not once per
   * lane; a freed lane or new local work wakes it at once.
   */
  private async fetchLoop(): Promise<void> {
    while (this.running) {
      if (this.active.size >= this.options.concurrency) {
        await Promise.race(this.active);
        continue;
      }
      let lease;
      try {
        lease = await this.engine.queue.lease(this.engine.options.leaseMs);
      } catch (err) {
        this.log.error('leasing failed', { err });
      }
      if (!lease) {
        await this.sleep(this.options.idlePollMs);
        continue;
      }
      this.launch(lease);
    }
  }

  /**
   * Room for one more new case, run here rather than queued for anyone: a
   * free lane, or a place among those waiting for one while the oldest of
   * them has waited under a sixth of its lease (half the time after which it
   * would be let go) and they are fewer than four times the lanes.
   */
  hasRoom(): boolean {
    if (!this.running) return false;
    if (this.active.size < this.options.concurrency) return true;
    const oldest = this.handedOver[0];
    if (oldest && Date.now() - oldest.lease.leasedAt > this.engine.options.leaseMs / 6) return false;
    return this.handedOver.length < 4 * this.options.concurrency;
  }

  /**
   * Runs a case whose job this process made already leased (a submission
   * here): no lease to take, no read; at once, or when a lane frees up.
   * Stopping meanwhile, it lets the job go for any worker at once.
   */
  async adopt(lease: Lease, handed: Handed): Promise<void> {
    if (!this.running) await this.letGo(lease, handed);
    else if (this.active.size < this.options.concurrency) this.launch(lease, handed);
    else this.handedOver.push({ lease, handed });
  }

  /** A lane freed up: the oldest case handed over and still well within its lease runs in it. */
  private launchHandedOver(): void {
    while (this.running && this.active.size < this.options.concurrency) {
      const next = this.handedOver.shift();
      if (!next) return;
      // Past a third of its lease (run's own limit for starting a wave): let it go to any worker now.
      if (Date.now() > next.lease.leasedAt + this.engine.options.leaseMs / 3) void this.letGo(next.lease, next.handed);
      else this.launch(next.lease, next.handed);
    }
  }

  private launch(lease: Lease, handed?: Handed): void {
    // Each run of a case is a trace of its own: its department calls and log lines carry it.
    const started = performance.now();
    const run = inNewTrace(async () => {
      try {
        await this.engine.run(lease, `worker-${randomUUID()}`, handed);
        this.completed += 1;
        caseRun('ok', (performance.now() - started) / 1000);
      } catch (err) {
        // The database or a bug: the job's lease runs out and it is taken again.
        caseRun('error', (performance.now() - started) / 1000);
        this.log.error('step failed', { err });
      }
    }).finally(() => {
      // Not a nudge: a loop waiting for room is woken by the race on `active`, and one asleep found nothing
      // to lease (asking again after every finished case was a findAndModify per case for nothing).
      this.active.delete(run);
      this.launchHandedOver();
    });
    this.active.add(run);
  }
}
