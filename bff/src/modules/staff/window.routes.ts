// Window acceptance (一窗受理) for clerks: read the identity, check
// eligibility and the face, take the postage, submit the one form.
import {
  APPLICATION_FORM_SCHEMA,
  ELIGIBILITY_ANSWERS_SCHEMA,
  type ApplicationForm,
  type EligibilityAnswers,
} from '@flexins/shared';
import Router from '@koa/router';
import type { Context } from 'koa';
import { auth, type StaffState } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import { documented } from '../../platform/openapi';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';

const VISIT_ID = {
  type: 'string',
  title: '窗口受理编号',
  pattern: '^CK[0-9a-f]{24}$',
  'x-format-hint': '应为读取身份证后得到的受理编号',
} as const;

const OPEN_REQUEST = {
  type: 'object',
  required: ['idNumber'],
  properties: {
    idNumber: {
      type: 'string',
      title: '身份证号',
      pattern: '^\\d{17}[\\dX]$',
      'x-format-hint': '应为 18 位，最后一位是数字或大写字母 X',
    },
  },
  additionalProperties: false,
} as const;

const VISIT_REQUEST = {
  type: 'object',
  required: ['visitId'],
  properties: { visitId: VISIT_ID },
  additionalProperties: false,
} as const;

const ELIGIBILITY_REQUEST = {
  type: 'object',
  required: ['visitId', 'answers'],
  properties: { visitId: VISIT_ID, answers: ELIGIBILITY_ANSWERS_SCHEMA },
  additionalProperties: false,
} as const;

const SUBMIT_REQUEST = {
  type: 'object',
  required: ['visitId', 'form'],
  properties: { visitId: VISIT_ID, form: APPLICATION_FORM_SCHEMA },
  additionalProperties: false,
} as const;

const POSTAGE_QUERY = {
  type: 'object',
  required: ['visitId'],
  properties: { visitId: VISIT_ID },
  additionalProperties: false,
} as const;

const CLIENT_KEY = /^[A-Za-z0-9_-]{8,64}$/;

const staffOf = (ctx: Context) => (ctx.state as StaffState).staff;
const inputOf = <T>(ctx: Context) => (ctx.state as InputState<T>).input;
const requestIdOf = (ctx: Context) => ctx.state.requestId as string;

function clientKeyOf(ctx: Context): string {
  const key = ctx.get('idempotency-key');
  if (!CLIENT_KEY.test(key)) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
  return key;
}

export function windowRoutes(services: Services): Router {
  const router = new Router();
  const { window } = services;
  const clerk = auth('staff', 'windowClerk');

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/window/visits',
      summary:
        '窗口读取身份证：从统一身份认证平台取得实名信息（脱敏显示），开始一次窗口受理（2 小时内有效）；记入审计日志',
      status: 201,
      errors: ['PERSON_NOT_FOUND', 'TRAINING_ONLY', 'TRAINING_PERSON', 'DEPARTMENT_UNAVAILABLE'],
    },
    clerk,
    validate<{ idNumber: string }>(OPEN_REQUEST),
    async (ctx) => {
      ctx.status = 201;
      ctx.body = await window.open(staffOf(ctx), inputOf<{ idNumber: string }>(ctx).idNumber, requestIdOf(ctx));
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/window/eligibility',
      summary: '窗口代为核验申报条件（与网上办相同的规则和部门核对）',
      errors: ['WINDOW_VISIT_NOT_FOUND', 'DEPARTMENT_UNAVAILABLE'],
    },
    clerk,
    validate<{ visitId: string; answers: EligibilityAnswers }>(ELIGIBILITY_REQUEST),
    async (ctx) => {
      const { visitId, answers } = inputOf<{ visitId: string; answers: EligibilityAnswers }>(ctx);
      ctx.body = await window.checkEligibility(staffOf(ctx), visitId, answers, requestIdOf(ctx));
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/window/face-checks',
      summary: '窗口人脸核验（在场群众）；需要防重复标识',
      status: 201,
      errors: [
        'WINDOW_VISIT_NOT_FOUND',
        'IDEMPOTENCY_KEY_REQUIRED',
        'DEPARTMENT_UNAVAILABLE',
        'FACE_CHECK_UNAVAILABLE',
      ],
    },
    clerk,
    validate<{ visitId: string }>(VISIT_REQUEST),
    async (ctx) => {
      const key = clientKeyOf(ctx);
      ctx.status = 201;
      ctx.body = await window.faceCheck(staffOf(ctx), inputOf<{ visitId: string }>(ctx).visitId, key, requestIdOf(ctx));
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/window/postage-orders',
      summary: '为在场群众下单社保卡邮寄费 5.80 元；返回收银台地址（以二维码给群众用手机支付）',
      status: 201,
      errors: ['WINDOW_VISIT_NOT_FOUND', 'DEPARTMENT_UNAVAILABLE'],
    },
    clerk,
    validate<{ visitId: string }>(VISIT_REQUEST),
    async (ctx) => {
      ctx.status = 201;
      ctx.body = await window.orderPostage(staffOf(ctx), inputOf<{ visitId: string }>(ctx).visitId, requestIdOf(ctx));
    },
  );

  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/window/postage-orders/:orderId',
      summary: '窗口受理中邮寄费订单的支付状态',
      errors: ['WINDOW_VISIT_NOT_FOUND', 'NOT_FOUND'],
    },
    clerk,
    validate<{ visitId: string }>(POSTAGE_QUERY, 'query'),
    async (ctx) => {
      ctx.body = await window.postageStatus(
        staffOf(ctx),
        inputOf<{ visitId: string }>(ctx).visitId,
        String(ctx.params.orderId),
        requestIdOf(ctx),
      );
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/window/applications',
      summary: '窗口代为提交“一件事”申请（同一张表单，渠道记为窗口，记录受理人）；同一防重复标识再次提交得到同一件申请',
      status: 201,
      errors: [
        'WINDOW_VISIT_NOT_FOUND',
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
        'DEPARTMENT_UNAVAILABLE',
      ],
    },
    clerk,
    validate<{ visitId: string; form: ApplicationForm }>(SUBMIT_REQUEST),
    async (ctx) => {
      const key = clientKeyOf(ctx);
      const { visitId, form } = inputOf<{ visitId: string; form: ApplicationForm }>(ctx);
      const { created, view } = await window.submit(staffOf(ctx), visitId, form, key, requestIdOf(ctx));
      ctx.status = created ? 201 : 200;
      ctx.body = view;
    },
  );

  return router;
}
