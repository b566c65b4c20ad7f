// Our own short-lived login tokens (登录令牌), issued after the identity
// platform has vouched for a citizen or a member of staff, and the middleware
// that checks them: HS256 only, our issuer, one audience per kind of user, a
// subject and a token id. A citizen token is no key to staff routes and the
// reverse. Staff tokens expire after STAFF_TOKEN_TTL_S of inactivity: each
// request re-issues one (header X-Renewed-Token), up to a whole working day.
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import type { StaffRole } from '@flexins/shared';
import jwt from 'jsonwebtoken';
import type Koa from 'koa';
import type { Context, Next } from 'koa';
import type { Config } from './config';
import { AppError } from './errors';
import { annotate } from './openapi';

export const TOKEN_ISSUER = 'flexins-bff';
export const AUDIENCES = { citizen: 'flexins-citizen', staff: 'flexins-staff' } as const;
const ALGORITHM = 'HS256';

export type { StaffRole } from '@flexins/shared';
export const STAFF_ROLES: readonly StaffRole[] = ['windowClerk', 'agent', 'supervisor'];

/** The reply header that carries a staff member's renewed token. */
export const RENEWED_TOKEN_HEADER = 'X-Renewed-Token';

/** Clocks of two BFF processes may differ a little. */
const CLOCK_TOLERANCE_S = 5;
/** A staff token is renewed once it is this old, so idle time is measured to within a minute. */
const STAFF_RENEW_AFTER_S = 60;
/** However active, a staff member signs in again after this long. */
const STAFF_SESSION_MAX_S = 12 * 3600;
const MAX_TOKEN_LENGTH = 4096;
const SUBJECT = /^[A-Za-z0-9_-]{1,64}$/;
const REGION_CODE = /^64(\d{2}){0,2}$/;

/** On `ctx.state.citizen` after `auth('citizen')`. Holds no personal data: the applicant id is opaque. */
export interface CitizenPrincipal {
  applicantId: string;
  tokenId: string;
  expiresAt: Date;
}

export interface StaffClaims {
  staffId: string;
  role: StaffRole;
  /** '64' (the region), a 4-digit city or a 6-digit county code. */
  regionCode: string;
  /** A training account (培训模式) works only with training cases. */
  training: boolean;
}

/** On `ctx.state.staff` after `auth('staff', …)`. */
export interface StaffPrincipal extends StaffClaims {
  tokenId: string;
  expiresAt: Date;
  /** When this staff member signed in; kept across renewals. */
  signedInAt: Date;
}

export interface CitizenState {
  citizen: CitizenPrincipal;
}
export interface StaffState {
  staff: StaffPrincipal;
}

export interface IssuedToken {
  token: string;
  tokenId: string;
  expiresAt: Date;
}

export interface TokenServiceOptions {
  secret: string;
  citizenTtlS: number;
  staffTtlS: number;
  /** Milliseconds since the epoch; tests move the clock. */
  now?: () => number;
}

interface SignedPayload {
  sub?: unknown;
  jti?: unknown;
  iat?: unknown;
  exp?: unknown;
  role?: unknown;
  regionCode?: unknown;
  training?: unknown;
  signedInAt?: unknown;
}

const unauthenticated = () => new AppError('UNAUTHENTICATED');

export class TokenService {
  /**
   * The secret as a key object, made once: given a string, jsonwebtoken first
   * tries it as a PEM public key on every call and builds an exception before
   * falling back (6 % of the BFF's CPU on progress reads, measured).
   */
  private readonly secret: KeyObject;
  private readonly citizenTtlS: number;
  private readonly staffTtlS: number;
  private readonly now: () => number;

  constructor({ secret, citizenTtlS, staffTtlS, now = Date.now }: TokenServiceOptions) {
    if (Buffer.byteLength(secret, 'utf8') < 32) throw new Error('the token secret must be at least 32 bytes');
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
    this.citizenTtlS = citizenTtlS;
    this.staffTtlS = staffTtlS;
    this.now = now;
  }

