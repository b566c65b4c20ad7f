// The loop that makes the day before's summary once DAILY_SUMMARY_AT has
// passed (China time), started and stopped beside the engine's worker:
// inside the BFF (WORKER_MODE=inline) or in bff/src/worker.ts processes. Each
// look is cheap when the day is made (one read by `_id`); its sleeps are
// jittered like the follow-ups', and exactly one process makes a day
// (DailySummaryService.claim).
import type { Logger } from '@flexins/shared/server';
import type { DailySummaryService, RunOutcome } from './daily-summary.service';

export class DailySummaryWorker {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: () => void = () => {};
  /** Each look's outcome, for tests. */
  readonly outcomes: RunOutcome[] = [];

  constructor(
    private readonly summaries: DailySummaryService,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Lets a summary in hand be written, and leaves no timer behind. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const outcome = await this.summaries.runDue();
        if (this.outcomes.length >= 100) this.outcomes.shift();
        this.outcomes.push(outcome);
      } catch (err) {
        // The database: looked at again next time.
        this.log.error('daily summary failed', { err });
      }
      if (!this.running) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.summaries.options.pollMs * (0.5 + this.random() / 2));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
