import Taro from '@tarojs/taro';
import { taroDouble } from '../../../test/taro';
import { ApiError, request } from '../http';

describe('the BFF client', () => {
  beforeEach(() => jest.useFakeTimers({ advanceTimers: true }));
  afterEach(() => jest.useRealTimers());

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

    expect(Taro.request).toHaveBeenCalledTimes(1);
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

    expect(jest.mocked(Taro.request).mock.calls[0]![0]).toMatchObject({ header: { authorization: 'Bearer tok' } });
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
