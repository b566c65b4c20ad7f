// Prometheus metrics (监控指标): the one registry of this process and every
// metric's definition, behind small functions the rest of the code calls
// where the thing happens. Scraped on a listener of its own with a token
// (metrics-server.ts), never on the public port.
//
// Label values are bounded by construction: route patterns, department and
// operation names from our own code, outcomes and states from fixed lists —
// never a raw URL, a case number or anything about a person.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
// Process figures (CPU, memory, event-loop delay, GC), prefixed like ours.
collectDefaultMetrics({ register: registry, prefix: 'flexins_' });

export const BREAKER_STATES = ['closed', 'halfOpen', 'open'] as const;
export type BreakerStateName = (typeof BREAKER_STATES)[number];

/** How a department call ended: an answer, a refusal, no decision (time-out, 5xx, …), or not sent (breaker open). */
export const DEPARTMENT_OUTCOMES = ['done', 'refused', 'failed', 'breakerOpen'] as const;
export type DepartmentOutcome = (typeof DEPARTMENT_OUTCOMES)[number];

const httpDuration = new Histogram({
  name: 'flexins_http_request_duration_seconds',
  help: 'Requests to the BFF by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const departmentDuration = new Histogram({
  name: 'flexins_department_call_duration_seconds',
  help: 'Calls to the department systems by department, operation and outcome (done, refused, failed, breakerOpen)',
  labelNames: ['department', 'operation', 'outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
  registers: [registry],
});

const breakerGauge = new Gauge({
  name: 'flexins_breaker_state',
  help: 'Circuit breaker per department: 1 for its current state (closed, halfOpen, open), 0 for the others',
  labelNames: ['department', 'state'] as const,
  registers: [registry],
});

const breakerChanges = new Counter({
  name: 'flexins_breaker_transitions_total',
  help: 'Circuit breaker state changes per department, by the state entered',
  labelNames: ['department', 'state'] as const,
  registers: [registry],
});

const rateLimitRefusals = new Counter({
  name: 'flexins_rate_limited_total',
  help: 'Requests refused with 429 by a rate limit, by limit name',
  labelNames: ['limiter'] as const,
  registers: [registry],
});

const caseRunDuration = new Histogram({
  name: 'flexins_case_run_duration_seconds',
  help: "Worker runs of one case's linked processing (one lease), by outcome (ok, error)",
  labelNames: ['outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [registry],
});

// Read from the database when scraped (refreshers below), never on a request's path.
const jobsGauge = new Gauge({
  name: 'flexins_jobs',
  help: 'Jobs of the linked processing queue: due (waiting for a worker), leased (being worked), scheduled (a retry later)',
  labelNames: ['state'] as const,
  registers: [registry],
});

const oldestJobAge = new Gauge({
  name: 'flexins_job_oldest_age_seconds',
  help: 'Age of the oldest job in the queue (0 when the queue is empty)',
  registers: [registry],
});

const casesGauge = new Gauge({
  name: 'flexins_cases',
  help: 'Cases by state (processing, awaitingPayment, completed) and channel (app, window); training cases not counted',
  labelNames: ['state', 'channel'] as const,
  registers: [registry],
});

const casesWithMatter = new Gauge({
  name: 'flexins_cases_with_matter',
  help: 'Cases with at least one matter in this state (manual: in manual handling now; rejected: refused), by channel',
  labelNames: ['state', 'channel'] as const,
  registers: [registry],
});

const followUpsDue = new Gauge({
  name: 'flexins_follow_ups_due',
  help: 'Follow-ups (跟踪回访) due now: cases whose card or archive HRSS should be asked about',
  registers: [registry],
});

const messagesDue = new Gauge({
  name: 'flexins_cases_with_messages_due',
  help: 'Cases with messages (SMS, subscription) still to send: ready (waiting for the notifier), sending (leased), held (quiet hours or the gateway failing)',
  labelNames: ['state'] as const,
  registers: [registry],
});

const refreshFailures = new Counter({
  name: 'flexins_metrics_refresh_failures_total',
  help: 'Scrapes whose database figures could not be read in time (the gauges keep their last values)',
  registers: [registry],
});

/** One request has been answered; `route` is the matched pattern (e.g. /api/applications/:caseNo). */
export function httpRequest(method: string, route: string, status: number, seconds: number): void {
  httpDuration.observe({ method, route, status: String(status) }, seconds);
}

/** One department call has ended; `operation` names it from our code (e.g. employment-registrations). */
export function departmentCall(department: string, operation: string, outcome: DepartmentOutcome, seconds: number) {
  departmentDuration.observe({ department, operation, outcome }, seconds);
}

const breakerNow = new Map<string, BreakerStateName>();

/** The breaker of `department` is in `state` now; call it freely, only changes count as transitions. */
export function breakerState(department: string, state: BreakerStateName): void {
  const before = breakerNow.get(department);
  if (before === state) return;
  breakerNow.set(department, state);
  for (const s of BREAKER_STATES) breakerGauge.set({ department, state: s }, s === state ? 1 : 0);
  if (before !== undefined) breakerChanges.inc({ department, state });
}

/** A rate limit refused a request. */
export function rateLimited(limiter: string): void {
  rateLimitRefusals.inc({ limiter });
}

/** A worker finished one run of a case (it may have more to do later). */
export function caseRun(outcome: 'ok' | 'error', seconds: number): void {
  caseRunDuration.observe({ outcome }, seconds);
}

export interface QueueFigures {
  due: number;
  leased: number;
  scheduled: number;
  oldestAgeSeconds: number;
}

export function queueFigures(figures: QueueFigures): void {
  jobsGauge.set({ state: 'due' }, figures.due);
  jobsGauge.set({ state: 'leased' }, figures.leased);
  jobsGauge.set({ state: 'scheduled' }, figures.scheduled);
  oldestJobAge.set(figures.oldestAgeSeconds);
}

export interface CaseFigures {
  channel: string;
  processing: number;
  awaitingPayment: number;
  completed: number;
  manual: number;
  rejected: number;
}

export function caseFigures(rows: readonly CaseFigures[]): void {
  for (const row of rows) {
    const channel = row.channel;
    casesGauge.set({ state: 'processing', channel }, row.processing);
    casesGauge.set({ state: 'awaitingPayment', channel }, row.awaitingPayment);
    casesGauge.set({ state: 'completed', channel }, row.completed);
    casesWithMatter.set({ state: 'manual', channel }, row.manual);
    casesWithMatter.set({ state: 'rejected', channel }, row.rejected);
  }
}

export function followUpFigures(due: number): void {
  followUpsDue.set(due);
}

export interface MessageFigures {
  ready: number;
  sending: number;
  held: number;
}

export function messageFigures(figures: MessageFigures): void {
  messagesDue.set({ state: 'ready' }, figures.ready);
  messagesDue.set({ state: 'sending' }, figures.sending);
  messagesDue.set({ state: 'held' }, figures.held);
}

type Refresher = () => Promise<void>;
const refreshers = new Set<Refresher>();

/**
 * Runs `refresh` before every scrape (it reads the database and sets the
 * gauges above); returns a function that removes it again.
 */
export function beforeScrape(refresh: Refresher): () => void {
  refreshers.add(refresh);
  return () => refreshers.delete(refresh);
}

/** How long a scrape waits for the database figures before answering with the last ones. */
export const REFRESH_TIMEOUT_MS = 2_000;

/** The text exposition format, database figures refreshed first. */
export async function renderMetrics(
  onRefreshError: (err: unknown) => void = () => {},
): Promise<{ contentType: string; body: string }> {
  await Promise.all(
    [...refreshers].map(async (refresh) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          refresh(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`not read in ${REFRESH_TIMEOUT_MS} ms`)), REFRESH_TIMEOUT_MS);
          }),
        ]);
      } catch (err) {
        refreshFailures.inc();
        onRefreshError(err);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { contentType: registry.contentType, body: await registry.metrics() };
}
