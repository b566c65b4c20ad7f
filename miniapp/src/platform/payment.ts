// Paying the card's postage at the host app's cashier. On H5 the browser goes
// to the cashier page and comes back to the review page with ?orderId=…;
// in the mini-program the host's payment sheet (Taro.requestPayment) opens
// with the signed parameters the BFF passed on from the payment system, and
// the BFF (told by the payment system, or asking it) says when it is paid.
import Taro from '@tarojs/taro';
import type { PostageView } from '@flexins/shared';
import { api } from '../services/api';
import { API_BASE } from '../services/config';
import { absoluteUrl, ROUTES } from '../services/nav';

export type PaymentStep = { kind: 'paid'; order: PostageView } | { kind: 'leaving' } | { kind: 'cancelled' };

export const HOST_PAYMENT_TEXT = {
  unavailable: '暂时无法打开支付，请稍后再试；如多次失败请拨打 12345',
  failed: '支付没有完成。请点“重试”再付一次，同一笔订单不会重复扣款；如多次失败请拨打 12345',
  confirming: '支付结果还在确认中，请稍等片刻后点“重试”查看，不会重复扣款',
};

/** How long to wait for the BFF to learn of a payment the sheet reported, between looks. */
export const CONFIRM_DELAYS_MS = [0, 1_000, 2_000];

/** What Taro.requestPayment takes for this order; undefined when the BFF gave no parameters. */
export function sheetOptions(order: PostageView): Taro.requestPayment.Option | undefined {
  const params = order.payParams;
  if (!params) return undefined;
  return {
    timeStamp: params.timeStamp,
    nonceStr: params.nonceStr,
    package: params.package,
    signType: params.signType,
    paySign: params.paySign,
  };
}

/** A payment sheet that did not pay: closed by the citizen, or failed. */
export function sheetFailure(err: unknown): 'cancelled' | 'failed' {
  const text = String((err as { errMsg?: string } | undefined)?.errMsg ?? (err as Error | undefined)?.message ?? '');
  return /cancel/i.test(text) ? 'cancelled' : 'failed';
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** After the sheet said "paid": the order as the BFF knows it, once it knows. */
async function confirmed(orderId: string): Promise<PostageView> {
  for (const delay of CONFIRM_DELAYS_MS) {
    if (delay) await wait(delay);
    const order = await api.postageOrder(orderId);
    if (order.status === 'paid') return order;
  }
  throw new Error(HOST_PAYMENT_TEXT.confirming);
}

export async function payPostage(): Promise<PaymentStep> {
  if (process.env.TARO_ENV === 'h5') {
    const order = await api.orderPostage(absoluteUrl(ROUTES.review));
    if (order.status === 'paid') return { kind: 'paid', order };
    window.location.assign(order.cashierUrl);
    return { kind: 'leaving' };
  }
  // One open order per applicant: paying again after a cancel opens the same order.
  const order = await api.orderPostage(`${API_BASE}${ROUTES.review}`);
  if (order.status === 'paid') return { kind: 'paid', order };
  const options = sheetOptions(order);
  if (!options) throw new Error(HOST_PAYMENT_TEXT.unavailable);
  try {
    await Taro.requestPayment(options);
  } catch (err) {
    if (sheetFailure(err) === 'cancelled') return { kind: 'cancelled' };
    throw new Error(HOST_PAYMENT_TEXT.failed);
  }
  return { kind: 'paid', order: await confirmed(order.orderId) };
}
