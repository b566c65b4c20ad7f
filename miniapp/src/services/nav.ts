// Page addresses and moving between them. The main package holds the home,
// entry and help pages; the journey and the case are sub-packages (app.config.ts).
import Taro from '@tarojs/taro';

export const ROUTES = {
  home: '/pages/index/index',
  entry: '/pages/entry/index',
  help: '/pages/help/index',
  notice: '/journey/notice/index',
  eligibility: '/journey/eligibility/index',
  identity: '/journey/identity/index',
  form: '/journey/form/index',
  review: '/journey/review/index',
  progress: '/case/progress/index',
  certificate: '/case/certificate/index',
  rating: '/case/rating/index',
  messages: '/case/messages/index',
  verify: '/case/verify/index',
} as const;

export type Route = (typeof ROUTES)[keyof typeof ROUTES];

export function urlOf(route: Route, params?: Record<string, string>): string {
  // Mini-programs have no URLSearchParams.
  const query = Object.entries(params ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return query ? `${route}?${query}` : route;
}

/** Forward, with a way back. */
export function go(route: Route, params?: Record<string, string>): void {
  Taro.navigateTo({ url: urlOf(route, params) }).catch(() => Taro.redirectTo({ url: urlOf(route, params) }));
}

/** Forward, replacing this page (steps that should not be gone back to). */
export function replace(route: Route, params?: Record<string, string>): void {
  Taro.redirectTo({ url: urlOf(route, params) });
}

/** This page's query parameters. */
export function pageParams(): Record<string, string | undefined> {
  const params = Taro.getCurrentInstance().router?.params ?? {};
  const decoded: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(params))
    decoded[key] = value === undefined ? undefined : decodeURIComponent(value);
  return decoded;
}

/** The address of one of our pages as a browser opens it (H5 only: sign-in and cashier return here). */
export function absoluteUrl(route: Route, params?: Record<string, string>): string {
  return `${window.location.origin}${urlOf(route, params)}`;
}
