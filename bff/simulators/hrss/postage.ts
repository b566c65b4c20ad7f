// The card's postage (社保卡邮寄费, fixed by 申报条件 4): HRSS asks the host
// app's payment system whether the order is paid, for the right amount,
// before accepting a card application.
import { CURRENT_POLICY } from '@flexins/shared';
import { PAYMENT_PATHS, type PaymentOrderReply } from '@flexins/shared';
import { GatewayClient } from '@flexins/shared/server';
import type { SimDeps } from '../common/types';
import { fail } from './checks';

const STATUS_WORDS: Record<string, string> = {
  created: '尚未支付',
  refunded: '已退款',
  closed: '已关闭',
};

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** Resolves with the paid amount, or throws POSTAGE_NOT_PAID / PAYMENT_CHECK_UNAVAILABLE. */
export async function confirmPostagePaid(deps: SimDeps, orderId: string, requestId?: string): Promise<number> {
  const postageFen = CURRENT_POLICY.cardPostageFen.value;
  const peer = deps.config.peers.payment;
  if (!peer) {
    deps.log.warn('no payment peer configured: postage cannot be checked');
    throw fail('PAYMENT_CHECK_UNAVAILABLE', { message: '暂时无法连接支付系统核对邮寄费，请稍后重试' });
  }

  const client = new GatewayClient({
    baseUrl: peer.url,
    callerId: peer.callerId,
    secret: peer.secret,
    timeoutMs: 5_000,
  });
  const outcome = await client.post<PaymentOrderReply>(PAYMENT_PATHS.orderQueries, { orderId }, { requestId });

  if (
    outcome.kind === 'unreachable' ||
    (outcome.kind === 'error' && (outcome.status >= 500 || outcome.status === 401 || outcome.status === 403))
  ) {
    deps.log.warn('postage check failed', { orderId, outcome: outcome.kind, reason: outcome.message });
    throw fail('PAYMENT_CHECK_UNAVAILABLE');
  }
  if (outcome.kind === 'error') {
    // The order is unknown there: nothing was paid under that number.
    deps.log.info('postage order not found', { orderId, code: outcome.code });
    throw fail('POSTAGE_NOT_PAID', {
      message: `支付系统没有找到邮寄费订单 ${orderId}；请先支付社保卡邮寄费 ${yuan(postageFen)} 元`,
    });
  }

  const order = outcome.body;
  if (order.status !== 'paid') {
    throw fail('POSTAGE_NOT_PAID', {
      message: `邮寄费订单 ${orderId} ${STATUS_WORDS[order.status] ?? `状态为 ${order.status}`}；请先支付社保卡邮寄费 ${yuan(postageFen)} 元`,
      details: { orderStatus: order.status },
    });
  }
  if (order.amountFen !== postageFen) {
    throw fail('POSTAGE_NOT_PAID', {
      message: `邮寄费订单 ${orderId} 的金额为 ${yuan(order.amountFen)} 元，社保卡邮寄费应为 ${yuan(postageFen)} 元；请重新支付`,
      details: { orderStatus: order.status, amountFen: order.amountFen },
    });
  }
  return order.amountFen;
}