  static fromConfig(
    config: Pick<Config, 'jwtSecret' | 'citizenTokenTtlS' | 'staffTokenTtlS'>,
    now?: () => number,
  ): TokenService {
    return new TokenService({
      secret: config.jwtSecret,
      citizenTtlS: config.citizenTokenTtlS,
      staffTtlS: config.staffTokenTtlS,
      now,
    });
  }

  issueCitizenToken(applicantId: string): IssuedToken {
    if (!SUBJECT.test(applicantId)) throw new Error('an applicant id is 1 to 64 letters, digits, _ or -');
    return this.sign('citizen', applicantId, {}, this.citizenTtlS);
  }

  issueStaffToken(claims: StaffClaims): IssuedToken {
    return this.signStaff(claims, this.nowS());
  }

  /**
   * A new token for a staff member who is active, with a fresh idle limit and
   * the original sign-in time; refused (UNAUTHENTICATED) once the session has
   * lasted a working day.
   */
  refreshStaffToken(staff: StaffPrincipal): IssuedToken {
    const signedInAtS = Math.floor(staff.signedInAt.getTime() / 1000);
    if (this.nowS() - signedInAtS >= STAFF_SESSION_MAX_S) throw new AppError('TOKEN_EXPIRED');
    const { staffId, role, regionCode, training } = staff;
    return this.signStaff({ staffId, role, regionCode, training }, signedInAtS);
  }

  /** Throws AppError UNAUTHENTICATED (not ours, not a citizen's) or TOKEN_EXPIRED. */
  verifyCitizen(token: string): CitizenPrincipal {
    const payload = this.verify('citizen', token);
    return { applicantId: payload.sub, tokenId: payload.jti, expiresAt: new Date(payload.exp * 1000) };
  }

  /** Throws AppError UNAUTHENTICATED (not ours, not staff's) or TOKEN_EXPIRED. */
  verifyStaff(token: string): StaffPrincipal {
    const payload = this.verify('staff', token);
    const { role, regionCode, training, signedInAt } = payload;
    if (
      !STAFF_ROLES.includes(role as StaffRole) ||
      typeof regionCode !== 'string' ||
      !REGION_CODE.test(regionCode) ||
      typeof training !== 'boolean' ||
      !Number.isInteger(signedInAt)
    ) {
      throw unauthenticated();
    }
    return {
      staffId: payload.sub,
      role: role as StaffRole,
      regionCode,
      training,
      tokenId: payload.jti,
      expiresAt: new Date(payload.exp * 1000),
      signedInAt: new Date((signedInAt as number) * 1000),
    };
  }

  /** True when the token is old enough to be replaced on this request. */
  shouldRenew(staff: StaffPrincipal): boolean {
    const issuedAtS = staff.expiresAt.getTime() / 1000 - this.staffTtlS;
    return this.nowS() - issuedAtS >= STAFF_RENEW_AFTER_S;
  }

  private nowS(): number {
    return Math.floor(this.now() / 1000);
  }

  private signStaff(claims: StaffClaims, signedInAtS: number): IssuedToken {
    if (!SUBJECT.test(claims.staffId)) throw new Error('a staff id is 1 to 64 letters, digits, _ or -');
    if (!STAFF_ROLES.includes(claims.role)) throw new Error(`unknown staff role ${String(claims.role)}`);
    if (!REGION_CODE.test(claims.regionCode)) throw new Error(`region code ${claims.regionCode} is not in Ningxia`);
    const { role, regionCode, training } = claims;
    return this.sign('staff', claims.staffId, { role, regionCode, training, signedInAt: signedInAtS }, this.staffTtlS);
  }

  private sign(kind: keyof typeof AUDIENCES, subject: string, claims: object, ttlS: number): IssuedToken {
    const tokenId = randomUUID();
    const iat = this.nowS();
    const exp = iat + ttlS;
    const token = jwt.sign({ ...claims, iat, exp }, this.secret, {
      algorithm: ALGORITHM,
      issuer: TOKEN_ISSUER,
      audience: AUDIENCES[kind],
      subject,
      jwtid: tokenId,
    });
    return { token, tokenId, expiresAt: new Date(exp * 1000) };
  }

