import Taro from '@tarojs/taro';
import { fetchDouble, taroDouble } from '../../../test/taro';
import { ApiError, request } from '../http';

// Both ways out: the browser's fetch (the H5 build) and Taro.request (the mini-program).
describe.each([
  ['H5 (fetch)', 'h5'],
  ['the mini-program (Taro.request)', 'weapp'],
])('the BFF client on %s', (_name, platform) => {
  const before = process.env.TARO_ENV;
  beforeEach(() => {
    process.env.TARO_ENV = platform as typeof process.env.TARO_ENV;
    jest.useFakeTimers({ advanceTimers: true });
  });
  afterEach(() => {
    jest.useRealTimers();
    process.env.TARO_ENV = before;
  });

  it('goes out through its platform only', async () => {
    taroDouble.respondWith(() => ({ statusCode: 200, data: { ok: true } }));

    await expect(request('GET', '/api/me')).resolves.toEqual({ ok: true });

    expect(fetchDouble).toHaveBeenCalledTimes(platform === 'h5' ? 1 : 0);
    expect(Taro.request).toHaveBeenCalledTimes(platform === 'h5' ? 0 : 1);
  });

  it('sends the body as JSON and reads a reply that is not JSON as text', async () => {
    taroDouble.respondWith(({ data }) => ({ statusCode: 201, data: `got ${JSON.stringify(data)}` }));

    await expect(request('POST', '/api/x', { body: { a: '一' } })).resolves.toBe('got {"a":"一"}');
    expect(taroDouble.sent.mock.calls[0]![0]).toMatchObject({
      method: 'POST',
      data: { a: '一' },
      header: { 'content-type': 'application/json' },
    });
  });

  it('repeats a read after a dropped connection and returns the answer', async () => {
    let calls = 0;
    taroDouble.respondWith(() => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('request:fail'), { errMsg: 'request:fail' });
      return { statusCode: 200, data: { ok: true } };
    });

    await expect(request('GET', '/api/me')).resolves.toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  it('does not repeat a write without an idempotency key, and says what happened in plain Chinese', async () => {
    taroDouble.respondWith(() => {
      throw Object.assign(new Error('timeout'), { errMsg: 'request:fail timeout' });
    });

    const failure = await request<never>('POST', '/api/applications/x/rating', { body: { score: 5 } }).catch(
      (e: unknown) => e as ApiError,
    );

    expect(taroDouble.sent).toHaveBeenCalledTimes(1);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ kind: 'timeout', retryable: true });
    expect(failure.message).toContain('请点“重试”');
  });

  it('sends our token, and gives the BFF field messages to put beside the fields', async () => {
    taroDouble.store('flexins.token', { token: 'tok', expiresAt: new Date(Date.now() + 60_000).toISOString() });
    taroDouble.respondWith(() => ({
      statusCode: 400,
      data: {
        error: {
          code: 'VALIDATION_FAILED',
          message: '填写的信息有误',
          fields: { 'card.mailingAddress.phone': '手机号不对' },
        },
      },
    }));

    const failure = await request<never>('PUT', '/api/drafts/current', { body: {} }).catch(
      (e: unknown) => e as ApiError,
    );

    expect(taroDouble.sent.mock.calls[0]![0]).toMatchObject({ header: { authorization: 'Bearer tok' } });
    expect(failure).toMatchObject({ kind: 'refused', code: 'VALIDATION_FAILED', retryable: false });
    expect(failure.fields).toEqual({ 'card.mailingAddress.phone': '手机号不对' });
  });

  it('forgets a lapsed sign-in', async () => {
    taroDouble.store('flexins.token', { token: 'old', expiresAt: new Date(Date.now() + 60_000).toISOString() });
    taroDouble.respondWith(() => ({
      statusCode: 401,
      data: { error: { code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' } },
    }));

    await expect(request('GET', '/api/me')).rejects.toMatchObject({ kind: 'signedOut' });
    expect(taroDouble.stored('flexins.token')).toBeUndefined();
  });
});

describe('the BFF client on H5', () => {
  it('gives up a call the BFF does not answer in time, as a time-out', async () => {
    taroDouble.respondWith(() => new Promise<never>(() => undefined));

    const failure = await request<never>('POST', '/api/x', { timeoutMs: 50 }).catch((e: unknown) => e as ApiError);

    expect(failure).toMatchObject({ kind: 'timeout', retryable: true });
    expect(taroDouble.sent).toHaveBeenCalledTimes(1);
  });
});
