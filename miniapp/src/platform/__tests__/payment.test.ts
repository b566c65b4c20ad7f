// The postage payment in the mini-program: the host's payment sheet opens
// with exactly the parameters the BFF passed on, and the order counts as paid
// only once the BFF says so.
import Taro from '@tarojs/taro';
import type { PostageView } from '@flexins/shared';
import { taroDouble } from '../../../test/taro';
import {
  CONFIRM_DELAYS_MS,
  HOST_PAYMENT_TEXT,
  paymentReturn,
  payPostage,
  payPremium,
  sheetFailure,
  sheetOptions,
} from '../payment';

const PAY_PARAMS = {
  timeStamp: '1796000000',
  nonceStr: '0123456789abcdef0123456789abcdef',
  package: `prepay_id=wx${'ab'.repeat(16)}`,
  signType: 'HMAC-SHA256' as const,
  paySign: 'A'.repeat(64),
};

const created: PostageView = {
  orderId: 'YF0123456789abcdef0123',
  amountFen: 580,
  status: 'created',
  cashierUrl: 'http://127.0.0.1:4005/cashier/ZF20261129000001',
  payParams: PAY_PARAMS,
};
const paid: PostageView = { ...created, status: 'paid', paidAt: '2026-11-29T08:00:00.000Z', payParams: undefined };

/** The BFF: the order on POST, then its status on each GET (the last one repeats). */
function bff(statuses: PostageView[], order: PostageView = created) {
  const seen: string[] = [];
  taroDouble.respondWith(({ method, url }) => {
    seen.push(`${method} ${url}`);
    if (method === 'POST' && url.endsWith('/api/postage-orders')) return { statusCode: 201, data: order };
    if (method === 'GET' && url.includes('/api/postage-orders/')) {
      return { statusCode: 200, data: statuses.length > 1 ? statuses.shift() : statuses[0] };
    }
    return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '没有找到' } } };
  });
  return seen;
}

describe('the host payment sheet, from the order (pure parts)', () => {
  it('takes exactly the five parameters Taro.requestPayment wants', () => {
    expect(sheetOptions(created)).toEqual(PAY_PARAMS);
  });

  it('has nothing to open without parameters', () => {
    expect(sheetOptions({ ...created, payParams: undefined })).toBeUndefined();
  });

  it('tells a closed sheet from a failed one', () => {
    expect(sheetFailure({ errMsg: 'requestPayment:fail cancel' })).toBe('cancelled');
    expect(sheetFailure({ errMsg: 'requestPayment:fail 订单已失效' })).toBe('failed');
    expect(sheetFailure(new Error('boom'))).toBe('failed');
    expect(sheetFailure(undefined)).toBe('failed');
  });
});

describe('paying the postage in the mini-program', () => {
  const h5 = process.env.TARO_ENV;
  beforeEach(() => {
    process.env.TARO_ENV = 'weapp';
    jest.useFakeTimers({ advanceTimers: true });
  });
  afterEach(() => {
    process.env.TARO_ENV = h5;
    jest.useRealTimers();
  });

  it('opens the sheet with the order’s parameters and returns the order once the BFF says it is paid', async () => {
    const seen = bff([created, paid]);

    const step = await payPostage();

    expect(Taro.requestPayment).toHaveBeenCalledTimes(1);
    expect(Taro.requestPayment).toHaveBeenCalledWith(PAY_PARAMS);
    expect(step).toEqual({ kind: 'paid', order: paid });
    expect(seen.filter((s) => s.startsWith('GET'))).toHaveLength(2);
  });

  it('does not open the sheet for an order that is already paid', async () => {
    bff([paid], paid);
    await expect(payPostage()).resolves.toEqual({ kind: 'paid', order: paid });
    expect(Taro.requestPayment).not.toHaveBeenCalled();
  });

  it('says cancelled when the citizen closes the sheet, and asks nothing more', async () => {
    const seen = bff([created]);
    jest.mocked(Taro.requestPayment).mockRejectedValueOnce({ errMsg: 'requestPayment:fail cancel' });

    await expect(payPostage()).resolves.toEqual({ kind: 'cancelled' });
    expect(seen.filter((s) => s.startsWith('GET'))).toHaveLength(0);
  });

  it('says in plain Chinese when the sheet fails', async () => {
    bff([created]);
    jest.mocked(Taro.requestPayment).mockRejectedValueOnce({ errMsg: 'requestPayment:fail system error' });
    await expect(payPostage()).rejects.toThrow(HOST_PAYMENT_TEXT.failed);
  });

  it('says it cannot open the payment when the BFF gave no parameters', async () => {
    bff([created], { ...created, payParams: undefined });
    await expect(payPostage()).rejects.toThrow(HOST_PAYMENT_TEXT.unavailable);
    expect(Taro.requestPayment).not.toHaveBeenCalled();
  });

  it('does not call an order paid that the BFF has not confirmed, and says it is still being confirmed', async () => {
    const seen = bff([created]);
    await expect(payPostage()).rejects.toThrow(HOST_PAYMENT_TEXT.confirming);
    expect(seen.filter((s) => s.startsWith('GET'))).toHaveLength(CONFIRM_DELAYS_MS.length);
  });
});

describe('paying the first premium in the mini-program', () => {
  const h5 = process.env.TARO_ENV;
  beforeEach(() => {
    process.env.TARO_ENV = 'weapp';
    jest.useFakeTimers({ advanceTimers: true });
  });
  afterEach(() => {
    process.env.TARO_ENV = h5;
    jest.useRealTimers();
  });

  const premiumOrder: PostageView = { ...created, orderId: 'SFLJ20261129000001', amountFen: 173600 };
  const NOT_PAID = { error: { code: 'PREMIUM_NOT_PAID', message: '社会保险费还没有支付成功，请在收银台完成支付' } };

  it('opens the same sheet, then waits until the BFF has entered the payment', async () => {
    const confirms: string[] = [];
    taroDouble.respondWith(({ url }) => {
      if (url.endsWith('/premium-order')) return { statusCode: 201, data: premiumOrder };
      confirms.push(url);
      // The payment system has not told the BFF yet on the first look.
      return confirms.length === 1 ? { statusCode: 409, data: NOT_PAID } : { statusCode: 200, data: { caseNo: 'LJ1' } };
    });

    const step = await payPremium('LJ20261129000001');

    expect(Taro.requestPayment).toHaveBeenCalledWith(PAY_PARAMS);
    expect(step).toEqual({ kind: 'paid', view: { caseNo: 'LJ1' } });
    expect(confirms).toHaveLength(2);
  });

  it('charges nothing and confirms nothing when the sheet is closed', async () => {
    const seen: string[] = [];
    taroDouble.respondWith(({ url }) => {
      seen.push(url);
      return { statusCode: 201, data: premiumOrder };
    });
    jest.mocked(Taro.requestPayment).mockRejectedValueOnce({ errMsg: 'requestPayment:fail cancel' });

    await expect(payPremium('LJ20261129000001')).resolves.toEqual({ kind: 'cancelled' });
    expect(seen).toEqual(['/api/applications/LJ20261129000001/premium-order']);
    expect(paymentReturn('cancelled', false)).toContain('没有扣款');
  });
});
