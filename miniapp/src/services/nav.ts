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

/** The H5 build (a constant there: the build writes TARO_ENV in). */
const h5 = (): boolean => process.env.TARO_ENV === 'h5';
/** The address this document was loaded at (H5): the page a reload shows. */
const LOADED_AT = h5() ? `${window.location.pathname}${window.location.search}` : '';

/**
 * To the journey's next step, which the phone's Back returns from. In the mini-program a page
 * on the stack; in H5 a copy of this page's entry in the browser's history, then this page
 * replaced — Taro's H5 router would otherwise keep every earlier step in the document, hidden.
 */
export function forward(route: Route, params?: Record<string, string>): void {
  if (!h5()) return go(route, params);
  window.history.pushState(window.history.state, '', window.location.href);
  replace(route, params);
}

/**
 * Back to the step `route` (with `params`), said by a button (上一步, 改好了): the phone's Back
 * when that step is what Back returns to — in H5 always, as `forward` left it there; in the
 * mini-program when it is the page below on the stack (a full stack of ten made `forward`
 * replace instead) — else that step's page in place of this one.
 */
export function backTo(route: Route, params: Record<string, string> = {}): void {
  if (h5()) return window.history.back();
  const pages = Taro.getCurrentPages();
  const below = pages[pages.length - 2] as { route?: string; options?: Record<string, string> } | undefined;
  const same =
    below !== undefined &&
    `/${below.route ?? ''}` === route &&
    Object.entries(params).every(([key, value]) => below.options?.[key] === value);
  if (same) void Taro.navigateBack();
  else replace(route, params);
}

/**
 * A fresh start at `route` (after signing in, after submitting): Back from it goes to our home
 * page, never to the host's sign-in page or to a form already sent.
 */
export function startAt(route: Route, params?: Record<string, string>): void {
  if (!h5()) {
    void Taro.reLaunch({ url: ROUTES.home }).then(() => go(route, params));
    return;
  }
  window.history.replaceState(window.history.state, '', ROUTES.home);
  forward(route, params);
}

/**
 * The citizen is picking up where they left off: sent back to the step by the entry page
 * (`?resume=1`), or this page reloaded in the browser.
 */
export function resuming(): boolean {
  if (pageParams().resume === '1') return true;
  if (!h5()) return false;
  // Older web views (and jsdom) have no navigation timing: no reload is said there.
  const entries = typeof performance.getEntriesByType === 'function' ? performance.getEntriesByType('navigation') : [];
  const reloaded = (entries[0] as PerformanceNavigationTiming | undefined)?.type === 'reload';
  return reloaded && `${window.location.pathname}${window.location.search}` === LOADED_AT;
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
