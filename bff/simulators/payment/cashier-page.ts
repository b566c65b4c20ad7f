// The cashier page (收银台，模拟) the citizen's browser opens: what is being
// paid for and how much, a big 确认支付 button and a way back. Paying marks
// the order paid exactly once, starts the signed notification to the caller
// (without waiting for it) and sends the browser back to returnUrl.
import Router from '@koa/router';
import { PAYMENT_STATUS_LABELS } from '@flexins/shared';
import type { Context } from 'koa';
import type { SimDeps } from '../common/types';
import { errorPage, escapeHtml, renderPage, sendPage } from '../common/html';
import { paymentModels, type OrderRecord } from './models';
import { takePayment, yuan } from './orders';

export const CASHIER_TITLE = '我的宁夏 · 收银台（模拟）';
const PAYMENT_ORDER_NO = /^ZF\d{14}$/;
const HELP = '请回到办事页面重新发起支付；如有疑问请拨打 12345 政务服务热线。';

/** returnUrl with ?orderId=…&status=… added. */
function backTo(order: OrderRecord, status: string): string {
  const url = new URL(order.returnUrl);
  url.searchParams.set('orderId', order.orderId);
  url.searchParams.set('status', status);
  return url.toString();
}

function notFound(ctx: Context): void {
  sendPage(ctx, 404, errorPage(CASHIER_TITLE, '没有找到这笔支付订单', HELP));
}

function summary(order: OrderRecord): string {
  return (
    `<div class="card">` +
    `<p>${escapeHtml(order.subject)}</p>` +
    `<p class="amount" aria-label="${escapeHtml(`金额 ${yuan(order.amountFen)} 元`)}">¥${yuan(order.amountFen)}</p>` +
    `<p class="note">支付订单号：${escapeHtml(order.paymentOrderNo)}<br>订单状态：${PAYMENT_STATUS_LABELS[order.status]}</p>` +
    `</div>`
  );
}

function cashierBody(order: OrderRecord): string {
  if (order.status === 'created') {
    return (
      summary(order) +
      `<form method="post" action="/cashier/${escapeHtml(order.paymentOrderNo)}/pay">` +
      `<button class="button" type="submit">确认支付</button></form>` +
      `<a class="link" href="${escapeHtml(backTo(order, 'cancelled'))}">取消</a>` +
      `<p class="note">这是模拟收银台，不会真的扣款。</p>`
    );
  }
  const said: Record<OrderRecord['status'], string> = {
    created: '',
    paid: '这笔订单已经支付成功，无需再次支付。',
    refunded: '这笔订单已经退款，不能再支付。',
    closed: '这笔订单已关闭，不能支付；请回到办事页面重新发起。',
  };
  return (
    summary(order) +
    `<p role="status">${said[order.status]}</p>` +
    `<a class="button" href="${escapeHtml(backTo(order, order.status))}">返回</a>`
  );
}

export function cashierPages(deps: SimDeps): Router {
  const router = new Router();
  const { Orders } = paymentModels(deps.db);

  router.get('/cashier/:paymentOrderNo', async (ctx) => {
    const no = ctx.params.paymentOrderNo!;
    const order = PAYMENT_ORDER_NO.test(no) ? await Orders.findOne({ paymentOrderNo: no }).lean() : null;
    if (!order) return notFound(ctx);
    sendPage(ctx, 200, renderPage(CASHIER_TITLE, cashierBody(order)), { allowForms: true });
  });

  router.post('/cashier/:paymentOrderNo/pay', async (ctx) => {
    const no = ctx.params.paymentOrderNo!;
    if (!PAYMENT_ORDER_NO.test(no)) return notFound(ctx);

    // 1. created → paid, once, whatever number of clicks arrive together; the caller is told in the background
    const { order } = await takePayment(deps, { paymentOrderNo: no });

    // 2. the browser goes back; a repeated click on a paid order just goes back too
    if (!order) return notFound(ctx);
    if (order.status !== 'paid') {
      const message = order.status === 'refunded' ? '这笔订单已经退款，不能再支付' : '这笔订单已关闭，不能支付';
      return sendPage(ctx, 409, errorPage(CASHIER_TITLE, message, HELP));
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 303;
    ctx.redirect(backTo(order, 'paid'));
  });

  return router;
}
