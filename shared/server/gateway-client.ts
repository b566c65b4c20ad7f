// A signed HTTP client for one department system. It does one call with a
// time-out and reports what happened as a value; retries, back-off and
// circuit breaking belong to the caller (the BFF's department adapters).
import http from 'node:http';
import https from 'node:https';
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
    if (text) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(text));
    }
    if (options.idempotencyKey) headers[GATEWAY_HEADERS.idempotencyKey] = options.idempotencyKey;
    if (options.requestId) headers[GATEWAY_HEADERS.requestId] = options.requestId;
    if (options.traceparent) headers.traceparent = options.traceparent;

    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 5_000;
    const reply = await exchange(new URL(path, this.options.baseUrl), method, headers, text, timeoutMs, options.signal);
    if (reply.kind === 'timeout') {
      return { kind: 'unreachable', reason: 'timeout', message: `${timeoutMs} 毫秒内没有应答` };
    }
    if (reply.kind === 'network') return { kind: 'unreachable', reason: 'network', message: reply.message };
    let parsed: unknown;
    try {
      parsed = reply.text ? JSON.parse(reply.text) : undefined;
    } catch {
      return { kind: 'error', status: reply.status, code: 'BAD_REPLY', message: '对方系统返回了无法解析的内容' };
    }
    if (reply.status >= 200 && reply.status < 300) return { kind: 'ok', status: reply.status, body: parsed as T };
    const error = (parsed as { error?: ErrorReply } | undefined)?.error;
    return {
      kind: 'error',
      status: reply.status,
      code: error?.code ?? `HTTP_${reply.status}`,
      message: error?.message ?? `对方系统返回 ${reply.status}`,
      ...(error?.fields ? { fields: error.fields } : {}),
      ...(error?.details ? { details: error.details } : {}),
    };
  }
}

/**
 * Kept-alive connections, closed a second before the department's own keep-alive
 * time-out (Node's agent reads its Keep-Alive header, but only below its own time-out).
 */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, timeout: 60_000 }),
  'https:': new https.Agent({ keepAlive: true, timeout: 60_000 }),
};

type Exchange =
  { kind: 'reply'; status: number; text: string } | { kind: 'timeout' } | { kind: 'network'; message: string };

/**
 * One request with node:http on a kept-alive connection, not fetch: undici's
 * WHATWG streams cost more CPU than the call's own work (every department call
 * of the BFF, and HRSS's postage checks). Ends as a time-out when `signal`
 * aborts, or when `timeoutMs` passes without one.
 */
function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  text: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    if (signal?.aborted) return resolve({ kind: 'timeout' });
    const secure = url.protocol === 'https:';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: Exchange) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const request = (secure ? https : http).request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        agent: secure ? AGENTS['https:'] : AGENTS['http:'],
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          finish({ kind: 'reply', status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', (err) => finish({ kind: 'network', message: err.message }));
        response.on('aborted', () => finish({ kind: 'network', message: '应答中途断开' }));
      },
    );
    function onAbort() {
      finish({ kind: 'timeout' });
      request.destroy();
    }
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    else timer = setTimeout(onAbort, timeoutMs);
    request.on('error', (err) => finish({ kind: 'network', message: err.message }));
    request.end(text || undefined);
  });
}
