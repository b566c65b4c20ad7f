// One place where every department call gets its time-out, its circuit
// breaker and its classification: done, refused (the department said no —
// final), or failed (no answer or a transient error — try again later).
import type { CallOutcome } from '@flexins/shared/server';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  IsolatedCircuitError,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type ICancellationContext,
  type IMergedPolicy,
  type TimeoutPolicy,
} from 'cockatiel';

export type DepartmentId = 'identity' | 'hrss' | 'medical' | 'tax' | 'payment' | 'market' | 'sms';

export const DEPARTMENT_LABELS: Record<DepartmentId, string> = {
  identity: '统一身份认证平台',
  hrss: '人社一体化系统',
  medical: '医保信息系统',
  tax: '税务系统',
  payment: '我的宁夏收银台',
  market: '市场监管登记注册系统',
  sms: '短信平台',
};

export type DeptResult<T> =
  | { kind: 'done'; value: T }
  /** The department decided against it: retrying will not change the answer. */
  | {
      kind: 'refused';
      code: string;
      message: string;
      details?: Record<string, unknown>;
      fields?: Record<string, string>;
    }
  /** No decision: time-out, connection lost, 5xx, breaker open, still in progress. */
  | { kind: 'failed'; reason: string };

/** Codes that mean "ask again later", though the status is 4xx. */
const TRANSIENT_CODES = new Set(['IDEMPOTENCY_IN_PROGRESS', 'RATE_LIMITED']);
/** Codes that mean our call itself was wrong (a bug or a misconfiguration), not the applicant. */
const OUR_FAULT_CODES = new Set([
  'SIGNATURE_MISSING',
  'UNKNOWN_CALLER',
  'SIGNATURE_INVALID',
  'STALE_TIMESTAMP',
  'REPLAYED_NONCE',
  'IDEMPOTENCY_KEY_REQUIRED',
  'IDEMPOTENCY_KEY_REUSED',
]);

export function classify<T>(department: DepartmentId, outcome: CallOutcome<T>): DeptResult<T> {
  const label = DEPARTMENT_LABELS[department];
  if (outcome.kind === 'ok') return { kind: 'done', value: outcome.body };
  if (outcome.kind === 'unreachable') {
    return {
      kind: 'failed',
      reason: outcome.reason === 'timeout' ? `${label}没有及时应答` : `${label}连接中断`,
    };
  }
  if (outcome.status >= 500 || TRANSIENT_CODES.has(outcome.code)) {
    return { kind: 'failed', reason: `${label}暂时不可用（${outcome.code}）` };
  }
  if (OUR_FAULT_CODES.has(outcome.code)) {
    return { kind: 'failed', reason: `与${label}的对接出错（${outcome.code}），已通知运维` };
  }
  return {
    kind: 'refused',
    code: outcome.code,
    message: outcome.message,
    ...(outcome.details ? { details: outcome.details } : {}),
    ...(outcome.fields ? { fields: outcome.fields } : {}),
  };
}

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  threshold: number;
  /** How long it stays open before one trial call is let through. */
  coolDownMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 8, coolDownMs: 5_000 };

export type BreakerState = 'closed' | 'open' | 'halfOpen';

/**
 * A department's circuit breaker and time-out (cockatiel's), per department and
 * process. It only spares a failing department (and our workers) from calls
 * bound to fail; correctness never depends on it, so it may live in memory.
 * A refusal counts as the department being healthy; a failed call (time-out,
 * no connection, 5xx) or a thrown error counts against it. While the trial call
 * after the cool-down is out, other calls wait for its answer.
 */
export class DepartmentBreaker {
  readonly breaker: CircuitBreakerPolicy;
  /** The breaker around the time-out: a call that times out counts as a failure. */
  readonly policy: IMergedPolicy<ICancellationContext, never, [CircuitBreakerPolicy, TimeoutPolicy]>;
  private openedAt = 0;

  constructor(
    private readonly options: BreakerOptions,
    timeoutMs: number,
  ) {
    this.breaker = circuitBreaker(
      handleAll.orWhenResult((result) => (result as DeptResult<unknown>).kind === 'failed'),
      { halfOpenAfter: options.coolDownMs, breaker: new ConsecutiveBreaker(options.threshold) },
    );
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
    });
    // abortOnReturn off: cockatiel would otherwise abort every call's signal after it answered, and
    // each abort makes a DOMException with its stack (3 % of the BFF's CPU under load); the
    // gateway client lets go of the signal itself once the reply is read.
    this.policy = wrap(
      this.breaker,
      timeout(timeoutMs, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false }),
    );
  }

  /**
   * cockatiel's breaker stays open until a call comes after the cool-down; the
   * engine calls a department only while its breaker is not open, so past the
   * cool-down it reads half-open: the next call is the trial.
   */
  get state(): BreakerState {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'halfOpen';
      case CircuitState.Open:
        return Date.now() - this.openedAt >= this.options.coolDownMs ? 'halfOpen' : 'open';
      default:
        return 'open'; // isolated: held open by hand
    }
  }
}

/**
 * Runs one department call through its breaker and time-out and classifies it.
 * `call` gets the signal that aborts it when the time is up.
 */
export async function guarded<T>(
  department: DepartmentId,
  breaker: DepartmentBreaker,
  call: (signal: AbortSignal) => Promise<CallOutcome<T>>,
): Promise<DeptResult<T>> {
  try {
    return await breaker.policy.execute(async ({ signal }) => classify(department, await call(signal)));
  } catch (err) {
    if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
      return { kind: 'failed', reason: `${DEPARTMENT_LABELS[department]}暂时不可用，稍后自动重试` };
    }
    throw err;
  }
}
