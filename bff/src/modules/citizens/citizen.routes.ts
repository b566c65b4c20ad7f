// Citizen sign-in, the confirmation of real-name data, and the face check.
import Router from '@koa/router';
import {
  IDENTITY_FACE_VERIFY_RESULT,
  type CitizenSessionReply,
  type OwnPhoneReply,
  type SignInUrlReply,
} from '@flexins/shared';
import { auth, type CitizenState } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import { documented } from '../../platform/openapi';
import { byApplicant, byClientIp, rateLimit } from '../../platform/rate-limit';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';

const SIGN_IN_URL_QUERY = {
  type: 'object',
  required: ['redirectUri', 'state'],
  properties: {
    redirectUri: { type: 'string', title: '返回地址', format: 'uri', maxLength: 500 },
    state: { type: 'string', title: '防伪标识', pattern: '^[A-Za-z0-9_-]{8,64}$' },
  },
  additionalProperties: false,
} as const;

const SESSION_REQUEST = {
  type: 'object',
  required: ['code'],
  properties: { code: { type: 'string', title: '登录凭证', pattern: '^[A-Za-z0-9_-]{16,128}$' } },
  additionalProperties: false,
} as const;

/**
 * Optional: in the mini-program, the host face SDK's result token. Without a
 * body (H5's simulated camera step, the window) the platform compares alone.
 */
const FACE_CHECK_REQUEST = {
  type: 'object',
  properties: { verifyResult: IDENTITY_FACE_VERIFY_RESULT },
  additionalProperties: false,
} as const;

interface FaceCheckRequest {
  verifyResult?: string;
}

export function citizenRoutes(services: Services): Router {
  const router = new Router();

  documented(
    router,
    { method: 'get', path: '/api/auth/sign-in-url', summary: 'H5 版：统一身份认证登录页地址', errors: [] },
    validate<{ redirectUri: string; state: string }>(SIGN_IN_URL_QUERY, 'query'),
    (ctx) => {
      const { redirectUri, state } = (ctx.state as InputState<{ redirectUri: string; state: string }>).input;
      ctx.body = { url: services.departments.identity.signInPageUrl(redirectUri, state) } satisfies SignInUrlReply;
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/auth/sessions',
      summary: '用“我的宁夏”登录凭证换取本服务的登录令牌',
      status: 201,
      errors: ['SIGN_IN_CODE_INVALID', 'DEPARTMENT_UNAVAILABLE'],
    },
    rateLimit({ name: 'sign-in', limit: services.config.signInPerMinute, windowMs: 60_000, key: byClientIp }),
    validate<{ code: string }>(SESSION_REQUEST),
    async (ctx) => {
      const { code } = (ctx.state as InputState<{ code: string }>).input;
      const { token } = await services.citizens.signIn(code, ctx.state.requestId as string);
      ctx.status = 201;
      ctx.body = { token: token.token, expiresAt: token.expiresAt.toISOString() } satisfies CitizenSessionReply;
    },
  );

  documented(
    router,
    { method: 'get', path: '/api/me', summary: '本人实名信息（供核对，证件号和手机号部分隐藏）', errors: [] },
    auth('citizen'),
    async (ctx) => {
      ctx.body = await services.citizens.me((ctx.state as CitizenState).citizen.applicantId);
    },
  );

  documented(
    router,
    {
      method: 'get',
      path: '/api/me/phone',
      summary: '本人实名登记的手机号（只给本人，用于预填社保卡收件人手机号）',
      errors: [],
    },
    auth('citizen'),
    async (ctx) => {
      ctx.body = {
        phone: await services.citizens.ownPhone((ctx.state as CitizenState).citizen.applicantId),
      } satisfies OwnPhoneReply;
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/face-checks',
      summary: '人脸核验（小程序带上“我的宁夏”人脸核验返回的结果凭证）',
      status: 201,
      errors: ['DEPARTMENT_UNAVAILABLE', 'FACE_CHECK_UNAVAILABLE', 'IDEMPOTENCY_KEY_REQUIRED'],
    },
    auth('citizen'),
    rateLimit({ name: 'face-check', limit: 10, windowMs: 10 * 60_000, key: byApplicant }),
    validate<FaceCheckRequest>(FACE_CHECK_REQUEST),
    async (ctx) => {
      const attempt = ctx.get('idempotency-key');
      if (!/^[A-Za-z0-9_-]{8,64}$/.test(attempt)) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
      ctx.status = 201;
      ctx.body = await services.citizens.faceCheck(
        (ctx.state as CitizenState).citizen.applicantId,
        ctx.state.requestId as string,
        attempt,
        (ctx.state as InputState<FaceCheckRequest>).input.verifyResult,
      );
    },
  );

  return router;
}
