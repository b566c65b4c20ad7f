/**
 * The messages a citizen gets outside the app (短信, “我的宁夏”订阅消息), one
 * template per kind, in plain Chinese. A message names the person by the
 * masked name at most (张*) and never holds an ID number or a phone number:
 * everything it says is in the case anyway, which the app shows in full.
 * The BFF's notifier (bff/src/modules/notifications) picks the kind from the
 * case's timeline and fills the facts; the same event always gives the same text.
 */
import { DEPARTMENT_NAMES, matterById, type Department, type MatterId } from './matters';

export const NOTIFICATION_KINDS = [
  'caseAccepted',
  'matterDone',
  'matterRefused',
  'cardPosted',
  'premiumDue',
  'premiumPaid',
  'ratingInvite',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What a message may say: the case's own facts, masked where personal. */
export interface NotificationFacts {
  /** maskName's 张* — never the full name. */
  nameMasked: string;
  caseNo: string;
  matter?: MatterId;
  /** A refusal's reason, as the department or the supervisor gave it. */
  reason?: string;
  /** The card's carrier and mail number (邮件号). */
  carrier?: string;
  trackingNo?: string;
  /** The first premium: amount in fen, months it covers, last day to pay (YYYY-MM-DD). */
  amountFen?: number;
  months?: number;
  payBy?: string;
  receiptNo?: string;
}

export interface NotificationTemplate {
  /** The template's name at the gateway (SMS template, subscription template). */
  title: string;
  /**
   * Urgent messages go out during quiet hours (22:00–08:00 China time); the
   * others wait until 08:00. Only the premium due is urgent: it carries a
   * deadline to pay by, and a night's wait may be what the citizen lacks.
   * A refusal is not: nothing can be done about it at night.
   */
  urgent: boolean;
  render(facts: NotificationFacts): string;
}

/** Where to ask about a refused matter: the department's hotline and window. */
export const DEPARTMENT_HOTLINES: Record<Department, string> = {
  hrss: '12333',
  medical: '12393',
  tax: '12366',
};

const yuan = (fen: number | undefined) => ((fen ?? 0) / 100).toFixed(2);
const hello = (f: NotificationFacts) => `${f.nameMasked}您好，`;
const matterName = (f: NotificationFacts) => (f.matter ? matterById(f.matter).name : '您申请的事项');

/** What to do after a refusal: ask the matter's department, or apply there in person. */
export function whatToDoAfterRefusal(matter: MatterId | undefined): string {
  const department = matter ? matterById(matter).department : 'hrss';
  return `如有疑问请拨打 ${DEPARTMENT_HOTLINES[department]}，或带身份证到就近的${DEPARTMENT_NAMES[department]}窗口咨询办理。`;
}

export const NOTIFICATION_TEMPLATES: Readonly<Record<NotificationKind, NotificationTemplate>> = {
  caseAccepted: {
    title: '申请受理通知',
    urgent: false,
    render: (f) =>
      `${hello(f)}您的灵活就业参保“一件事”申请已受理（办件编号 ${f.caseNo}），六个事项正在联动办理，进度可在“我的宁夏”查看。`,
  },
  matterDone: {
    title: '事项办结通知',
    urgent: false,
    render: (f) => `${hello(f)}“${matterName(f)}”已办好（办件编号 ${f.caseNo}），详情可在“我的宁夏”查看。`,
  },
  matterRefused: {
    title: '事项未办成通知',
    urgent: false,
    render: (f) =>
      `${hello(f)}“${matterName(f)}”未能办理：${(f.reason ?? '').replace(/[。；，\s]+$/, '') || '不符合办理条件'}。${whatToDoAfterRefusal(f.matter)}`,
  },
  cardPosted: {
    title: '社保卡寄出通知',
    urgent: false,
    render: (f) =>
      `${hello(f)}您的社会保障卡已通过${f.carrier ?? '邮政 EMS'}寄出，邮件号 ${f.trackingNo ?? ''}，请留意查收。`,
  },
  premiumDue: {
    title: '缴费提醒',
    urgent: true,
    render: (f) =>
      `${hello(f)}您的首期社会保险费已核定：${yuan(f.amountFen)} 元${f.months ? `（${f.months}个月）` : ''}。` +
      `请在“我的宁夏”打开本服务的办理进度，点“去缴费”在收银台支付${f.payBy ? `，截止 ${f.payBy}` : ''}。`,
  },
  premiumPaid: {
    title: '缴费成功通知',
    urgent: false,
    render: (f) =>
      `${hello(f)}首期社会保险费${f.amountFen ? ` ${yuan(f.amountFen)} 元` : ''}已缴纳成功${f.receiptNo ? `，电子票据号 ${f.receiptNo}` : ''}。`,
  },
  ratingInvite: {
    title: '办结评价邀请',
    urgent: false,
    render: (f) =>
      `${hello(f)}您的灵活就业参保“一件事”已全部办结（办件编号 ${f.caseNo}），欢迎在“我的宁夏”查看办结凭证，并为本次服务评价。`,
  },
};

export function renderNotification(kind: NotificationKind, facts: NotificationFacts): string {
  return NOTIFICATION_TEMPLATES[kind].render(facts);
}

// ---- quiet hours ------------------------------------------------------------

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Quiet hours, China time (UTC+8, no daylight saving): [from, until) in whole hours; from > until spans midnight. */
export interface QuietHours {
  fromHour: number;
  untilHour: number;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { fromHour: 22, untilHour: 8 };

/** When a non-urgent message may go: `now` outside quiet hours, else the end of them (08:00 China time). */
export function quietHoursEnd(now: Date, quiet: QuietHours | null = DEFAULT_QUIET_HOURS): Date | null {
  if (!quiet || quiet.fromHour === quiet.untilHour) return null;
  const local = new Date(now.getTime() + CHINA_OFFSET_MS);
  const hour = local.getUTCHours();
  const inQuiet =
    quiet.fromHour > quiet.untilHour
      ? hour >= quiet.fromHour || hour < quiet.untilHour
      : hour >= quiet.fromHour && hour < quiet.untilHour;
  if (!inQuiet) return null;
  const end = new Date(local);
  end.setUTCHours(quiet.untilHour, 0, 0, 0);
  if (end.getTime() <= local.getTime()) end.setUTCDate(end.getUTCDate() + 1);
  return new Date(end.getTime() - CHINA_OFFSET_MS);
}
