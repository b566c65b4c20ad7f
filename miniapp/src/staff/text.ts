// The staff pages' words in one place (plain Chinese for people at work).
import type { Channel, StaffRole } from '@flexins/shared';
import { REF_LABELS } from '../text';

export const STAFF_TEXT = {
  sessionExpired: '登录已超时（长时间没有操作会自动退出），请重新登录。',
  signedOut: '您已退出登录。',
  timeout: '网络太慢，等了很久没有回应，请再试一次。',
  offline: '连不上服务器，请检查网络后再试。',
  credentialsInvalid: '用户名或密码不对，请重新输入。连续输错 5 次账号会被锁定 15 分钟。',
  training: '培训账号：只能处理培训人员的办件，不计入统计',
  wrongRole: '您的账号没有这个页面的权限，已回到工作台。',
} as const;

/** What each role does, as the home page says it. */
export const ROLE_DUTIES: Record<StaffRole, string> = {
  windowClerk: '在窗口为到场群众代为办理“一件事”。',
  agent: '接听 12345/12333 来电：查询办件、说明进度、重新提交失败的事项、记录备注。',
  supervisor: '查看办理情况统计、审计日志和问题清单，对转人工的事项作出处理。',
};

export const CHANNEL_LABELS = { app: '“我的宁夏”网上办', window: '窗口受理' } as const satisfies Record<
  Channel,
  string
>;

/** Department numbers (the citizen side's labels) and the one staff add when settling offline. */
export const STAFF_REF_LABELS: Readonly<Record<string, string>> = {
  ...REF_LABELS,
  offlineReference: '线下办结业务编号',
};

/** Whole seconds as 1 分 5 秒. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '暂无';
  const s = Math.round(seconds);
  if (s < 60) return `${s} 秒`;
  if (s < 3600) return `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
  if (s < 86400) return `${Math.floor(s / 3600)} 小时 ${Math.floor((s % 3600) / 60)} 分`;
  return `${Math.floor(s / 86400)} 天 ${Math.floor((s % 86400) / 3600)} 小时`;
}
