// The government data-exchange gateway's call authentication (政务数据交换网关):
// every call names its caller and carries an HMAC-SHA256 signature over
// method, path (with query), timestamp, nonce and the body's digest.
// The department simulators verify it; the BFF's adapters sign with it.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export const GATEWAY_HEADERS = {
  caller: 'x-caller-id',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  signature: 'x-signature',
  idempotencyKey: 'idempotency-key',
  requestId: 'x-request-id',
} as const;

/** How far a caller's clock may be from ours before a call is refused as stale. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface SignatureInput {
  method: string;
  /** Path and query exactly as sent, e.g. `/hrss/v1/enrollments?idNumber=…`. */
  path: string;
  timestamp: string;
  nonce: string;
  body: string;
}

export function canonicalString({ method, path, timestamp, nonce, body }: SignatureInput): string {
  const bodyDigest = createHash('sha256').update(body).digest('hex');
  return [method.toUpperCase(), path, timestamp, nonce, bodyDigest].join('\n');
}

export function sign(secret: string, input: SignatureInput): string {
  return createHmac('sha256', secret).update(canonicalString(input)).digest('hex');
}

export function signatureMatches(secret: string, input: SignatureInput, signature: string): boolean {
  const expected = Buffer.from(sign(secret, input), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The headers of one signed call. */
export function signedHeaders(
  callerId: string,
  secret: string,
  request: { method: string; path: string; body: string },
  now: number = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  const nonce = randomUUID();
  return {
    [GATEWAY_HEADERS.caller]: callerId,
    [GATEWAY_HEADERS.timestamp]: timestamp,
    [GATEWAY_HEADERS.nonce]: nonce,
    [GATEWAY_HEADERS.signature]: sign(secret, { ...request, timestamp, nonce }),
  };
}

/**
 * `callerA:secretA,callerB:secretB` → a map. Used for the SIM_CALLERS setting
 * of the simulators and the BFF's own credentials.
 */
export function parseCallerSecrets(raw: string): Map<string, string> {
  const callers = new Map<string, string>();
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf(':');
    if (at <= 0 || at === pair.length - 1)
      throw new Error(`调用方密钥格式应为 callerId:secret（收到 "${pair.slice(0, 20)}…"）`);
    callers.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return callers;
}
