// The loop that runs the due follow-ups, started and stopped with the
// engine's worker (bff/src/modules/processing/worker.ts): inside the BFF,
// or in bff/src/worker.ts processes. Its sleeps are jittered, so processes
// sharing one database take turns rather than one always leasing first.
import type { Logger } from '@flexins/shared/server';
import type { FollowUpService } from './follow-up.service';

export class FollowUpWorker {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: () => void = () => {};

  constructor(
    private readonly followUps: FollowUpService,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Lets the follow-ups in hand finish, and leaves no timer behind. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.followUps.runDue(() => this.running);
      } catch (err) {
        // The database: tried again at the next sweep.
        this.log.error('follow-ups failed', { err });
      }
      if (!this.running) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.followUps.sweepMs * (0.5 + this.random() / 2));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
