// The face check in the mini-program: the host face SDK's result token goes
// to the BFF with the check; without one (H5, or a host that gave none) the
// call carries no body, as before.
import Taro from '@tarojs/taro';
import { taroDouble } from '../../../test/taro';
import { HOST_FACE_TEXT, checkFace, faceFailureMessage, verifyResultOf } from '../face';

const TOKEN = 'host-face-verify-result-0123456789abcdefABCDEF';
const PASSED = { checkId: 'RL20261129000001', passed: true };

type HostFace = { startFacialRecognitionVerify?: jest.Mock };
const host = Taro as unknown as HostFace;

function bff() {
  const calls: { data?: unknown; header: Record<string, string> }[] = [];
  taroDouble.respondWith(({ method, url, data, header }) => {
    if (method === 'POST' && url.endsWith('/api/face-checks')) {
      calls.push({ data, header });
      return { statusCode: 201, data: PASSED };
    }
    return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '没有找到' } } };
  });
  return calls;
}

describe('the host face SDK reply (pure parts)', () => {
  it('finds the result token', () => {
    expect(verifyResultOf({ errCode: 0, errMsg: 'ok', verifyResult: TOKEN })).toBe(TOKEN);
  });

  it('finds none in a reply without one', () => {
    for (const reply of [undefined, null, {}, { verifyResult: '' }, { verifyResult: 42 }, 'text']) {
      expect(verifyResultOf(reply)).toBeUndefined();
    }
  });

  it('tells a cancelled check from a failed one, in plain Chinese', () => {
    expect(faceFailureMessage({ errMsg: 'startFacialRecognitionVerify:fail cancel' })).toBe(HOST_FACE_TEXT.cancelled);
    expect(faceFailureMessage({ errMsg: 'startFacialRecognitionVerify:fail 10004' })).toBe(HOST_FACE_TEXT.failed);
  });
});

describe('the face check', () => {
  afterEach(() => {
    delete host.startFacialRecognitionVerify;
  });

  it('on H5 asks the BFF without a body, with a fresh attempt key', async () => {
    const calls = bff();
    await expect(checkFace()).resolves.toEqual(PASSED);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.data).toBeUndefined();
    expect(calls[0]!.header['idempotency-key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  describe('in the mini-program', () => {
    const h5 = process.env.TARO_ENV;
    beforeEach(() => {
      process.env.TARO_ENV = 'weapp';
    });
    afterEach(() => {
      process.env.TARO_ENV = h5;
    });

    it('sends the token the host face SDK gave', async () => {
      const calls = bff();
      host.startFacialRecognitionVerify = jest.fn(() =>
        Promise.resolve({ errCode: 0, errMsg: 'ok', verifyResult: TOKEN }),
      );

      await expect(checkFace()).resolves.toEqual(PASSED);

      expect(host.startFacialRecognitionVerify).toHaveBeenCalledTimes(1);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.data).toEqual({ verifyResult: TOKEN });
    });

    it('asks without a body when the host gives no token', async () => {
      const calls = bff();
      host.startFacialRecognitionVerify = jest.fn(() => Promise.resolve({ errCode: 0, errMsg: 'ok' }));
      await checkFace();
      expect(calls[0]!.data).toBeUndefined();
    });

    it('does not ask the BFF when the citizen cancels the host face check, and says so', async () => {
      const calls = bff();
      host.startFacialRecognitionVerify = jest.fn(() =>
        Promise.reject({ errCode: 90100, errMsg: 'startFacialRecognitionVerify:fail cancel' }),
      );
      await expect(checkFace()).rejects.toThrow(HOST_FACE_TEXT.cancelled);
      expect(calls).toHaveLength(0);
    });
  });
});
