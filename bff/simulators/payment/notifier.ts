// The paid notification (支付结果通知): once an order is paid, the cashier
// POSTs it to the order's notifyUrl, signed with the gateway signature as
// caller `payment` (secret: option NOTIFY_SECRET), with Idempotency-Key
// `<paymentOrderNo>:paid`. A failed attempt is retried with doubling delays
// (NOTIFY_RETRY_BASE_MS, default 1 s; NOTIFY_MAX_ATTEMPTS, default 6); every
// attempt is recorded on the order. It never blocks the browser's redirect,
// never crashes the process, and stops once the database is closed. Timers
// are unref'd so they do not hold the process open.
import { PAYMENT_NOTIFY_CALLER, type PaymentNotification } from '@flexins/shared';
import { GATEWAY_HEADERS, signedHeaders } from '@flexins/shared/server';
import type { SimDeps } from '../common/types';
import { paymentModels, type NotificationAttempt, type OrderRecord } from './models';

const CONNECTED = 1;

function intOption(deps: SimDeps, name: string, fallback: number, min: number): number {
  const raw = deps.config.options[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= min ? value : fallback;
}

export function notificationOf(order: OrderRecord): PaymentNotification {
  return {
    orderId: order.orderId,
    paymentOrderNo: order.paymentOrderNo,
    status: 'paid',
    amountFen: order.amountFen,
    paidAt: (order.paidAt ?? order.createdAt).toISOString(),
  };
}

export class Notifier {
  private readonly inFlight = new Set<string>();
  private warnedUnsigned = false;

  constructor(private readonly deps: SimDeps) {}

  private get baseMs() {
    return intOption(this.deps, 'NOTIFY_RETRY_BASE_MS', 1_000, 0);
  }
  private get maxAttempts() {
    return intOption(this.deps, 'NOTIFY_MAX_ATTEMPTS', 6, 1);
  }
  private get timeoutMs() {
    return intOption(this.deps, 'NOTIFY_TIMEOUT_MS', 5_000, 1);
  }

  /** Starts notifying for a paid order, unless this process is already doing so. */
  start(paymentOrderNo: string, attemptsSoFar = 0): void {
    if (this.inFlight.has(paymentOrderNo)) return;
    this.inFlight.add(paymentOrderNo);
    this.later(paymentOrderNo, attemptsSoFar + 1, 0);
  }

  /** Picks up notifications a previous run left pending (setup calls this). */
  async resumePending(): Promise<void> {
    const { Orders } = paymentModels(this.deps.db);
    const pending = await Orders.find({ notifyState: 'pending' }).lean();
    for (const order of pending) this.start(order.paymentOrderNo, order.notifications.length);
  }

  /** False once the simulator has stopped (its connection is closed). */
  private open(): boolean {
    return this.deps.db.readyState === CONNECTED;
  }

  private later(paymentOrderNo: string, attempt: number, delayMs: number): void {
    const timer = setTimeout(() => void this.attempt(paymentOrderNo, attempt), delayMs);
    timer.unref();
  }

  private async attempt(paymentOrderNo: string, attempt: number): Promise<void> {
    const { Orders } = paymentModels(this.deps.db);
    try {
      const order = this.open() ? await Orders.findOne({ paymentOrderNo }).lean() : null;
      if (!order || order.notifyState !== 'pending') {
        this.inFlight.delete(paymentOrderNo);
        return;
      }

      const outcome = await this.send(order);
      if (!this.open()) {
        this.inFlight.delete(paymentOrderNo);
        return;
      }
      const last = !outcome.ok && attempt >= this.maxAttempts;
      const state = outcome.ok ? { notifyState: 'delivered' } : last ? { notifyState: 'failed' } : {};
      await Orders.updateOne({ paymentOrderNo }, { $push: { notifications: outcome }, $set: state });

      if (outcome.ok || last) {
        this.inFlight.delete(paymentOrderNo);
        if (last) {
          this.deps.log.warn('支付结果通知多次失败，已停止重试', { paymentOrderNo, attempts: attempt });
        }
        return;
      }
      this.later(paymentOrderNo, attempt + 1, this.baseMs * 2 ** (attempt - 1));
    } catch (err) {
      // The database went away (shutdown) or another surprise: never crash the process.
      this.inFlight.delete(paymentOrderNo);
      if (this.open()) {
        this.deps.log.error('支付结果通知出错', { paymentOrderNo, err: err as Error });
      }
    }
  }

  private async send(order: OrderRecord): Promise<NotificationAttempt> {
    const at = this.deps.now();
    const body = JSON.stringify(notificationOf(order));
    const url = new URL(order.notifyUrl);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [GATEWAY_HEADERS.idempotencyKey]: `${order.paymentOrderNo}:paid`,
    };
    const secret = this.deps.config.options.NOTIFY_SECRET;
    if (secret) {
      Object.assign(
        headers,
        signedHeaders(PAYMENT_NOTIFY_CALLER, secret, { method: 'POST', path: url.pathname + url.search, body }),
      );
    } else if (!this.warnedUnsigned) {
      this.warnedUnsigned = true;
      this.deps.log.warn('未设置 SIM_OPT_NOTIFY_SECRET：支付结果通知不带签名发送');
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { at, ok: response.status >= 200 && response.status < 300, status: response.status };
    } catch (err) {
      const error = err as Error;
      const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
      return { at, ok: false, error: timedOut ? `${this.timeoutMs} 毫秒内没有应答` : '无法连接通知地址' };
    }
  }
}

const notifiers = new WeakMap<object, Notifier>();

/** One notifier per simulator (per database connection). */
export function notifierFor(deps: SimDeps): Notifier {
  let notifier = notifiers.get(deps.db);
  if (!notifier) {
    notifier = new Notifier(deps);
    notifiers.set(deps.db, notifier);
  }
  return notifier;
}
