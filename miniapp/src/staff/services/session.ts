// The member of staff signed in on this device: the token, when it lapses and
// who they are. Kept apart from the citizen's token so that one browser can
// never mix the two. The token is an idle limit: every reply may carry a
// renewed one (X-Renewed-Token), which moves the limit on.
import type { StaffSignInReply } from '@flexins/shared';
import { readStored, removeStored, writeStored } from '../../services/storage';

const SESSION = 'flexins.staff.session';
const SIGNED_OUT = 'flexins.staff.signedOut';

/** The sign-in reply as kept here; a renewed token replaces `token` and `expiresAt`. */
export type StaffSession = StaffSignInReply;

export function currentSession(): StaffSession | undefined {
  const stored = readStored<StaffSession>(SESSION);
  if (!stored || Date.parse(stored.expiresAt) <= Date.now()) return undefined;
  return stored;
}

/** Signed in once but the idle limit has passed. */
export function sessionLapsed(): boolean {
  const stored = readStored<StaffSession>(SESSION);
  return Boolean(stored) && Date.parse(stored!.expiresAt) <= Date.now();
}

export function keepSession(session: StaffSession): void {
  writeStored(SESSION, session);
}

/** When a JWT lapses, from its `exp` claim (seconds); undefined if it cannot be read. */
export function expiryOf(token: string): string | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const exp = (JSON.parse(decodeBase64(padded)) as { exp?: number }).exp;
    return typeof exp === 'number' ? new Date(exp * 1000).toISOString() : undefined;
  } catch {
    return undefined;
  }
}

function decodeBase64(text: string): string {
  if (typeof atob === 'function') return atob(text);
  // Mini-programs have no atob: the claims are ASCII, so a plain decoder does.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const ch of text.replace(/=+$/, '')) {
    value = (value << 6) | alphabet.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((value >> bits) & 0xff);
    }
  }
  return out;
}

/** A renewed token from the BFF replaces the old one and moves the idle limit on. */
export function renewToken(token: string): void {
  const stored = readStored<StaffSession>(SESSION);
  if (!stored) return;
  keepSession({ ...stored, token, expiresAt: expiryOf(token) ?? stored.expiresAt });
}

/** Sign out; `reason` is shown on the sign-in page once. */
export function endSession(reason?: string): void {
  removeStored(SESSION);
  if (reason) writeStored(SIGNED_OUT, reason);
}

export function takeSignedOutReason(): string | undefined {
  const reason = readStored<string>(SIGNED_OUT);
  removeStored(SIGNED_OUT);
  return reason;
}
