// The loop that runs the due follow-ups (platform/polling-loop.ts).
import type { Logger } from '@flexins/shared/server';
import { PollingLoop } from '../../platform/polling-loop';
import type { FollowUpService } from './follow-up.service';

export class FollowUpWorker extends PollingLoop {
  constructor(followUps: FollowUpService, log: Logger, random: () => number = Math.random) {
    super(
      { name: 'follow-ups', pass: (keepGoing) => followUps.runDue(keepGoing), intervalMs: () => followUps.sweepMs },
      log,
      random,
    );
  }
}
