// Paying in the mini-program (宿主支付): every order comes with the parameters
// the host app's payment sheet opens with (Taro.requestPayment's shape),
// signed with this payment system's own key; when the citizen confirms in
// the sheet, the host sends them back here (POST /host/v1/payments) and the
// order is paid exactly as by the cashier page: once, then the same signed
// notification to the caller. The endpoint is unsigned like the cashier page
// (the host app is not a gateway caller); the paySign is what makes a call
// genuine, so tests and developers can stand in for the host with it.
import Router from '@koa/router';
import {
  PAYMENT_ERRORS,
  PAYMENT_HOST_PAY_REQUEST,
  PAYMENT_PATHS,
  type PaymentHostPayReply,
  type PaymentHostPayRequest,
} from '@flexins/shared';
import { check } from '@flexins/shared/server';
import { commonError, errorFactory } from '../common/errors';
import type { SimDeps } from '../common/types';
import type { OrderRecord } from './models';
import { notificationOf } from './notifier';
import { takePayment } from './orders';
import { PREPAY_PREFIX, genuine } from './pay-params';

const fail = errorFactory(PAYMENT_ERRORS);

/** What the notification says of the payment, and whether it had been paid before. */
function toHostPayReply(order: OrderRecord, alreadyPaid: boolean): PaymentHostPayReply {
  return { ...notificationOf(order), alreadyPaid };
}

/** What the host's payment sheet calls when the citizen confirms. */
export async function hostPay(deps: SimDeps, input: PaymentHostPayRequest): Promise<PaymentHostPayReply> {
  // 1. only parameters this payment system signed
  if (!(await genuine(deps, input))) throw fail('PAY_SIGN_INVALID');

  // 2. created → paid once, with the notification, exactly as the cashier page does
  const prepayId = input.package.slice(PREPAY_PREFIX.length);
  const { order, paidNow } = await takePayment(deps, { prepayId });
  if (!order) throw fail('ORDER_NOT_FOUND', { message: '没有找到这笔支付订单，请回到办事页面重新发起支付' });

  // 3. paid before: the same answer and no second charge (the sheet may repeat a lost confirmation)
  if (order.status === 'paid') return toHostPayReply(order, !paidNow);
  throw fail('ORDER_NOT_PAYABLE', {
    message:
      order.status === 'refunded'
        ? '这笔订单已经退款，不能再支付；请回到办事页面重新发起支付'
        : '这笔订单已关闭，不能支付；请回到办事页面重新发起支付',
  });
}

export function hostPaymentRoutes(deps: SimDeps): Router {
  const router = new Router();
  router.post(PAYMENT_PATHS.hostPayments, async (ctx) => {
    const checked = check<PaymentHostPayRequest>(PAYMENT_HOST_PAY_REQUEST, ctx.request.body ?? {});
    if (!checked.ok) throw commonError('VALIDATION_FAILED', { fields: checked.fields });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await hostPay(deps, checked.value);
  });
  return router;
}
