// What this device remembers between pages and visits: our own token, the
// eligibility verdict, the key of a submission in flight.
import type { EligibilityVerdict } from '@flexins/shared';
import { KEYS, readStored, removeStored, writeStored } from './storage';

const TOKEN = KEYS.token;
const VERDICT = KEYS.verdict;
const SUBMIT_KEY = KEYS.submitKey;
const SIGN_IN_STATE = KEYS.signInState;

interface StoredToken {
  token: string;
  expiresAt: string;
}

export function currentToken(): string | undefined {
  const stored = readStored<StoredToken>(TOKEN);
  if (!stored || Date.parse(stored.expiresAt) <= Date.now()) return undefined;
  return stored.token;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The token's subject (our applicant id), read from its payload; mini-programs have no atob. */
export function subjectOf(token: string): string | undefined {
  const payload = token.split('.')[1] ?? '';
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of payload) {
    const index = BASE64URL.indexOf(char);
    if (index < 0) continue;
    value = (value << 6) | index;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  try {
    const json = decodeURIComponent(bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps our token; someone else signing in on this phone does not see the last person's draft. */
export function keepToken(token: string, expiresAt: string): void {
  const owner = subjectOf(token);
  if (readStored<string>(KEYS.owner) !== owner) {
    for (const key of [KEYS.draft, KEYS.verdict, KEYS.submitKey]) removeStored(key);
    writeStored(KEYS.owner, owner ?? '');
  }
  writeStored(TOKEN, { token, expiresAt });
}

export function forgetToken(): void {
  removeStored(TOKEN);
}

export function keepVerdict(verdict: EligibilityVerdict): void {
  writeStored(VERDICT, verdict);
}

export function lastVerdict(): EligibilityVerdict | undefined {
  return readStored<EligibilityVerdict>(VERDICT);
}

/** A random id for idempotency keys and sign-in state ([A-Za-z0-9_-], 32 characters). */
export function randomKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(32);
  const crypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * The submission's idempotency key: made once and kept until the case exists,
 * so a retry after a lost reply, a double tap or a reload submits the same
 * application, never a second one.
 */
export function submitKey(): string {
  const existing = readStored<string>(SUBMIT_KEY);
  if (existing) return existing;
  const key = randomKey();
  writeStored(SUBMIT_KEY, key);
  return key;
}

export function submitDone(): void {
  removeStored(SUBMIT_KEY);
}

export function keepSignInState(state: string): void {
  writeStored(SIGN_IN_STATE, state);
}

export function takeSignInState(): string | undefined {
  const state = readStored<string>(SIGN_IN_STATE);
  removeStored(SIGN_IN_STATE);
  return state;
}
