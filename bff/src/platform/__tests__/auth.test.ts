import { generateKeyPairSync } from 'node:crypto';
import Router from '@koa/router';
import { createLogger } from '@flexins/shared/server';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createApp } from '../../app';
import {
  AUDIENCES,
  RENEWED_TOKEN_HEADER,
  TOKEN_ISSUER,
  TokenService,
  auth,
  useTokenService,
  type StaffClaims,
} from '../auth';
import { testConfig } from '../../../test/config';
import { useTestDatabase } from '../../../test/database';

const db = useTestDatabase();
const config = testConfig();
const START = Date.parse('2026-03-02T09:00:00+08:00');
let clock = START;
const tokens = TokenService.fromConfig(config, () => clock);
const CLERK: StaffClaims = { staffId: 'S0001', role: 'windowClerk', regionCode: '640104', training: false };

beforeEach(() => {
  clock = START;
});

function app() {
  const koa = createApp({ db: db.connection, logger: createLogger('error', () => {}) });
  useTokenService(koa, tokens);
  const router = new Router();
  router.get('/api/me', auth('citizen'), (ctx) => {
    ctx.body = { citizen: ctx.state.citizen, staff: ctx.state.staff ?? null };
  });
  router.get('/api/cases', auth('staff'), (ctx) => {
    ctx.body = { staff: ctx.state.staff, citizen: ctx.state.citizen ?? null };
  });
  router.get('/api/reports', auth('staff', 'supervisor'), (ctx) => {
    ctx.body = { ok: true };
  });
  koa.use(router.routes());
  return koa.callback();
}

const get = (path: string, token?: string) => {
  const call = request(app()).get(path);
  return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
};

