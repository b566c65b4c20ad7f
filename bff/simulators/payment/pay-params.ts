// The parameters the host app's payment sheet opens with (Taro.requestPayment's
// shape), issued with every order and signed with this payment system's own
// key, so that only a set it issued, unchanged, can pay.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PaymentHostPayParams } from '@flexins/shared';
import type { SimDeps } from '../common/types';
import { paymentModels } from './models';

const KEY_SETTING = 'hostPaySignKey';
export const PREPAY_PREFIX = 'prepay_id=';

const keys = new WeakMap<object, Promise<string>>();

/**
 * The key host payment parameters are signed with: option PAY_SIGN_KEY, or
 * one this payment system made for itself on its first start and keeps in
 * its own database (so parameters issued before a restart still pay).
 */
export function paySignKey(deps: SimDeps): Promise<string> {
  const configured = deps.config.options.PAY_SIGN_KEY;
  if (configured) return Promise.resolve(configured);
  let key = keys.get(deps.db);
  if (!key) {
    key = (async () => {
      const { Settings } = paymentModels(deps.db);
      await Settings.updateOne(
        { _id: KEY_SETTING },
        { $setOnInsert: { value: randomBytes(32).toString('base64url') } },
        { upsert: true },
      );
      const stored = await Settings.findById(KEY_SETTING).lean();
      if (!stored) throw new Error('the host payment signing key was not stored');
      return stored.value;
    })();
    keys.set(deps.db, key);
    key.catch(() => keys.delete(deps.db));
  }
  return key;
}

function paySign(key: string, params: Omit<PaymentHostPayParams, 'paySign'>): string {
  const signed = `nonceStr=${params.nonceStr}&package=${params.package}&signType=${params.signType}&timeStamp=${params.timeStamp}`;
  return createHmac('sha256', key).update(signed).digest('hex').toUpperCase();
}

/** A new prepay id and the signed parameters for it, for an order being created. */
export async function issuePayParams(
  deps: SimDeps,
  now: Date,
): Promise<{ prepayId: string; payParams: PaymentHostPayParams }> {
  const prepayId = `wx${randomBytes(16).toString('hex')}`;
  const unsigned = {
    timeStamp: String(Math.floor(now.getTime() / 1000)),
    // 32 hex digits: letters and digits, as the sheet expects.
    nonceStr: randomBytes(16).toString('hex'),
    package: `${PREPAY_PREFIX}${prepayId}`,
    signType: 'HMAC-SHA256' as const,
  };
  return { prepayId, payParams: { ...unsigned, paySign: paySign(await paySignKey(deps), unsigned) } };
}

/** Whether this payment system signed these parameters, as they are. */
export async function genuine(deps: SimDeps, params: PaymentHostPayParams): Promise<boolean> {
  const expected = Buffer.from(paySign(await paySignKey(deps), params), 'hex');
  const given = Buffer.from(params.paySign, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
