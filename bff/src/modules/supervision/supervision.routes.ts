// The supervisors' dashboard (监督看板), read from the counters; its exports
// (Excel workbook or CSV, each written to the audit trail); the daily
// summaries (每日汇总) kept by the worker, and a past day made again.
import Router from '@koa/router';
import type { Context } from 'koa';
import { auth, type StaffState } from '../../platform/auth';
import { documented } from '../../platform/openapi';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';
import { auditFactsOf } from '../staff/staff-case.service';
import {
  STATS_TABLES,
  STATS_TABLE_LABELS,
  XLSX_TYPE,
  aboutRows,
  csvOfTable,
  exporterOf,
  periodOf,
  sendFile,
  statsTables,
  workbookOf,
  type StatsTable,
} from './supervision.export';
import type { DashboardQuery } from './supervision.service';

const MONTH = {
  type: 'string',
  pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
  'x-format-hint': '应为年-月，例如 2026-11',
} as const;

const DASHBOARD_QUERY = {
  type: 'object',
  properties: {
    regionCode: {
      type: 'string',
      title: '地区',
      pattern: '^64(\\d{2}){0,2}$',
      'x-format-hint': '应为 64（全区）、4 位市级代码或 6 位县区代码',
    },
    from: { ...MONTH, title: '起始月份（按提交时间，含）' },
    to: { ...MONTH, title: '截止月份（按提交时间，含）' },
  },
  additionalProperties: false,
} as const;

const EXPORT_FORMAT = {
  type: 'string',
  title: '格式',
  enum: ['xlsx', 'csv'],
  'x-enum-labels': { xlsx: 'Excel 工作簿', csv: 'CSV（一张表）' },
} as const;

const EXPORT_QUERY = {
  type: 'object',
  required: ['format'],
  properties: {
    ...DASHBOARD_QUERY.properties,
    format: EXPORT_FORMAT,
    table: {
      type: 'string',
      title: '表（CSV 时）',
      enum: [...STATS_TABLES],
      'x-enum-labels': STATS_TABLE_LABELS,
    },
  },
  additionalProperties: false,
} as const;

type ExportQuery = DashboardQuery & { format: 'xlsx' | 'csv'; table?: StatsTable };

const SUMMARY_QUERY = {
  type: 'object',
  properties: { regionCode: DASHBOARD_QUERY.properties.regionCode },
  additionalProperties: false,
} as const;

const RECOMPUTE_REQUEST = {
  type: 'object',
  required: ['date'],
  properties: {
    date: {
      type: 'string',
      title: '日期',
      pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$',
      'x-format-hint': '应为年-月-日，例如 2026-11-30',
    },
  },
  additionalProperties: false,
} as const;

export function supervisionRoutes(services: Services): Router {
  const router = new Router();
  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/dashboard',
      summary:
        '监督看板：按市县、事项、渠道的申请量、办结、待缴费（已核定未缴纳首期社保费，不算办结）、人工处理、不予办理，办结用时中位数和 95 分位，常见失败原因，好差评及差评回访（超期在前）',
      description: '培训办件不计入。地区默认为本人所属地区，只能查看本人所属地区及其下级。',
      errors: [],
    },
    auth('staff', 'supervisor'),
    validate<DashboardQuery>(DASHBOARD_QUERY, 'query'),
    async (ctx: Context) => {
      ctx.body = await services.supervision.dashboard(
        (ctx.state as StaffState).staff,
        (ctx.state as InputState<DashboardQuery>).input,
      );
    },
  );
  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/dashboard/export',
      summary:
        '导出监督看板的统计（format=xlsx：各地、各事项、办理渠道、各月、常见失败原因、好差评各一张表，另附说明页；format=csv：table 指定的一张表，带 BOM）；导出记入审计日志',
      description: '地区和月份与监督看板相同：只能导出本人所属地区及其下级；培训办件不计入；不含个人信息。',
      errors: [],
    },
    auth('staff', 'supervisor'),
    validate<ExportQuery>(EXPORT_QUERY, 'query'),
    async (ctx: Context) => {
      const staff = (ctx.state as StaffState).staff;
      const { format, table = 'region', ...query } = (ctx.state as InputState<ExportQuery>).input;
      const board = await services.supervision.dashboard(staff, query);
      const months = await services.supervision.byMonth(staff, query);
      const tables = statsTables(board, months);
      const at = new Date();
      const stamp = `${board.regionCode}-${at.toISOString().slice(0, 10)}`;
      await services.audit.append({
        ...auditFactsOf(staff),
        action: 'statsExport',
        target: board.regionCode,
        detail: `${format === 'xlsx' ? 'Excel' : `CSV（${STATS_TABLE_LABELS[table]}）`}，${board.regionName}，${periodOf(board.from, board.to)}`,
      });
      if (format === 'csv') {
        sendFile(ctx, `stats-${table}-${stamp}.csv`, 'text/csv; charset=utf-8', csvOfTable(tables[table]));
        return;
      }
      const about = aboutRows({
        title: '灵活就业参保“一件事”监督统计',
        region: `${board.regionName}（${board.regionCode}）`,
        period: periodOf(board.from, board.to),
        exportedBy: await exporterOf(services, staff),
        exportedAt: at,
        notes: [
          '按申请提交的月份统计，培训办件不计入。',
          '待缴费：社会保险费已核定、首期尚未缴纳，不算办结。',
          '不含群众的姓名、身份证号、手机号等个人信息。',
        ],
      });
      const book = await workbookOf(
        [tables.region, tables.matter, tables.channel, tables.month, tables.failures, tables.ratings],
        about,
        at,
      );
      sendFile(ctx, `stats-${stamp}.xlsx`, XLSX_TYPE, book);
    },
  );

  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/daily-summaries',
      summary:
        '每日汇总（最近 7 天，新的在前）：当日收件、办结、当日办结、转人工处理、不予办理及原因、好差评；由后台每天定时生成前一天的',
      description: '地区默认为本人所属地区，只能查看本人所属地区及其下级。',
      errors: [],
    },
    auth('staff', 'supervisor'),
    validate<{ regionCode?: string }>(SUMMARY_QUERY, 'query'),
    async (ctx: Context) => {
      const staff = (ctx.state as StaffState).staff;
      ctx.body = await services.dailySummaries.list(
        staff,
        (ctx.state as InputState<{ regionCode?: string }>).input.regionCode,
      );
    },
  );

  documented(
    router,
    {
      method: 'post',
      path: '/api/staff/daily-summaries',
      summary: '重新生成某一天（今天以前）的每日汇总，如补录或更正之后；记入审计日志。回复本人所属地区当天的汇总',
      status: 201,
      errors: ['SERVICE_UNAVAILABLE'],
    },
    auth('staff', 'supervisor'),
    validate<{ date: string }>(RECOMPUTE_REQUEST),
    async (ctx: Context) => {
      const staff = (ctx.state as StaffState).staff;
      const { date } = (ctx.state as InputState<{ date: string }>).input;
      const summary = await services.dailySummaries.recompute(staff, date);
      await services.audit.append({ ...auditFactsOf(staff), action: 'summaryRecompute', target: date });
      ctx.status = 201;
      ctx.body = summary;
    },
  );

  return router;
}
