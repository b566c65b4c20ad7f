// The host app "我的宁夏"'s cashier (统一支付), simulated: orders for the card's
// postage, the cashier page (H5) and the host payment sheet's confirmation
// (mini-program), a signed paid notification with retries, order queries
// (HRSS checks the postage here too), full refunds and closing.
import Router from '@koa/router';
import {
  PAYMENT_CLOSE_ORDER_REQUEST,
  PAYMENT_CREATE_ORDER_REPLY,
  PAYMENT_CREATE_ORDER_REQUEST,
  PAYMENT_ERRORS,
  PAYMENT_ORDER_QUERY_REQUEST,
  PAYMENT_ORDER_REPLY,
  PAYMENT_PATHS,
  PAYMENT_REFUND_REPLY,
  PAYMENT_REFUND_REQUEST,
} from '@flexins/shared';
import type { SimDeps, SimulatorDefinition } from '../common/types';
import { cashierPages } from './cashier-page';
import { hostPaymentRoutes } from './host-payment';
import { COLLECTIONS, paymentModels } from './models';
import { notifierFor } from './notifier';
import { closeOrder, createOrder, queryOrder, refundOrder } from './orders';
import { paySignKey } from './pay-params';

/** What a browser or the host app calls without a gateway signature. */
function unsignedRoutes(deps: SimDeps): Router {
  const router = new Router();
  for (const part of [cashierPages(deps), hostPaymentRoutes(deps)]) router.use(part.routes());
  return router;
}

// Orders are not about a person, so no route has personOf: per-person
// scripted outcomes do not apply here; use the fault switches instead.
export const paymentSimulator: SimulatorDefinition = {
  name: 'payment',
  title: '我的宁夏 · 统一支付（模拟）',
  errors: PAYMENT_ERRORS,
  collections: Object.values(COLLECTIONS),
  pages: unsignedRoutes,
  routes: [
    {
      method: 'POST',
      path: PAYMENT_PATHS.orders,
      operationId: 'createPaymentOrder',
      summary: '下单（返回收银台地址和宿主支付参数）',
      write: true,
      request: PAYMENT_CREATE_ORDER_REQUEST,
      reply: PAYMENT_CREATE_ORDER_REPLY,
      errors: ['ORDER_EXISTS'],
      handle: createOrder,
    },
    {
      method: 'POST',
      path: PAYMENT_PATHS.orderQueries,
      operationId: 'queryPaymentOrder',
      summary: '查询订单状态',
      write: false,
      request: PAYMENT_ORDER_QUERY_REQUEST,
      reply: PAYMENT_ORDER_REPLY,
      errors: ['ORDER_NOT_FOUND'],
      handle: queryOrder,
    },
    {
      method: 'POST',
      path: PAYMENT_PATHS.refunds,
      operationId: 'refundPaymentOrder',
      summary: '全额退款',
      write: true,
      request: PAYMENT_REFUND_REQUEST,
      reply: PAYMENT_REFUND_REPLY,
      errors: ['ORDER_NOT_FOUND', 'ALREADY_REFUNDED', 'ORDER_NOT_PAID', 'REFUND_AMOUNT_INVALID'],
      handle: refundOrder,
    },
    {
      method: 'POST',
      path: PAYMENT_PATHS.closeOrder,
      operationId: 'closePaymentOrder',
      summary: '关闭未支付的订单',
      write: true,
      request: PAYMENT_CLOSE_ORDER_REQUEST,
      reply: PAYMENT_ORDER_REPLY,
      errors: ['ORDER_NOT_FOUND', 'ORDER_ALREADY_PAID'],
      handle: closeOrder,
    },
  ],

  async setup(deps) {
    const { Orders, Refunds, Settings } = paymentModels(deps.db);
    await Promise.all([Orders.init(), Refunds.init(), Settings.init()]);
    await paySignKey(deps);
    // Notifications a previous run left unfinished go out again.
    await notifierFor(deps).resumePending();
  },

  // Nobody in the roster has anything at the cashier until they pay.
  async addPerson() {},
};
