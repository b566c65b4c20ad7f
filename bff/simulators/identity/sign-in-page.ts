// The host app's sign-in, for the H5 build (统一身份认证登录页，模拟): a page
// listing the roster people; choosing one issues a one-time code and sends
// the browser back to the caller's redirect_uri with ?code=…&state=….
// Only allowed origins may receive codes (option REDIRECT_ORIGINS; loopback
// origins when unset).
import Router from '@koa/router';
import { maskName } from '@flexins/shared';
import type { Context } from 'koa';
import type { SimDeps } from '../common/types';
import { errorPage, escapeHtml, renderPage, sendPage } from '../common/html';
import { issueLoginCode } from './login-codes';
import { identityModels } from './models';
import { signInCandidates } from './people';

export const SIGN_IN_TITLE = '我的宁夏 · 统一身份认证（模拟）';
const MAX_STATE_LENGTH = 512;
const MAX_REDIRECT_LENGTH = 1_000;

type RedirectCheck = { ok: true; url: URL } | { ok: false; message: string };

/** REDIRECT_ORIGINS → a set of origins; undefined means "loopback only". */
export function allowedOrigins(deps: SimDeps): Set<string> | undefined {
  const raw = deps.config.options.REDIRECT_ORIGINS;
  if (!raw || !raw.trim()) return undefined;
  const origins = new Set<string>();
  for (const entry of raw.split(',').map((s) => s.trim())) {
    if (!entry) continue;
    try {
      origins.add(new URL(entry).origin);
    } catch {
      deps.log.warn('REDIRECT_ORIGINS 中有无法识别的地址，已忽略', { entry });
    }
  }
  return origins;
}

export function checkRedirect(raw: unknown, allowed: Set<string> | undefined): RedirectCheck {
  if (typeof raw !== 'string' || raw === '') return { ok: false, message: '缺少登录后的返回地址（redirect_uri）' };
  if (raw.length > MAX_REDIRECT_LENGTH) return { ok: false, message: '登录后的返回地址（redirect_uri）太长' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: '登录后的返回地址（redirect_uri）不是完整的网址' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: '登录后的返回地址（redirect_uri）必须以 http:// 或 https:// 开头' };
  }
  if (url.hash || url.username || url.password) {
    return { ok: false, message: '登录后的返回地址（redirect_uri）不能带 # 片段或用户名密码' };
  }
  const permitted = allowed
    ? allowed.has(url.origin)
    : url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
  if (!permitted) return { ok: false, message: `登录后的返回地址 ${url.origin} 未在统一身份认证平台登记，不能登录` };
  return { ok: true, url };
}

type StateCheck = { ok: true; state?: string } | { ok: false; message: string };

function checkState(raw: unknown): StateCheck {
  if (raw === undefined) return { ok: true };
  if (typeof raw !== 'string' || raw.length > MAX_STATE_LENGTH) {
    return { ok: false, message: `state 参数有误（只能有一个，最多 ${MAX_STATE_LENGTH} 个字符）` };
  }
  return { ok: true, state: raw };
}

const REFUSAL_ADVICE = '请回到“我的宁夏”重新进入本服务；如仍不能登录，请拨打 12345 政务服务热线。';

function refuse(ctx: Context, status: number, message: string): void {
  sendPage(ctx, status, errorPage(SIGN_IN_TITLE, message, REFUSAL_ADVICE));
}

function chooseLink(key: string, redirect: string, state: string | undefined): string {
  const query = new URLSearchParams({ person: key, redirect_uri: redirect });
  if (state !== undefined) query.set('state', state);
  return `/sign-in/choose?${query.toString()}`;
}

export function signInPages(deps: SimDeps): Router {
  const router = new Router();
  const origins = allowedOrigins(deps);

  router.get('/sign-in', async (ctx) => {
    const redirect = checkRedirect(ctx.query.redirect_uri, origins);
    if (!redirect.ok) return refuse(ctx, 400, redirect.message);
    const state = checkState(ctx.query.state);
    if (!state.ok) return refuse(ctx, 400, state.message);

    const people = await signInCandidates(deps);
    const items = people
      .map((person) => {
        const masked = maskName(person.name);
        const href = chooseLink(person.key, ctx.query.redirect_uri as string, state.state);
        return (
          `<li><a class="choice" href="${escapeHtml(href)}" aria-label="${escapeHtml(`以${masked}（${person.label}）的身份登录`)}">` +
          `<span class="who">${escapeHtml(masked)}</span><span class="what">${escapeHtml(person.label)}</span></a></li>`
        );
      })
      .join('\n');
    const body =
      `<p>这是模拟的“我的宁夏”登录页。请选择一位测试人员登录，登录后将回到灵活就业参保“一件事”。</p>` +
      `<p class="note">名单中的人员和信息均为虚构，仅用于测试和演示。</p>` +
      `<ul class="list" aria-label="测试人员">\n${items}\n</ul>`;
    sendPage(ctx, 200, renderPage(SIGN_IN_TITLE, body));
  });

  router.get('/sign-in/choose', async (ctx) => {
    const redirect = checkRedirect(ctx.query.redirect_uri, origins);
    if (!redirect.ok) return refuse(ctx, 400, redirect.message);
    const state = checkState(ctx.query.state);
    if (!state.ok) return refuse(ctx, 400, state.message);
    const key = ctx.query.person;
    const { People } = identityModels(deps.db);
    const person = typeof key === 'string' ? await People.findOne({ key, training: false }).lean() : null;
    if (!person) return refuse(ctx, 404, '登录页上没有这位人员，请回到登录页重新选择');

    const { code } = await issueLoginCode(deps, person, 'page');
    const target = new URL(redirect.url);
    target.searchParams.set('code', code);
    if (state.state !== undefined) target.searchParams.set('state', state.state);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.status = 302;
    ctx.redirect(target.toString());
  });

  return router;
}
