// A loop that does one pass of some due work, sleeps, and does it again,
// started and stopped with the engine's worker (inside the BFF, or in
// bff/src/worker.ts processes): the follow-ups, the notifier, the daily
// summary. Its sleeps are jittered (half to all of the interval), so
// processes sharing one database take turns rather than one always looking
// first. Stopping lets the pass in hand finish and leaves no timer behind.
import type { Logger } from '@flexins/shared/server';

export interface PollingWork {
  /** What the log calls it when a pass fails (`follow-ups` → "follow-ups failed"). */
  name: string;
  /** One pass; `keepGoing` turns false once stop is asked, for a pass that works through many items. */
  pass(keepGoing: () => boolean): Promise<unknown>;
  /** The time between two passes, before jitter. */
  intervalMs(): number;
}

export class PollingLoop {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: () => void = () => {};

  constructor(
    private readonly work: PollingWork,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.work.pass(() => this.running);
      } catch (err) {
        // The database, most likely: tried again at the next pass.
        this.log.error(`${this.work.name} failed`, { err });
      }
      if (!this.running) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.work.intervalMs() * (0.5 + this.random() / 2));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
