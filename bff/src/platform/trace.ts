// Traces (链路追踪) with W3C Trace Context: every request to the BFF, and every
// run of a case by a worker, carries a trace — the caller's `traceparent`
// when it sends a well-formed one, a new one otherwise. Each department call
// sends a child `traceparent`, and the trace id goes into the request's log
// lines, so one id follows a citizen's tap through the BFF to every
// department system.
//
// The context is OpenTelemetry's (`@opentelemetry/api`): the span context
// sits in the active context, so an OpenTelemetry SDK registered later sees
// the same traces. Without an SDK the API has no context manager and would
// forget the context across `await`; we register a small one on Node's
// AsyncLocalStorage, unless one is registered already.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  ROOT_CONTEXT,
  TraceFlags,
  context,
  isSpanContextValid,
  trace,
  type Context,
  type ContextManager,
  type SpanContext,
} from '@opentelemetry/api';

export const TRACEPARENT_HEADER = 'traceparent';

/** Version, trace id, parent id, flags; a later version may append fields after a dash. */
const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** OpenTelemetry's context kept across awaits by AsyncLocalStorage. */
class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (thisArg: unknown, args: unknown[]): unknown =>
      this.with(ctx, () => (target as (...a: unknown[]) => unknown).apply(thisArg, args));
    return function (this: unknown, ...args: unknown[]) {
      return run(this, args);
    } as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.storage.disable();
    return this;
  }
}

// false when an SDK registered its own first: then that one keeps the context.
context.setGlobalContextManager(new AsyncLocalStorageContextManager());

/** The span context of a `traceparent` header, or undefined when it is missing or malformed. */
export function parseTraceparent(header: string | undefined): SpanContext | undefined {
  const match = TRACEPARENT_PATTERN.exec((header ?? '').trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  // Version ff is invalid; version 00 has exactly four fields.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const parsed: SpanContext = { traceId: traceId!, spanId: spanId!, traceFlags: parseInt(flags!, 16), isRemote: true };
  return isSpanContextValid(parsed) ? parsed : undefined;
}

export function formatTraceparent(span: SpanContext): string {
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

// Ids from a pool of random bytes filled 4 KB at a time: one call into the
// system's generator per 170 spans rather than one per id (about 4 µs each).
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = POOL_BYTES;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  poolOffset += bytes;
  return pool.toString('hex', poolOffset - bytes, poolOffset);
}

const newSpanId = () => randomHex(8);

/**
 * A span of ours: a child of `parent` (same trace, new span id), or the
 * first of a new trace. New traces are marked sampled: their logs are kept.
 */
export function startSpan(parent?: SpanContext): SpanContext {
  if (parent) return { traceId: parent.traceId, spanId: newSpanId(), traceFlags: parent.traceFlags };
  return { traceId: randomHex(16), spanId: newSpanId(), traceFlags: TraceFlags.SAMPLED };
}

/** Runs `fn` with `span` as the current span (for awaits inside it too). */
export function withSpan<T>(span: SpanContext, fn: () => T): T {
  return context.with(trace.setSpanContext(context.active(), span), fn);
}

/** Runs `fn` in a new trace of its own (a worker's run of a case, a follow-up). */
export function inNewTrace<T>(fn: () => T): T {
  return withSpan(startSpan(), fn);
}

export function currentSpan(): SpanContext | undefined {
  const span = trace.getSpanContext(context.active());
  return span && isSpanContextValid(span) ? span : undefined;
}

/** The `traceparent` for a call going out now: a child of the current span, or of a new trace. */
export function outgoingTraceparent(): string {
  return formatTraceparent(startSpan(currentSpan()));
}

/** The trace fields of a log line written now (none outside a trace). */
export function traceFields(): { traceId?: string; spanId?: string } {
  const span = currentSpan();
  return span ? { traceId: span.traceId, spanId: span.spanId } : {};
}
