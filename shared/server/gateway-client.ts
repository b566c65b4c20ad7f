// A signed HTTP client for one department system. It does one call with a
// time-out and reports what happened as a value; retries, back-off and
// circuit breaking belong to the caller (the BFF's department adapters).
import { GATEWAY_HEADERS, signedHeaders } from './gateway';

/** The `{ error: … }` body every department answers a failure with. */
interface ErrorReply {
  code?: string;
  message?: string;
  fields?: Record<string, string>;
  details?: Record<string, unknown>;
}

export interface GatewayClientOptions {
  baseUrl: string;
  callerId: string;
  secret: string;
  timeoutMs?: number;
}

export interface CallOptions {
  idempotencyKey?: string;
  requestId?: string;
  /** W3C trace context of this call (a child of the caller's span), sent as `traceparent`. */
  traceparent?: string;
  timeoutMs?: number;
  /** Ends the call as a time-out when aborted (the caller's time-out policy); instead of the client's own timer. */
  signal?: AbortSignal;
}

export type CallOutcome<T = unknown> =
  | { kind: 'ok'; status: number; body: T }
  /** The department answered with a refusal or an error of its own. */
  | {
      kind: 'error';
      status: number;
      code: string;
      message: string;
      fields?: Record<string, string>;
      /** Facts the department adds, e.g. the existing number behind ALREADY_REGISTERED. */
      details?: Record<string, unknown>;
    }
  /** No answer: time-out, refused connection, or a reply cut off. The work may or may not be done. */
  | { kind: 'unreachable'; reason: 'timeout' | 'network'; message: string };

export class GatewayClient {
  constructor(private readonly options: GatewayClientOptions) {}

  get<T>(path: string, options: CallOptions = {}): Promise<CallOutcome<T>> {
    return this.call<T>('GET', path, undefined, options);
  }

  post<T>(path: string, body: unknown, options: CallOptions = {}): Promise<CallOutcome<T>> {
    return this.call<T>('POST', path, body, options);
  }

  async call<T>(method: string, path: string, body: unknown, options: CallOptions = {}): Promise<CallOutcome<T>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = {
      ...signedHeaders(this.options.callerId, this.options.secret, { method, path, body: text }),
      accept: 'application/json',
    };
    if (text) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers[GATEWAY_HEADERS.idempotencyKey] = options.idempotencyKey;
    if (options.requestId) headers[GATEWAY_HEADERS.requestId] = options.requestId;
    if (options.traceparent) headers.traceparent = options.traceparent;

    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 5_000;
    try {
      const response = await fetch(new URL(path, this.options.baseUrl), {
        method,
        headers,
        body: text || undefined,
        signal: options.signal ?? AbortSignal.timeout(timeoutMs),
      });
      const raw = await response.text();
      let parsed: unknown;
      try {
        parsed = raw ? JSON.parse(raw) : undefined;
      } catch {
        return { kind: 'error', status: response.status, code: 'BAD_REPLY', message: '对方系统返回了无法解析的内容' };
      }
      if (response.ok) return { kind: 'ok', status: response.status, body: parsed as T };
      const error = (parsed as { error?: ErrorReply } | undefined)?.error;
      return {
        kind: 'error',
        status: response.status,
        code: error?.code ?? `HTTP_${response.status}`,
        message: error?.message ?? `对方系统返回 ${response.status}`,
        ...(error?.fields ? { fields: error.fields } : {}),
        ...(error?.details ? { details: error.details } : {}),
      };
    } catch (err) {
      const error = err as Error;
      if (error.name === 'TimeoutError' || error.name === 'AbortError') {
        return { kind: 'unreachable', reason: 'timeout', message: `${timeoutMs} 毫秒内没有应答` };
      }
      return { kind: 'unreachable', reason: 'network', message: error.message };
    }
  }
}
