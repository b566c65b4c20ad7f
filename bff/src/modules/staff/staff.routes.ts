// The staff side's API: sign-in, the case look-up and what an agent or a
// supervisor does with a case, and clearing training data.
import { randomUUID } from 'node:crypto';
import {
  CASE_TRACKING_REPLY,
  REVEAL_FIELD_LABELS,
  REVEAL_REASON_LABELS,
  IDENTITY_STAFF_ROLE_LABELS,
  MATTERS,
  NINGXIA_CITIES,
  describeRegion,
  type MatterId,
  type RevealField,
  type RevealReason,
  type StaffCaseList,
  type StaffMeView,
  type StaffSignInReply,
  type TrainingCleared,
} from '@flexins/shared';
import type { Logger } from '@flexins/shared/server';
import Router from '@koa/router';
import type { Context } from 'koa';
import { auth, type StaffState } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import { documented } from '../../platform/openapi';
import { byClientIp, rateLimit } from '../../platform/rate-limit';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';
import { trackCase } from '../applications/tracking';
import { supervisedRegion } from '../supervision/supervision.service';
import type { LookupQuery, Settlement } from './staff-case.service';
import { auditFactsOf } from './staff-case.service';

const REASON = { type: 'string', title: '理由', minLength: 4, maxLength: 200 } as const;

const SIGN_IN_REQUEST = {
  type: 'object',
  required: ['username', 'password'],
  properties: {
    username: {
      type: 'string',
      title: '用户名',
      pattern: '^[a-z0-9._-]{3,32}$',
      'x-format-hint': '应为 3 到 32 位小写字母、数字或 . _ -',
    },
    password: { type: 'string', title: '密码', minLength: 1, maxLength: 128 },
  },
  additionalProperties: false,
} as const;

const LOOKUP_QUERY = {
  type: 'object',
  properties: {
    caseNo: { type: 'string', title: '办件编号', pattern: '^LJ\\d{14}$', 'x-format-hint': '应为 LJ 加 14 位数字' },
    idNumber: {
      type: 'string',
      title: '身份证号',
      pattern: '^\\d{17}[\\dX]$',
      'x-format-hint': '应为 18 位，最后一位是数字或大写字母 X',
    },
    phone: { type: 'string', title: '手机号', pattern: '^1[3-9]\\d{9}$', 'x-format-hint': '应为 11 位手机号' },
    training: {
      type: 'string',
      title: '查询培训办件',
      enum: ['true', 'false'],
      'x-enum-labels': { true: '只查培训办件', false: '不含培训办件' },
    },
  },
  additionalProperties: false,
} as const;

const CLEAR_TRAINING_REQUEST = {
  type: 'object',
  properties: {
    regionCode: {
      type: 'string',
      title: '地区',
      pattern: '^64(\\d{2}){0,2}$',
      'x-format-hint': '应为 64（全区）、4 位市级代码或 6 位县区代码',
    },
  },
  additionalProperties: false,
} as const;

const REVEAL_REQUEST = {
  type: 'object',
  required: ['field', 'reason'],
  properties: {
    field: {
      type: 'string',
      title: '要查看的信息',
      enum: Object.keys(REVEAL_FIELD_LABELS),
      'x-enum-labels': REVEAL_FIELD_LABELS,
    },
    reason: {
      type: 'string',
      title: '查看理由',
      enum: Object.keys(REVEAL_REASON_LABELS),
      'x-enum-labels': REVEAL_REASON_LABELS,
    },
    note: { type: 'string', title: '说明', maxLength: 200 },
  },
  additionalProperties: false,
} as const;

type RevealInput = { field: RevealField; reason: RevealReason; note?: string };

/** The reason as the trail keeps it: the choice, and the note after it (`其他` needs one). */
function revealReasonOf({ reason, note }: RevealInput): string {
  const said = note?.trim() ?? '';
  if (reason === 'other' && said.length < 4) {
    throw new AppError('VALIDATION_FAILED', undefined, { note: '选择“其他”时请在说明里写明理由，至少 4 个字' });
  }
  return said ? `${REVEAL_REASON_LABELS[reason]}：${said}` : REVEAL_REASON_LABELS[reason];
}

