// The one form (and whether it can be submitted now), the case, paying the first premium at the cashier, and the rating.
import {
  APPLICATION_FORM_SCHEMA,
  CASE_TRACKING_REPLY,
  type ApplicationForm,
  type CurrentCaseReply,
  type SubmissionCheckView,
} from '@flexins/shared';
import type { Logger } from '@flexins/shared/server';
import Router from '@koa/router';
import { auth, type CitizenState } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import { documented } from '../../platform/openapi';
import { byApplicant, rateLimit } from '../../platform/rate-limit';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';
import { RETURN_URL_REQUEST } from '../postage/postage.routes';
import { toCaseView } from './application.presenter';
import { trackCase } from './tracking';

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
    // Counted in each process (no write per submission): a repeat is answered with the first case and a
    // second case refused while one is open, so the limit only sheds load, and per process it does.
    rateLimit({ name: 'submit', limit: 20, windowMs: 60_000, key: byApplicant, perProcess: true }),
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
      method: 'get',
      path: '/api/submission-check',
      summary: '提交前的核验是否仍然有效（申报条件 1 小时、人脸核验 30 分钟），按服务器时间',
      errors: [],
    },
    auth('citizen'),
    async (ctx) => {
      ctx.body = (await services.citizens.submissionCheck(applicantOf(ctx.state))) satisfies SubmissionCheckView;
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/applications/:caseNo/premium-order',
      summary: '首期社会保险费下单：到收银台确认金额、月数后支付（同一件申请只有一笔）',
      status: 201,
      errors: ['NOT_FOUND', 'PREMIUM_NOT_READY', 'PREMIUM_ALREADY_PAID', 'DEPARTMENT_UNAVAILABLE'],
    },
    auth('citizen'),
    rateLimit({ name: 'premium', limit: 10, windowMs: 60_000, key: byApplicant }),
    validate<{ returnUrl: string }>(RETURN_URL_REQUEST),
    async (ctx) => {
      ctx.status = 201;
      ctx.body = await services.applications.orderPremium(
        applicantOf(ctx.state),
        String(ctx.params.caseNo),
        (ctx.state as InputState<{ returnUrl: string }>).input.returnUrl,
        ctx.state.requestId as string,
      );
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/applications/:caseNo/premium-payment',
      summary: '收银台付款后：向税务系统入账首期社会保险费，取得电子票据（重复调用不会重复扣款）',
      errors: ['NOT_FOUND', 'PREMIUM_NOT_READY', 'PREMIUM_NOT_PAID', 'DEPARTMENT_UNAVAILABLE'],
    },
    auth('citizen'),
    rateLimit({ name: 'premium', limit: 10, windowMs: 60_000, key: byApplicant }),
    async (ctx) => {
      ctx.body = toCaseView(
        await services.applications.confirmPremium(
          applicantOf(ctx.state),
          String(ctx.params.caseNo),
          ctx.state.requestId as string,
        ),
      );
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
