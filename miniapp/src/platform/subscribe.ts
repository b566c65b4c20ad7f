// The host app's subscription messages (订阅消息). In the mini-program the
// citizen is asked once, at submission (a tap: the host only asks from one),
// with Taro.requestSubscribeMessage; the answer switches the channel on or
// off on the BFF. In H5 there is nothing to ask: the host push stands in
// through the SMS gateway simulator, and the switch on the messages page decides.
import Taro from '@tarojs/taro';
import { api } from '../services/api';

/**
 * The host's template ids of our messages (accepted, each matter done or
 * refused, card posted, premium due and paid, rating): set up in the host's
 * console; placeholders until the service is registered there.
 */
export const SUBSCRIBE_TEMPLATE_IDS = ['flexins-progress', 'flexins-premium', 'flexins-rating'];

/** Asks for consent in the mini-program and records the answer; never holds the submission up. */
export function askSubscribeConsent(): void {
  if (process.env.TARO_ENV !== 'weapp') return;
  Taro.requestSubscribeMessage({ tmplIds: SUBSCRIBE_TEMPLATE_IDS, entityIds: [] })
    .then((answer) => {
      const answers = SUBSCRIBE_TEMPLATE_IDS.map((id) => (answer as unknown as Record<string, string>)[id]);
      const subscription = answers.some((a) => a === 'accept');
      return api.changeNotificationSettings({ subscription });
    })
    .catch(() => undefined); // declined to be asked, or no network: the switch on the messages page stays
}