const nowS = () => Math.floor(clock / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token with everything right except what `change` alters. */
function forged(change: { payload?: object; options?: jwt.SignOptions; secret?: jwt.Secret } = {}): string {
  return jwt.sign({ iat: nowS(), exp: nowS() + 600, ...change.payload }, change.secret ?? config.jwtSecret, {
    algorithm: 'HS256',
    issuer: TOKEN_ISSUER,
    audience: AUDIENCES.citizen,
    subject: 'A123',
    jwtid: 'j1',
    ...change.options,
  });
}

describe('citizen tokens', () => {
  it('lets a signed-in citizen through with only an opaque applicant id on the context', async () => {
    const issued = tokens.issueCitizenToken('A1b2C3');
    const res = await get('/api/me', issued.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      citizen: { applicantId: 'A1b2C3', tokenId: issued.tokenId, expiresAt: issued.expiresAt.toISOString() },
      staff: null,
    });
    expect(issued.expiresAt.getTime()).toBe(START + config.citizenTokenTtlS * 1000);
  });

  it('carries the standard claims: HS256, our issuer, the citizen audience, subject, id and expiry', () => {
    const decoded = jwt.decode(tokens.issueCitizenToken('A1').token, { complete: true })!;
    expect(decoded.header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    expect(decoded.payload).toEqual({
      iss: 'flexins-bff',
      aud: 'flexins-citizen',
      sub: 'A1',
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iat: nowS(),
      exp: nowS() + 1800,
    });
  });

  it('asks to sign in when there is no token or not a Bearer one', async () => {
    for (const res of [await get('/api/me'), await request(app()).get('/api/me').set('Authorization', 'Basic eA==')]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录' });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="flexins"/);
    }
  });

  it('says the sign-in has expired once the lifetime has passed', async () => {
    const { token } = tokens.issueCitizenToken('A1');
    clock += (config.citizenTokenTtlS - 10) * 1000;
    expect((await get('/api/me', token)).status).toBe(200);
    clock += 20_000;
    const res = await get('/api/me', token);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="flexins", error="invalid_token"');
  });

  it('refuses a token signed with another secret, or changed after signing', async () => {
    expect((await get('/api/me', forged())).status).toBe(200); // the forger is right when nothing is changed
    expect((await get('/api/me', forged({ secret: 'another-secret-that-is-long-enough-0123456789' }))).status).toBe(
      401,
    );
    const [header, , signature] = tokens.issueCitizenToken('A1').token.split('.');
    const otherPayload = b64({ iss: TOKEN_ISSUER, aud: AUDIENCES.citizen, sub: 'A2', jti: 'x', exp: nowS() + 60 });
    expect((await get('/api/me', `${header}.${otherPayload}.${signature}`)).status).toBe(401);
  });

  it('refuses an unsigned token (alg "none")', async () => {
    const payload = { iss: TOKEN_ISSUER, aud: AUDIENCES.citizen, sub: 'A1', jti: 'j', iat: nowS(), exp: nowS() + 60 };
    const res = await get('/api/me', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses HS512 with the right secret, and RS256', async () => {
    expect((await get('/api/me', forged({ options: { algorithm: 'HS512' } }))).status).toBe(401);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect((await get('/api/me', forged({ options: { algorithm: 'RS256' }, secret: privateKey }))).status).toBe(401);
  });

  it('refuses another issuer, and a token without an expiry or an id', async () => {
    expect((await get('/api/me', forged({ options: { issuer: 'someone-else' } }))).status).toBe(401);
    const noExpiry = jwt.sign({ iat: nowS() }, config.jwtSecret, {
      algorithm: 'HS256',
      issuer: TOKEN_ISSUER,
      audience: AUDIENCES.citizen,
      subject: 'A1',
      jwtid: 'j',
    });
    expect((await get('/api/me', noExpiry)).status).toBe(401);
    const noId = jwt.sign({ iat: nowS(), exp: nowS() + 60 }, config.jwtSecret, {
      algorithm: 'HS256',
      issuer: TOKEN_ISSUER,
      audience: AUDIENCES.citizen,
      subject: 'A1',
    });
    expect((await get('/api/me', noId)).status).toBe(401);
  });
});

describe('staff tokens', () => {
  it('let staff through with their role, region and training flag', async () => {
    const issued = tokens.issueStaffToken(CLERK);
    const res = await get('/api/cases', issued.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      staff: {
        ...CLERK,
        tokenId: issued.tokenId,
        expiresAt: new Date(START + config.staffTokenTtlS * 1000).toISOString(),
        signedInAt: new Date(START).toISOString(),
      },
      citizen: null,
    });
  });

  // A token for the other audience is no credential for this route at all, so
  // it is 401 (sign in as staff), like any token that is not for us; 403 is
  // kept for a verified member of staff whose role may not do the operation.
  it('refuse a citizen token on a staff route with 401, and a staff token on a citizen route', async () => {
    const citizenOnStaff = await get('/api/cases', tokens.issueCitizenToken('A1').token);
    expect(citizenOnStaff.status).toBe(401);
    expect(citizenOnStaff.body.error.code).toBe('UNAUTHENTICATED');
    const staffOnCitizen = await get('/api/me', tokens.issueStaffToken(CLERK).token);
    expect(staffOnCitizen.status).toBe(401);
    expect(staffOnCitizen.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('say "not yours" rather than "expired" for an expired token of the wrong kind', async () => {
    const { token } = tokens.issueCitizenToken('A1');
    clock += 2 * 3600_000;
    expect((await get('/api/cases', token)).body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuse a role the route does not allow with 403', async () => {
    const res = await get('/api/reports', tokens.issueStaffToken(CLERK).token);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: '没有权限办理此操作' });
    const supervisor = tokens.issueStaffToken({ ...CLERK, staffId: 'S0002', role: 'supervisor', regionCode: '64' });
    expect((await get('/api/reports', supervisor.token)).status).toBe(200);
  });

  it('refuse staff claims that are not well-formed even when signed', async () => {
    const sign = (claims: object) =>
      jwt.sign({ iat: nowS(), exp: nowS() + 60, signedInAt: nowS(), ...claims }, config.jwtSecret, {
        algorithm: 'HS256',
        issuer: TOKEN_ISSUER,
        audience: AUDIENCES.staff,
        subject: 'S0001',
        jwtid: 'j',
      });
    expect((await get('/api/cases', sign({ role: 'windowClerk', regionCode: '640104', training: false }))).status).toBe(
      200,
    );
    expect((await get('/api/cases', sign({ role: 'admin', regionCode: '640104', training: false }))).status).toBe(401);
    expect((await get('/api/cases', sign({ role: 'agent', regionCode: '110101', training: false }))).status).toBe(401);
    expect((await get('/api/cases', sign({ role: 'agent', regionCode: '64' }))).status).toBe(401);
  });

  it('expire after the idle limit, and are renewed on activity so an active clerk stays signed in', async () => {
    let { token } = tokens.issueStaffToken(CLERK);
    const first = await get('/api/cases', token);
    expect(first.headers[RENEWED_TOKEN_HEADER.toLowerCase()]).toBeUndefined(); // brand new: nothing to renew

    // Active every ten minutes for an hour: each reply carries a fresh token.
    for (let i = 0; i < 6; i++) {
      clock += 10 * 60_000;
      const res = await get('/api/cases', token);
      expect(res.status).toBe(200);
      const renewed = res.headers[RENEWED_TOKEN_HEADER.toLowerCase()] as string;
      expect(tokens.verifyStaff(renewed)).toMatchObject({ ...CLERK, signedInAt: new Date(START) });
      token = renewed;
    }

    clock += (config.staffTokenTtlS + 10) * 1000; // then idle past the limit
    const idle = await get('/api/cases', token);
    expect(idle.status).toBe(401);
    expect(idle.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('are not renewed past a working day since sign-in', () => {
    const staff = tokens.verifyStaff(tokens.issueStaffToken(CLERK).token);
    clock += 11 * 3600_000;
    expect(tokens.refreshStaffToken(staff).expiresAt.getTime()).toBe(clock + config.staffTokenTtlS * 1000);
    clock += 3600_000;
    expect(() => tokens.refreshStaffToken(staff)).toThrow(expect.objectContaining({ code: 'TOKEN_EXPIRED' }));
  });
});

describe('TokenService', () => {
  it('refuses a short secret and malformed claims when issuing', () => {
    expect(() => new TokenService({ secret: 'short', citizenTtlS: 60, staffTtlS: 60 })).toThrow(/32 bytes/);
    expect(() => tokens.issueCitizenToken('640104199001011234 ')).toThrow();
    expect(() => tokens.issueStaffToken({ ...CLERK, regionCode: '110101' })).toThrow(/Ningxia/);
  });
});
