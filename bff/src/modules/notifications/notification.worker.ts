// The loop that runs the notifier (platform/polling-loop.ts).
import type { Logger } from '@flexins/shared/server';
import { PollingLoop } from '../../platform/polling-loop';
import type { Notifier } from './notifier';

export class NotificationWorker extends PollingLoop {
  constructor(
    notifier: Notifier,
    log: Logger,
    /** Time between two looks for due cases (NOTIFY_INTERVAL_MS). */
    intervalMs: number,
    random: () => number = Math.random,
  ) {
    super(
      { name: 'notifier', pass: (keepGoing) => notifier.runDue(keepGoing), intervalMs: () => intervalMs },
      log,
      random,
    );
  }
}
