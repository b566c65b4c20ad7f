// One place where every department call gets its time-out, its circuit
// breaker and its classification: done, refused (the department said no —
// final), or failed (no answer or a transient error — try again later).
import type { CallOutcome } from '@flexins/shared/server';

export type DepartmentId = 'identity' | 'hrss' | 'medical' | 'tax' | 'payment' | 'market';

export const DEPARTMENT_LABELS: Record<DepartmentId, string> = {
  identity: '统一身份认证平台',
  hrss: '人社一体化系统',
  medical: '医保信息系统',
  tax: '税务系统',
  payment: '我的宁夏收银台',
  market: '市场监管登记注册系统',
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

/**
 * A circuit breaker per department and process. It only spares a failing
 * department (and our workers) from calls bound to fail; correctness never
 * depends on it, so it may live in memory.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): 'closed' | 'open' | 'halfOpen' {
    if (this.failures < this.options.threshold) return 'closed';
    return this.now() - this.openedAt >= this.options.coolDownMs ? 'halfOpen' : 'open';
  }

  /** Whether a call may go out now. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  record(success: boolean): void {
    this.trialInFlight = false;
    if (success) {
      this.failures = 0;
      return;
    }
    this.failures += 1;
    if (this.failures >= this.options.threshold) this.openedAt = this.now();
  }
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 8, coolDownMs: 5_000 };

/**
 * Runs one department call through the breaker and classifies it. A refusal
 * counts as the department being healthy.
 */
export async function guarded<T>(
  department: DepartmentId,
  breaker: CircuitBreaker,
  call: () => Promise<CallOutcome<T>>,
): Promise<DeptResult<T>> {
  if (!breaker.allow()) {
    return { kind: 'failed', reason: `${DEPARTMENT_LABELS[department]}暂时不可用，稍后自动重试` };
  }
  const result = classify(department, await call());
  breaker.record(result.kind !== 'failed');
  return result;
}