const RETRY_REQUEST = {
  type: 'object',
  required: ['reason'],
  properties: { reason: REASON },
  additionalProperties: false,
} as const;

const NOTE_REQUEST = {
  type: 'object',
  required: ['text'],
  properties: { text: { type: 'string', title: '备注', minLength: 1, maxLength: 500 } },
  additionalProperties: false,
} as const;

const SETTLEMENT_REQUEST = {
  type: 'object',
  required: ['outcome', 'reason'],
  properties: {
    outcome: {
      type: 'string',
      title: '处理结果',
      enum: ['done', 'rejected'],
      'x-enum-labels': { done: '已线下办结', rejected: '不予办理' },
    },
    reference: { type: 'string', title: '业务编号', minLength: 1, maxLength: 64 },
    reason: REASON,
  },
  additionalProperties: false,
} as const;

const MATTER_IDS = new Set<string>(MATTERS.map((m) => m.id));

/** The matter in the path, or 404 naming it. */
function matterParam(ctx: Context): MatterId {
  const matter = String(ctx.params.matter);
  if (!MATTER_IDS.has(matter)) throw new AppError('NOT_FOUND', '没有这个事项');
  return matter as MatterId;
}

type LookupInput = { caseNo?: string; idNumber?: string; phone?: string; training?: 'true' | 'false' };

const staffOf = (ctx: Context) => (ctx.state as StaffState).staff;
const inputOf = <T>(ctx: Context) => (ctx.state as InputState<T>).input;

