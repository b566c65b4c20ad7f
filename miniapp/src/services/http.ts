// The only place that talks to the BFF: our token on every call, a time-out,
// a few retries for calls that are safe to repeat, and every failure turned
// into a plain Chinese message the page shows beside a 重试 button.
import type { ErrorBody, FieldErrors } from '@flexins/shared';
import { API_BASE } from './config';
import { currentToken, forgetToken } from './session';
import { send } from './transport';

export type ApiErrorKind = 'offline' | 'timeout' | 'server' | 'refused' | 'signedOut';

export const NETWORK_MESSAGES: Record<'offline' | 'timeout' | 'server', string> = {
  offline: '网络好像断了，请检查手机网络后点“重试”。您填写的内容不会丢失。',
  timeout: '网络太慢，等了很久没有回应，请点“重试”。您填写的内容不会丢失。',
  server: '系统繁忙，请稍后点“重试”；如多次失败请拨打 12333。',
};

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status = 0,
    readonly code?: string,
    readonly fields?: FieldErrors,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth another try by the citizen (the network or our side), not a "no". */
  get retryable(): boolean {
    return this.kind === 'offline' || this.kind === 'timeout' || this.kind === 'server';
  }
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send without our token (sign-in, public checks). */
  anonymous?: boolean;
  timeoutMs?: number;
  /** Automatic repeats on network failure or 502/503/504; by default only for calls safe to repeat. */
  retries?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const RETRY_DELAY_MS = 500;
const RETRYABLE_STATUS = new Set([502, 503, 504]);

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function safeToRepeat(method: string, headers: Record<string, string>): boolean {
  return method === 'GET' || method === 'PUT' || 'idempotency-key' in headers;
}

function failureOf(err: unknown): ApiError {
  const text = String((err as { errMsg?: string; message?: string })?.errMsg ?? (err as Error)?.message ?? '');
  if (/timeout|超时|abort/i.test(text)) return new ApiError('timeout', NETWORK_MESSAGES.timeout);
  return new ApiError('offline', NETWORK_MESSAGES.offline);
}

function errorOf(status: number, data: unknown): ApiError {
  if (status === 401) {
    forgetToken();
    const error = (data as Partial<ErrorBody> | undefined)?.error;
    return new ApiError('signedOut', error?.message ?? '登录已过期，请重新登录', status, error?.code);
  }
  return refusalOf(status, data);
}

/** A reply that is not a success, other than "signed out": the BFF's code, message and fields, or a plain fallback. */
export function refusalOf(status: number, data: unknown): ApiError {
  const error = (data as Partial<ErrorBody> | undefined)?.error;
  if (status >= 500) {
    return new ApiError('server', error?.message ?? NETWORK_MESSAGES.server, status, error?.code);
  }
  return new ApiError(
    'refused',
    error?.message ?? '没能办理，请稍后再试',
    status,
    error?.code,
    error?.fields,
    error?.details,
  );
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const token = options.anonymous ? undefined : currentToken();
  if (token) headers.authorization = `Bearer ${token}`;
  const retries = options.retries ?? (safeToRepeat(method, headers) ? 2 : 0);

  let failure: ApiError = new ApiError('offline', NETWORK_MESSAGES.offline);
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await wait(RETRY_DELAY_MS * 2 ** (attempt - 1));
    let reply: { statusCode: number; data: unknown };
    try {
      reply = await send({
        url: `${API_BASE}${path}`,
        method,
        header: headers,
        ...(options.body === undefined ? {} : { data: options.body }),
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
    } catch (err) {
      failure = failureOf(err);
      continue;
    }
    if (reply.statusCode >= 200 && reply.statusCode < 300) return reply.data as T;
    failure = errorOf(reply.statusCode, reply.data);
    if (!RETRYABLE_STATUS.has(reply.statusCode)) break;
  }
  throw failure;
}

/** A message for anything a page caught. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  // Our own adapters throw plain Chinese sentences; anything else is not for the citizen's eyes.
  if (err instanceof Error && /[\u4e00-\u9fff]/.test(err.message)) return err.message;
  return NETWORK_MESSAGES.server;
}
