// Signing in through the host app (统一身份认证). In the mini-program the host
// gives a one-time code (Taro.login); on H5 its sign-in page stands in: we go
// there and come back to the entry page with ?code=…&state=….
import Taro from '@tarojs/taro';
import { api } from '../services/api';
import { absoluteUrl, ROUTES } from '../services/nav';
import { keepSignInState, keepToken, randomKey, takeSignInState } from '../services/session';

export type SignInStep = { kind: 'signedIn' } | { kind: 'leaving' };

async function exchange(code: string): Promise<void> {
  const session = await api.signIn(code);
  keepToken(session.token, session.expiresAt);
}

/**
 * Signs in, or (on H5, without a code in hand) leaves for the host's sign-in
 * page. `params` are the entry page's query.
 */
export async function signIn(params: Record<string, string | undefined>): Promise<SignInStep> {
  if (process.env.TARO_ENV === 'h5') {
    if (params.code) {
      const expected = takeSignInState();
      if (!expected || params.state !== expected) throw new Error('登录校验未通过，请重新进入');
      await exchange(params.code);
      return { kind: 'signedIn' };
    }
    const state = randomKey();
    keepSignInState(state);
    const { url } = await api.signInUrl(absoluteUrl(ROUTES.entry), state);
    window.location.assign(url);
    return { kind: 'leaving' };
  }
  const { code } = await Taro.login();
  await exchange(code);
  return { kind: 'signedIn' };
}
