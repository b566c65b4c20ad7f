// The loop that makes the day before's summary once DAILY_SUMMARY_AT has
// passed (China time), on platform/polling-loop.ts. Each look is cheap when
// the day is made (one read by `_id`), and exactly one process makes a day
// (DailySummaryService.claim).
import type { Logger } from '@flexins/shared/server';
import { PollingLoop } from '../../platform/polling-loop';
import type { DailySummaryService, RunOutcome } from './daily-summary.service';

export class DailySummaryWorker extends PollingLoop {
  /** Each look's outcome, for tests (the last 100). */
  readonly outcomes: RunOutcome[];

  constructor(summaries: DailySummaryService, log: Logger, random: () => number = Math.random) {
    const outcomes: RunOutcome[] = [];
    super(
      {
        name: 'daily summary',
        pass: async () => {
          const outcome = await summaries.runDue();
          if (outcomes.length >= 100) outcomes.shift();
          outcomes.push(outcome);
        },
        intervalMs: () => summaries.options.pollMs,
      },
      log,
      random,
    );
    this.outcomes = outcomes;
  }
}
