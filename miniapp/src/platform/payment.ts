// Paying the card's postage at the host app's cashier. On H5 the browser goes
// to the cashier page and comes back to the review page with ?orderId=…;
// in the mini-program the host's payment sheet (Taro.requestPayment) opens.
import Taro from '@tarojs/taro';
import { api } from '../services/api';
import { API_BASE } from '../services/config';
import { absoluteUrl, ROUTES } from '../services/nav';
import type { PostageOrder } from '../services/types';

export type PaymentStep = { kind: 'paid'; order: PostageOrder } | { kind: 'leaving' } | { kind: 'cancelled' };

export async function payPostage(): Promise<PaymentStep> {
  if (process.env.TARO_ENV === 'h5') {
    const order = await api.orderPostage(absoluteUrl(ROUTES.review));
    if (order.status === 'paid') return { kind: 'paid', order };
    window.location.assign(order.cashierUrl);
    return { kind: 'leaving' };
  }
  const order = await api.orderPostage(`${API_BASE}${ROUTES.review}`);
  if (order.status === 'paid') return { kind: 'paid', order };
  if (!order.payParams) throw new Error('暂时无法打开支付，请稍后再试；如多次失败请拨打 12345');
  try {
    await Taro.requestPayment(order.payParams as unknown as Parameters<typeof Taro.requestPayment>[0]);
  } catch {
    return { kind: 'cancelled' };
  }
  return { kind: 'paid', order: await api.postageOrder(order.orderId) };
}
