// The one form, the case, paying the first premium, and the rating.
import {
  APPLICATION_FORM_SCHEMA,
  CASE_TRACKING_REPLY,
  type ApplicationForm,
  type CurrentCaseReply,
} from '@flexins/shared';
import type { Logger } from '@flexins/shared/server';
import Router from '@koa/router';
import { auth, type CitizenState } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import { documented } from '../../platform/openapi';
import { byApplicant, rateLimit } from '../../platform/rate-limit';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';
import { toCaseView } from './application.presenter';
import { trackCase } from './tracking';

const PAYMENT_REQUEST = {
  type: 'object',
  required: ['amountFen'],
  properties: { amountFen: { type: 'integer', title: '缴费金额（分）', minimum: 1, maximum: 10_000_000 } },
  additionalProperties: false,
} as const;

const RATING_REQUEST = {
  type: 'object',
  required: ['score'],
  properties: {
    score: { type: 'integer', title: '评价', minimum: 1, maximum: 5 },
    comment: { type: 'string', title: '意见建议', maxLength: 500 },
  },
  additionalProperties: false,
} as const;

const CLIENT_KEY = /^[A-Za-z0-9_-]{8,64}$/;

export function applicationRoutes(services: Services): Router {
  const router = new Router();
  const applicantOf = (state: unknown) => (state as CitizenState).citizen.applicantId;

  documented(
    router,
    {
      method: 'post',
      path: '/api/applications',
      summary: '提交“一件事”申请（一表申请）；同一防重复标识再次提交得到同一件申请',
      status: 201,
      errors: [
        'IDEMPOTENCY_KEY_REQUIRED',
        'NOTICE_OUTDATED',
        'ELIGIBILITY_REQUIRED',
        'NOT_ELIGIBLE',
        'FACE_CHECK_REQUIRED',
        'FACE_CHECK_FAILED',
        'CARD_DETAILS_REQUIRED',
        'POSTAGE_REQUIRED',
        'POSTAGE_NOT_PAID',
        'OPEN_CASE_EXISTS',
      ],
    },
    auth('citizen'),
    rateLimit({ name: 'submit', limit: 20, windowMs: 60_000, key: byApplicant }),
    validate<ApplicationForm>(APPLICATION_FORM_SCHEMA),
    async (ctx) => {
      const clientKey = ctx.get('idempotency-key');
      if (!CLIENT_KEY.test(clientKey)) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
      const { created, caseDoc } = await services.applications.submit({
        applicantId: applicantOf(ctx.state),
        clientKey,
        form: (ctx.state as InputState<ApplicationForm>).input,
        requestId: ctx.state.requestId as string,
      });
      ctx.status = created ? 201 : 200;
      ctx.body = toCaseView(caseDoc);
    },
  );

  documented(
    router,
    { method: 'get', path: '/api/applications/current', summary: '本人最近一件申请（没有时为 null）', errors: [] },
    auth('citizen'),
    async (ctx) => {
      const latest = await services.applications.latest(applicantOf(ctx.state));
      ctx.body = { application: latest ? toCaseView(latest) : null } satisfies CurrentCaseReply;
    },
  );

  documented(
    router,
    {
      method: 'get',
      path: '/api/applications/:caseNo',
      summary: '办理进度：六个事项的状态、编号和办理记录',
      errors: ['NOT_FOUND'],
    },
    auth('citizen'),
    async (ctx) => {
      ctx.body = toCaseView(await services.applications.ownCase(applicantOf(ctx.state), String(ctx.params.caseNo)));
    },
  );

  documented(
    router,
    {
      method: 'get',
      path: '/api/applications/:caseNo/tracking',
      summary:
        '社保卡制卡邮寄（含邮件号）和档案转递的最新进度，实时向人社部门查询；部门暂时不应答时该项说明“暂时查不到”',
      reply: CASE_TRACKING_REPLY,
      errors: ['NOT_FOUND'],
    },
    auth('citizen'),
    // Each look asks HRSS twice: a page left open and tapped on must not hammer it.
    rateLimit({ name: 'tracking', limit: 30, windowMs: 60_000, key: byApplicant }),
    async (ctx) => {
      const caseDoc = await services.applications.ownCase(applicantOf(ctx.state), String(ctx.params.caseNo));
      ctx.body = await trackCase(services.departments, caseDoc, {
        requestId: ctx.state.requestId as string,
        log: ctx.state.log as Logger,
      });
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/applications/:caseNo/premium-payment',
      summary: '缴纳首期社会保险费（经税务系统，取得电子票据）',
      errors: ['NOT_FOUND', 'PREMIUM_NOT_READY', 'PREMIUM_AMOUNT_MISMATCH', 'DEPARTMENT_UNAVAILABLE'],
    },
    auth('citizen'),
    rateLimit({ name: 'premium', limit: 10, windowMs: 60_000, key: byApplicant }),
    validate<{ amountFen: number }>(PAYMENT_REQUEST),
    async (ctx) => {
      const caseDoc = await services.applications.payPremium(
        applicantOf(ctx.state),
        String(ctx.params.caseNo),
        (ctx.state as InputState<{ amountFen: number }>).input.amountFen,
        ctx.state.requestId as string,
      );
      ctx.body = toCaseView(caseDoc);
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/applications/:caseNo/rating',
      summary: '好差评（办结后一次）；1–2 星生成回访整改事项',
      errors: ['NOT_FOUND', 'RATING_NOT_ALLOWED', 'ALREADY_RATED'],
    },
    auth('citizen'),
    validate<{ score: number; comment?: string }>(RATING_REQUEST),
    async (ctx) => {
      const { score, comment } = (ctx.state as InputState<{ score: number; comment?: string }>).input;
      ctx.body = toCaseView(
        await services.applications.rate(applicantOf(ctx.state), String(ctx.params.caseNo), score, comment),
      );
    },
  );

  return router;
}
