// The staff pages' one way to the BFF: the staff token on every call, the
// renewed token taken from every reply, a time-out, and every failure as a
// plain Chinese message. A 401 ends the session and goes back to sign-in.
import type { ErrorBody } from '@flexins/shared';
import { API_BASE } from '../../services/config';
import { ApiError, NETWORK_MESSAGES, refusalOf } from '../../services/http';
import { send, type Reply } from '../../services/transport';
import { currentSession, endSession, renewToken } from './session';
import { STAFF_TEXT } from '../text';

export { ApiError };

export type Method = 'GET' | 'POST' | 'PATCH';

export interface StaffRequestOptions {
  body?: unknown;
  /** Query parameters; empty values are left out. */
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  anonymous?: boolean;
  timeoutMs?: number;
  /** Read the reply as text (exports). */
  text?: boolean;
  /** Read the reply as bytes (a workbook); a refusal is still read as JSON. */
  binary?: boolean;
}

const RENEWED = 'x-renewed-token';

/** Called when the BFF says the session is over (set by the staff page frame). */
let onSignedOut: (reason: string) => void = () => {};
export function whenSignedOut(handler: (reason: string) => void): void {
  onSignedOut = handler;
}

export function queryString(query: Record<string, string | undefined> = {}): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v!)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function errorOf(status: number, data: unknown, anonymous: boolean): ApiError {
  if (status === 401 && !anonymous) {
    endSession(STAFF_TEXT.sessionExpired);
    onSignedOut(STAFF_TEXT.sessionExpired);
    const code = (data as Partial<ErrorBody> | undefined)?.error?.code;
    return new ApiError('signedOut', STAFF_TEXT.sessionExpired, status, code);
  }
  return refusalOf(status, data);
}

export async function staffRequest<T>(method: Method, path: string, options: StaffRequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (!options.anonymous) {
    const session = currentSession();
    if (!session) {
      onSignedOut(STAFF_TEXT.sessionExpired);
      throw new ApiError('signedOut', STAFF_TEXT.sessionExpired, 401);
    }
    headers.authorization = `Bearer ${session.token}`;
  }
  let reply: Reply;
  try {
    reply = await send({
      url: `${API_BASE}${path}${queryString(options.query)}`,
      method,
      header: headers,
      ...(options.body === undefined ? {} : { data: options.body }),
      timeout: options.timeoutMs ?? 15_000,
      as: options.text ? 'text' : options.binary ? 'arraybuffer' : 'json',
    });
  } catch (err) {
    const text = String((err as { errMsg?: string; message?: string })?.errMsg ?? (err as Error)?.message ?? '');
    if (/timeout|超时|abort/i.test(text)) throw new ApiError('timeout', STAFF_TEXT.timeout);
    throw new ApiError('offline', STAFF_TEXT.offline);
  }
  const renewed = reply.header[RENEWED];
  if (renewed && !options.anonymous) renewToken(renewed);
  if (reply.statusCode >= 200 && reply.statusCode < 300) return reply.data as T;
  throw errorOf(reply.statusCode, options.binary ? jsonOf(reply.data) : reply.data, Boolean(options.anonymous));
}

/** A refusal that came back as bytes: its JSON, or nothing. */
function jsonOf(data: unknown): unknown {
  if (!(data instanceof ArrayBuffer)) return data;
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

/** A message for anything a page caught. */
export function staffMessageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return NETWORK_MESSAGES.server;
}
