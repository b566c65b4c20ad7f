// The loop that runs the notifier, started and stopped with the engine's
// worker (bff/src/modules/processing/worker.ts): inside the BFF, or in
// bff/src/worker.ts processes. Its sleeps are jittered, so processes sharing
// one database take turns rather than one always looking first.
import type { Logger } from '@flexins/shared/server';
import type { Notifier } from './notifier';

export class NotificationWorker {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: () => void = () => {};

  constructor(
    private readonly notifier: Notifier,
    private readonly log: Logger,
    /** Time between two looks for due cases (NOTIFY_INTERVAL_MS). */
    private readonly intervalMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Lets the cases in hand finish, and leaves no timer behind. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.notifier.runDue(() => this.running);
      } catch (err) {
        // The database: tried again at the next look.
        this.log.error('notifier failed', { err });
      }
      if (!this.running) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.intervalMs * (0.5 + this.random() / 2));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
