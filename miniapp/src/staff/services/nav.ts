// The staff sub-package's pages (root `staff/` in app.config.ts) and who may open each.
import Taro from '@tarojs/taro';
import type { StaffRole } from '@flexins/shared';

export const STAFF_ROUTES = {
  signIn: '/staff/signin/index',
  home: '/staff/home/index',
  window: '/staff/window/index',
  cases: '/staff/cases/index',
  case: '/staff/case/index',
  audit: '/staff/audit/index',
  dashboard: '/staff/dashboard/index',
  problems: '/staff/problems/index',
} as const;

export type StaffRoute = (typeof STAFF_ROUTES)[keyof typeof STAFF_ROUTES];

/** The menu: each page, its label and the roles that may use it. */
export const STAFF_MENU: readonly { route: StaffRoute; label: string; roles: readonly StaffRole[]; testId: string }[] =
  [
    { route: STAFF_ROUTES.home, label: '工作台', roles: ['windowClerk', 'agent', 'supervisor'], testId: 'menu-home' },
    { route: STAFF_ROUTES.window, label: '窗口受理', roles: ['windowClerk'], testId: 'menu-window' },
    { route: STAFF_ROUTES.cases, label: '办件查询', roles: ['agent', 'supervisor'], testId: 'menu-cases' },
    { route: STAFF_ROUTES.dashboard, label: '监督看板', roles: ['supervisor'], testId: 'menu-dashboard' },
    { route: STAFF_ROUTES.audit, label: '审计日志', roles: ['supervisor'], testId: 'menu-audit' },
    { route: STAFF_ROUTES.problems, label: '问题清单', roles: ['supervisor'], testId: 'menu-problems' },
  ];

export function staffUrl(route: StaffRoute, params?: Record<string, string>): string {
  const query = Object.entries(params ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return query ? `${route}?${query}` : route;
}

/** Forward with a way back (a case from the list). */
export function openStaffPage(route: StaffRoute, params?: Record<string, string>): void {
  const url = staffUrl(route, params);
  Taro.navigateTo({ url }).catch(() => Taro.redirectTo({ url }));
}

/** Menu moves replace the page, so the page stack stays short. */
export function switchStaffPage(route: StaffRoute, params?: Record<string, string>): void {
  void Taro.redirectTo({ url: staffUrl(route, params) });
}

/** Back to the sign-in page, forgetting every page on the way. */
export function toSignIn(): void {
  void Taro.reLaunch({ url: STAFF_ROUTES.signIn });
}

export function staffPageParams(): Record<string, string | undefined> {
  const params = Taro.getCurrentInstance().router?.params ?? {};
  const decoded: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(params))
    decoded[key] = value === undefined ? undefined : decodeURIComponent(value);
  return decoded;
}
