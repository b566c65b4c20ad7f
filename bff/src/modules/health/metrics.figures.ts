// The figures the metrics read when scraped rather than on a request's path:
// the queue, the cases by state and channel (from the supervision counters,
// never the cases), the follow-ups due, the cases with messages to send — and
// each department's breaker, whose open → half-open happens with time, not
// with a call. Every process that
// serves metrics reads the same database figures: take one, do not add them
// up across instances (`max without(instance) (flexins_jobs)`).
import { breakerState, caseFigures, followUpFigures, messageFigures, queueFigures } from '../../platform/metrics';
import type { Services } from '../../services';

export function scrapedFigures(
  services: Pick<Services, 'engine' | 'supervision' | 'followUps' | 'departments' | 'notifier'>,
) {
  return async (): Promise<void> => {
    for (const [department, breaker] of Object.entries(services.departments.breakers)) {
      breakerState(department, breaker.state);
    }
    const now = new Date();
    const [queue, cases, followUpsDue, messages] = await Promise.all([
      services.engine.queue.figures(now),
      services.supervision.caseFigures(),
      services.followUps.dueCount(now),
      services.notifier.dueFigures(),
    ]);
    queueFigures(queue);
    caseFigures(cases);
    followUpFigures(followUpsDue);
    messageFigures(messages);
  };
}