export function staffRoutes(services: Services): Router {
  const router = new Router();
  const { staffCases } = services;

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/sessions',
      summary: '工作人员登录（统一身份认证平台的工作人员账号）；连续输错 5 次锁定 15 分钟',
      status: 201,
      errors: ['STAFF_CREDENTIALS_INVALID', 'STAFF_LOCKED', 'DEPARTMENT_UNAVAILABLE'],
    },
    rateLimit({ name: 'staff-sign-in', limit: services.config.signInPerMinute, windowMs: 60_000, key: byClientIp }),
    validate<{ username: string; password: string }>(SIGN_IN_REQUEST),
    async (ctx) => {
      const { username, password } = inputOf<{ username: string; password: string }>(ctx);
      // Each attempt is a new sign-in (a wrong password counts once per attempt).
      const result = await services.departments.identity.staffSignIn(username, password, {
        requestId: ctx.state.requestId as string,
        idempotencyKey: `staff-sign-in-${randomUUID()}`,
      });
      if (result.kind === 'failed') {
        throw new AppError('DEPARTMENT_UNAVAILABLE', '统一身份认证平台暂时不可用，请稍后再试');
      }
      if (result.kind === 'refused') {
        if (result.code === 'STAFF_LOCKED')
          throw new AppError('STAFF_LOCKED', result.message, undefined, result.details);
        throw new AppError('STAFF_CREDENTIALS_INVALID');
      }
      const { staffId, name, role, regionCode, training } = result.value;
      // The directory puts this name beside the id in the trail and on the case pages.
      await services.audit.staff.remember({ staffId, name, role, regionCode, training });
      const token = services.tokens.issueStaffToken({ staffId, role, regionCode, training });
      await services.audit.append({ staffId, role, regionCode, training, action: 'signIn' });
      ctx.status = 201;
      ctx.body = {
        token: token.token,
        expiresAt: token.expiresAt.toISOString(),
        staff: {
          staffId,
          name,
          role,
          roleLabel: IDENTITY_STAFF_ROLE_LABELS[role],
          regionCode,
          regionName: regionNameOf(regionCode),
          training,
        },
      } satisfies StaffSignInReply;
    },
  );

  documented(
    router,
    { method: 'get', path: '/api/staff/me', summary: '当前工作人员的角色、所属地区和是否培训账号', errors: [] },
    auth('staff'),
    (ctx) => {
      const staff = staffOf(ctx);
      ctx.body = {
        staffId: staff.staffId,
        role: staff.role,
        roleLabel: IDENTITY_STAFF_ROLE_LABELS[staff.role],
        regionCode: staff.regionCode,
        regionName: regionNameOf(staff.regionCode),
        training: staff.training,
        expiresAt: staff.expiresAt.toISOString(),
      } satisfies StaffMeView;
    },
  );

  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/cases',
      summary: '查询办件：按办件编号、身份证号或手机号（三选一，精确匹配），只查本人所属地区；记入审计日志',
      description:
        '结果中的姓名、身份证号、手机号均已脱敏；培训账号只能查到培训办件；其他账号查不到培训办件，业务主管加 training=true 时只查培训办件（查看和办理仍须用培训账号）。',
      errors: ['FORBIDDEN'],
    },
    auth('staff', 'agent', 'supervisor'),
    validate<LookupInput>(LOOKUP_QUERY, 'query'),
    async (ctx) => {
      const input = inputOf<LookupInput>(ctx);
      const given = (['caseNo', 'idNumber', 'phone'] as const).filter((k) => input[k] !== undefined);
      if (given.length !== 1) {
        const message = '请填写办件编号、身份证号、手机号中的一项（只填一项）';
        throw new AppError('VALIDATION_FAILED', undefined, { caseNo: message, idNumber: message, phone: message });
      }
      const key = given[0]!;
      const staff = staffOf(ctx);
      const training = input.training === 'true';
      if (training && !staff.training && staff.role !== 'supervisor') {
        throw new AppError('FORBIDDEN', '只有业务主管可以查询培训办件');
      }
      ctx.body = {
        cases: await staffCases.lookup(staff, { [key]: input[key] } as LookupQuery, { training }),
      } satisfies StaffCaseList;
    },
  );

  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/cases/:caseNo',
      summary: '办件详情（脱敏）：办理记录、各事项状态、部门业务编号、最近一次错误、备注；记入审计日志',
      errors: ['NOT_FOUND', 'TRAINING_ONLY', 'TRAINING_PERSON'],
    },
    auth('staff', 'agent', 'supervisor'),
    async (ctx) => {
      ctx.body = await staffCases.view(staffOf(ctx), String(ctx.params.caseNo));
    },
  );

  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/cases/:caseNo/tracking',
      summary: '社保卡制卡邮寄（含邮件号）和档案转递的最新进度，实时向人社部门查询；只查本人所属地区；记入审计日志',
      reply: CASE_TRACKING_REPLY,
      errors: ['NOT_FOUND', 'TRAINING_ONLY', 'TRAINING_PERSON'],
    },
    auth('staff', 'agent', 'supervisor'),
    async (ctx) => {
      ctx.body = await staffCases.tracking(staffOf(ctx), String(ctx.params.caseNo), (caseDoc) =>
        trackCase(services.departments, caseDoc, {
          requestId: ctx.state.requestId as string,
          log: ctx.state.log as Logger,
        }),
      );
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/cases/:caseNo/reveals',
      summary:
        '查看一项完整信息（姓名、身份证号、手机号或邮寄地址），须选择理由（来电核实身份、办理业务需要、投诉处理、其他）并可加说明，选“其他”须写说明；说明里的手机号、身份证号脱敏后记入审计日志',
      errors: ['NOT_FOUND', 'TRAINING_ONLY', 'TRAINING_PERSON'],
    },
    auth('staff', 'agent', 'supervisor'),
    validate<RevealInput>(REVEAL_REQUEST),
    async (ctx) => {
      const input = inputOf<RevealInput>(ctx);
      const reason = revealReasonOf(input);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await staffCases.reveal(staffOf(ctx), String(ctx.params.caseNo), input.field, reason);
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/cases/:caseNo/matters/:matter/retries',
      summary: '对转人工处理的事项重新提交自动办理，须说明理由；记入审计日志',
      errors: ['NOT_FOUND', 'TRAINING_ONLY', 'TRAINING_PERSON', 'MATTER_NOT_RETRYABLE'],
    },
    auth('staff', 'agent', 'supervisor'),
    validate<{ reason: string }>(RETRY_REQUEST),
    async (ctx) => {
      ctx.body = await staffCases.retry(
        staffOf(ctx),
        String(ctx.params.caseNo),
        matterParam(ctx),
        inputOf<{ reason: string }>(ctx).reason,
      );
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/cases/:caseNo/notes',
      summary: '为办件添加工作人员备注；记入审计日志',
      status: 201,
      errors: ['NOT_FOUND', 'TRAINING_ONLY', 'TRAINING_PERSON'],
    },
    auth('staff', 'agent', 'supervisor'),
    validate<{ text: string }>(NOTE_REQUEST),
    async (ctx) => {
      ctx.status = 201;
      ctx.body = await staffCases.addNote(staffOf(ctx), String(ctx.params.caseNo), inputOf<{ text: string }>(ctx).text);
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/cases/:caseNo/matters/:matter/settlements',
      summary: '主管对人工处理中的事项作出处理：已线下办结（填业务编号）或不予办理（理由告知群众）；记入审计日志',
      errors: ['NOT_FOUND', 'TRAINING_ONLY', 'TRAINING_PERSON', 'MATTER_NOT_IN_MANUAL'],
    },
    auth('staff', 'supervisor'),
    validate<Settlement>(SETTLEMENT_REQUEST),
    async (ctx) => {
      ctx.body = await staffCases.settle(
        staffOf(ctx),
        String(ctx.params.caseNo),
        matterParam(ctx),
        inputOf<Settlement>(ctx),
      );
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/training/clearances',
      summary:
        '清除培训数据：本人所属地区（或其下级地区）的培训办件及其申请数据、待办任务、跟踪回访、备注、问题清单事项、窗口受理记录和培训人员的缴费订单；可重复执行；记入审计日志',
      description: '只有业务主管可以清除；统计从不计入培训办件，清除后不变。',
      errors: ['FORBIDDEN'],
    },
    auth('staff', 'supervisor'),
    validate<{ regionCode?: string }>(CLEAR_TRAINING_REQUEST),
    async (ctx) => {
      const staff = staffOf(ctx);
      const regionCode = supervisedRegion(
        staff,
        inputOf<{ regionCode?: string }>(ctx).regionCode,
        '只能清除本人所属地区的培训数据',
      );
      // 1. the visits (who was served)  2. the cases and what hangs off them  3. their problem items  4. the trail
      const visits = await services.window.clearTraining(regionCode);
      const { caseNos, ...removed } = await staffCases.clearTraining(regionCode, visits.applicantIds);
      const problems = await services.problems.clearTraining(new Set(caseNos), regionCode);
      const cleared = { regionCode, ...removed, problems, windowVisits: visits.visits } satisfies TrainingCleared;
      await services.audit.append({
        ...auditFactsOf(staff),
        action: 'clearTraining',
        target: `region:${regionCode}`,
        detail:
          `培训办件 ${cleared.cases} 件（申请数据 ${cleared.caseData} 份，待办任务 ${cleared.jobs} 个，跟踪回访 ${cleared.followUps} 个，` +
          `备注 ${cleared.notes} 份），问题 ${problems} 条，窗口受理 ${cleared.windowVisits} 次，培训人员缴费订单 ${cleared.orders} 笔`,
      });
      ctx.body = cleared;
    },
  );

  return router;
}

export function regionNameOf(code: string): string {
  if (code === '64') return '宁夏回族自治区';
  if (code.length === 4) return NINGXIA_CITIES.find((c) => c.code === code)?.name ?? code;
  return describeRegion(code) ?? code;
}