  /**
   * Signature (HS256 only), issuer and audience first, then the claims' shape,
   * then expiry last: a stale token of the wrong kind is "not yours", not
   * "expired". jsonwebtoken does not require `exp`, so it is checked here.
   */
  private verify(
    kind: keyof typeof AUDIENCES,
    token: string,
  ): SignedPayload & { sub: string; jti: string; exp: number } {
    if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated();
    let payload: SignedPayload;
    try {
      const verified = jwt.verify(token, this.secret, {
        algorithms: [ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: AUDIENCES[kind],
        ignoreExpiration: true,
        clockTimestamp: this.nowS(),
        clockTolerance: CLOCK_TOLERANCE_S,
      });
      if (typeof verified !== 'object' || verified === null) throw unauthenticated();
      payload = verified as SignedPayload;
    } catch {
      throw unauthenticated();
    }
    const { sub, jti, exp } = payload;
    if (typeof sub !== 'string' || !SUBJECT.test(sub) || typeof jti !== 'string' || !Number.isInteger(exp)) {
      throw unauthenticated();
    }
    if (this.nowS() >= (exp as number) + CLOCK_TOLERANCE_S) throw new AppError('TOKEN_EXPIRED');
    return { ...payload, sub, jti, exp: exp as number };
  }
}

// The token service of each app, so `auth('citizen')` reads as a sentence in
// a routes file and tests can run apps with different secrets side by side.
const servicesByApp = new WeakMap<Koa, TokenService>();

/** Call once in createApp: `useTokenService(app, TokenService.fromConfig(config))`. */
export function useTokenService(app: Koa, tokens: TokenService): void {
  servicesByApp.set(app, tokens);
}

export function tokenServiceOf(ctx: Context): TokenService {
  const tokens = servicesByApp.get(ctx.app);
  if (!tokens) throw new Error('no token service on this app: call useTokenService(app, …) in createApp');
  return tokens;
}

function bearerToken(ctx: Context): string {
  const header = ctx.get('authorization');
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header.trim());
  if (!match) throw unauthenticated();
  return match[1]!;
}

/**
 * `auth('citizen')` or `auth('staff')` (any role) or
 * `auth('staff', 'supervisor')`: puts `ctx.state.citizen` / `ctx.state.staff`.
 * No or bad token, or a token of the other kind: 401 UNAUTHENTICATED (the
 * remedy is to sign in as the right kind of user). Expired: 401
 * TOKEN_EXPIRED. A member of staff whose role may not: 403 FORBIDDEN.
 */
export function auth(kind: 'citizen'): (ctx: Context, next: Next) => Promise<void>;
export function auth(kind: 'staff', ...roles: StaffRole[]): (ctx: Context, next: Next) => Promise<void>;
export function auth(kind: 'citizen' | 'staff', ...roles: StaffRole[]) {
  const middleware = async (ctx: Context, next: Next) => {
    const tokens = tokenServiceOf(ctx);
    try {
      if (kind === 'citizen') {
        ctx.state.citizen = tokens.verifyCitizen(bearerToken(ctx));
      } else {
        const staff = tokens.verifyStaff(bearerToken(ctx));
        if (roles.length > 0 && !roles.includes(staff.role)) throw new AppError('FORBIDDEN');
        ctx.state.staff = staff;
        if (tokens.shouldRenew(staff)) ctx.set(RENEWED_TOKEN_HEADER, tokens.refreshStaffToken(staff).token);
      }
    } catch (err) {
      if (err instanceof AppError && err.status === 401) {
        // RFC 6750: which scheme, and whether a token was sent and refused.
        const refused = ctx.get('authorization') ? ', error="invalid_token"' : '';
        ctx.set('WWW-Authenticate', `Bearer realm="flexins"${refused}`);
      }
      throw err;
    }
    await next();
  };
  return annotate(middleware, {
    auth: { kind, roles },
    ...(kind === 'staff'
      ? { replyHeaders: { [RENEWED_TOKEN_HEADER]: '续期后的工作人员令牌：有则替换原令牌（闲置超时从本次操作起算）' } }
      : {}),
  });
}
