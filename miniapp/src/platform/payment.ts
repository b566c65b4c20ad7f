// Paying at the host app's cashier: the card's postage (review page) and the
// first premium (progress page), the same way. On H5 the browser goes to the
// cashier page (amount, what it is for, 确认支付 or 取消) and comes back with
// ?orderId=…&status=…; in the mini-program the host's payment sheet
// (Taro.requestPayment) opens with the signed parameters the BFF passed on
// from the payment system, and the BFF (told by the payment system, or asking
// it) says when it is paid.
import Taro from '@tarojs/taro';
import type { CaseView, PostageView } from '@flexins/shared';
import { api } from '../services/api';
import { API_BASE } from '../services/config';
import { ApiError } from '../services/http';
import { absoluteUrl, ROUTES, urlOf, type Route } from '../services/nav';

export type PaymentStep = { kind: 'paid'; order: PostageView } | { kind: 'leaving' } | { kind: 'cancelled' };

export const HOST_PAYMENT_TEXT = {
  unavailable: '暂时无法打开支付，请稍后再试；如多次失败请拨打 12345',
  failed: '支付没有完成。请点“重试”再付一次，同一笔订单不会重复扣款；如多次失败请拨打 12345',
  confirming: '支付结果还在确认中，请稍等片刻后点“重试”查看，不会重复扣款',
};

/** What the citizen is told on coming back from the cashier (its ?status=…) or the sheet. */
export function paymentReturn(status: string | undefined, paid: boolean): string {
  if (paid) return '✓ 支付成功。';
  if (status === 'cancelled') return '您取消了支付，没有扣款。需要时请再点“支付”。';
  return '支付结果还在确认中，请稍后刷新查看；不会重复扣款。';
}

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

/** After the sheet said "paid": what the BFF knows, once it knows (`look` answers undefined until then). */
async function confirmed<T>(look: () => Promise<T | undefined>): Promise<T> {
  for (const delay of CONFIRM_DELAYS_MS) {
    if (delay) await wait(delay);
    const known = await look();
    if (known !== undefined) return known;
  }
  throw new Error(HOST_PAYMENT_TEXT.confirming);
}

/** The cashier for an order that is not paid yet: its page (H5, leaving this page) or the host's sheet. */
async function atCashier(order: PostageView): Promise<'leaving' | 'cancelled' | 'sheetPaid'> {
  if (process.env.TARO_ENV === 'h5') {
    window.location.assign(order.cashierUrl);
    return 'leaving';
  }
  const options = sheetOptions(order);
  if (!options) throw new Error(HOST_PAYMENT_TEXT.unavailable);
  try {
    await Taro.requestPayment(options);
  } catch (err) {
    if (sheetFailure(err) === 'cancelled') return 'cancelled';
    throw new Error(HOST_PAYMENT_TEXT.failed);
  }
  return 'sheetPaid';
}

/** Where the cashier sends the browser (H5) or the sheet's page (mini-program) back to. */
function returnUrl(route: Route, params?: Record<string, string>): string {
  return process.env.TARO_ENV === 'h5' ? absoluteUrl(route, params) : `${API_BASE}${urlOf(route, params)}`;
}

export async function payPostage(): Promise<PaymentStep> {
  // One open order per applicant: paying again after a cancel opens the same order.
  const order = await api.orderPostage(returnUrl(ROUTES.review));
  if (order.status === 'paid') return { kind: 'paid', order };
  const step = await atCashier(order);
  if (step !== 'sheetPaid') return { kind: step };
  const paid = await confirmed(async () => {
    const known = await api.postageOrder(order.orderId);
    return known.status === 'paid' ? known : undefined;
  });
  return { kind: 'paid', order: paid };
}

export type PremiumStep = { kind: 'paid'; view: CaseView } | { kind: 'leaving' } | { kind: 'cancelled' };

/**
 * The first premium, after the citizen confirmed amount and months in the app:
 * the same cashier as the postage, then the BFF enters it with the tax system.
 */
export async function payPremium(caseNo: string): Promise<PremiumStep> {
  const order = await api.orderPremium(caseNo, returnUrl(ROUTES.progress, { caseNo }));
  if (order.status !== 'paid') {
    const step = await atCashier(order);
    if (step !== 'sheetPaid') return { kind: step };
  }
  const view = await confirmed(async () => {
    try {
      return await api.confirmPremium(caseNo);
    } catch (err) {
      // The sheet said paid before the payment system told the BFF: look again.
      if (err instanceof ApiError && err.code === 'PREMIUM_NOT_PAID') return undefined;
      throw err;
    }
  });
  return { kind: 'paid', view };
}
