// The supervisors' exports (导出): the dashboard's figures by region, matter,
// channel and month, and the problem list with its deadlines, as an Excel
// workbook (one sheet per table, then a 说明 sheet: what, where, which
// period, who exported it and when) or as CSV (one table). Headers in
// Chinese, figures as numbers. No citizen's personal data: the dashboard has
// none, and the problem list's free text is masked as it is on screen.
import { chinaDateTime, type Dashboard, type DashboardFigures, type ProblemList } from '@flexins/shared';
import ExcelJS from 'exceljs';
import type { Context } from 'koa';
import type { StaffPrincipal } from '../../platform/auth';
import { csvOf } from '../../platform/csv';
import type { Services } from '../../services';

export type Cell = string | number | null;

/** One table: a sheet of the workbook, or a CSV file. */
export interface Table {
  /** The sheet's name (at most 31 characters, as Excel allows). */
  name: string;
  header: readonly string[];
  rows: Cell[][];
}

export const STATS_TABLES = ['region', 'matter', 'channel', 'month'] as const;
export type StatsTable = (typeof STATS_TABLES)[number];

export const STATS_TABLE_LABELS: Record<StatsTable, string> = {
  region: '各地',
  matter: '各事项',
  channel: '办理渠道',
  month: '各月',
};

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const FIGURE_HEADER = [
  '申请（件）',
  '全部办结（件）',
  '待缴费（件）',
  '有事项转人工处理（件）',
  '有事项不予办理（件）',
];

const figureCells = (f: DashboardFigures): number[] => [
  f.applications,
  f.completed,
  f.awaitingPayment,
  f.manual,
  f.rejected,
];

/** The dashboard's tables, as the dashboard shows them (the same figures, from the same reply). */
export function statsTables(
  board: Dashboard,
  months: readonly (DashboardFigures & { month: string })[],
): Record<StatsTable, Table> & { failures: Table; ratings: Table } {
  const channelLabel = Object.fromEntries(board.byChannel.map((c) => [c.channel, c.label]));
  return {
    region: {
      name: STATS_TABLE_LABELS.region,
      header: ['地区代码', '地区', ...FIGURE_HEADER],
      rows: [
        ...board.byRegion.map((r) => [r.regionCode, r.regionName, ...figureCells(r)]),
        [board.regionCode, `合计（${board.regionName}）`, ...figureCells(board.totals)],
      ],
    },
    matter: {
      name: STATS_TABLE_LABELS.matter,
      header: ['事项', '渠道', '办结（件）', '待缴费（件）', '转人工处理（件）', '不予办理（件）'],
      rows: board.byMatter.flatMap((m) => [
        [m.name, '合计', m.done, m.awaitingPayment, m.manual, m.rejected],
        ...Object.entries(m.byChannel).map(([channel, f]): Cell[] => [
          m.name,
          channelLabel[channel] ?? channel,
          f.done,
          f.awaitingPayment,
          f.manual,
          f.rejected,
        ]),
      ]),
    },
    channel: {
      name: STATS_TABLE_LABELS.channel,
      header: ['渠道', ...FIGURE_HEADER],
      rows: [...board.byChannel.map((c) => [c.label, ...figureCells(c)]), ['合计', ...figureCells(board.totals)]],
    },
    month: {
      name: STATS_TABLE_LABELS.month,
      header: ['提交月份', ...FIGURE_HEADER],
      rows: [...months.map((m) => [m.month, ...figureCells(m)]), ['合计', ...figureCells(board.totals)]],
    },
    failures: {
      name: '常见失败原因',
      header: ['原因', '次数'],
      rows: board.failureReasons.map((f) => [f.reason, f.count]),
    },
    ratings: {
      name: '好差评',
      header: ['评分', '条数'],
      rows: (['5', '4', '3', '2', '1'] as const).map((s) => [`${s} 分`, board.ratings.byScore[s]]),
    },
  };
}

/** The problem list's table: deadlines and whether overdue, the text masked. */
export function problemTable(list: ProblemList): Table {
  return {
    name: '问题清单',
    header: [
      '问题编号',
      '来源',
      '类别',
      '办件编号',
      '地区',
      '描述（已脱敏）',
      '评分',
      '状态',
      '责任人',
      '办理期限',
      '是否超期',
      '整改情况（已脱敏）',
      '提出时间（北京时间）',
    ],
    rows: list.items.map((p) => [
      p.problemId,
      p.sourceLabel,
      p.categoryLabel,
      p.caseNo ?? '',
      p.regionName ?? '全区',
      p.text,
      p.score ?? null,
      p.statusLabel,
      p.owner ?? '',
      p.deadline,
      p.overdue ? '已超期' : '否',
      p.fix ?? '',
      chinaDateTime(p.createdAt),
    ]),
  };
}

/** The 说明 sheet's lines: what the workbook is and who made it when. */
export function aboutRows(facts: {
  title: string;
  region: string;
  period: string;
  exportedBy: string;
  exportedAt: Date;
  notes: readonly string[];
}): Cell[][] {
  return [
    ['报表', facts.title],
    ['地区', facts.region],
    ['统计期间', facts.period],
    ['导出人', facts.exportedBy],
    ['导出时间（北京时间）', chinaDateTime(facts.exportedAt, true)],
    ...facts.notes.map((note, i): Cell[] => [i === 0 ? '说明' : '', note]),
  ];
}

/** The workbook: each table a sheet with a bold, frozen header, then the 说明 sheet. */
export async function workbookOf(tables: readonly Table[], about: Cell[][], at: Date): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '灵活就业参保“一件事”监督看板';
  book.created = at;
  for (const table of tables) {
    const sheet = book.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow([...table.header]).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    sheet.columns.forEach((column, i) => {
      const longest = Math.max(
        ...[table.header[i] ?? '', ...table.rows.map((r) => r[i] ?? '')].map((v) => String(v).length),
      );
      column.width = Math.min(60, Math.max(10, longest * 2 + 2));
    });
  }
  const notes = book.addWorksheet('说明');
  for (const row of about) notes.addRow(row);
  notes.getColumn(1).font = { bold: true };
  notes.getColumn(1).width = 22;
  notes.getColumn(2).width = 80;
  return Buffer.from(await book.xlsx.writeBuffer());
}

export function csvOfTable(table: Table): string {
  return csvOf(table.header, table.rows);
}

/** The period asked, in words. */
export function periodOf(from: string | null, to: string | null): string {
  if (!from && !to) return '全部时间（按提交月份）';
  return `${from ?? '最早'} 至 ${to ?? '今'}（按提交月份）`;
}

/** `导出人` in a workbook: the name from the staff directory beside the id. */
export async function exporterOf(services: Services, staff: StaffPrincipal): Promise<string> {
  const name = (await services.audit.staff.namesOf([staff.staffId])).get(staff.staffId);
  return name ? `${name}（${staff.staffId}）` : staff.staffId;
}

/** Sends a file the browser saves (never cached: it is as of now). */
export function sendFile(ctx: Context, name: string, type: string, body: string | Buffer): void {
  ctx.set('Content-Disposition', `attachment; filename="${name}"`);
  ctx.set('Cache-Control', 'no-store');
  ctx.type = type;
  ctx.body = body;
}
