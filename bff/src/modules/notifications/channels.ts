// One adapter per channel. Both reach people through the SMS gateway's
// contract (shared/src/contracts/sms.ts): SMS with the sender's signature
// 【我的宁夏】, and the host app's subscription message by template, which in
// the weapp build the host pushes after the citizen's consent
// (Taro.requestSubscribeMessage at submission) and in H5 the gateway stands in for.
import {
  NOTIFICATION_TEMPLATES,
  renderNotification,
  type NotificationFacts,
  type NotificationKind,
  type NotifyChannel,
  type SmsSendReply,
} from '@flexins/shared';
import type { Departments, DeptResult } from '../../departments';

export interface OutgoingMessage {
  kind: NotificationKind;
  facts: NotificationFacts;
  /** From the sealed applicant data of the case, never from a log or a view. */
  phone: string;
  caseNo: string;
}

export interface NotificationChannel {
  id: NotifyChannel;
  /** The text as it will read on the phone. */
  text(message: OutgoingMessage): string;
  /** Sends under `key`: the same key sends nothing more, however often it is repeated. */
  send(message: OutgoingMessage, key: string, requestId: string): Promise<DeptResult<SmsSendReply>>;
}

export const SMS_SIGNATURE = '【我的宁夏】';

function channel(
  id: NotifyChannel,
  departments: Departments,
  text: (m: OutgoingMessage) => string,
): NotificationChannel {
  return {
    id,
    text,
    send: (message, key, requestId) =>
      departments.sms.send(
        { channel: id, phone: message.phone, templateId: message.kind, text: text(message), reference: message.caseNo },
        { requestId, idempotencyKey: key },
      ),
  };
}

export function smsChannel(departments: Departments): NotificationChannel {
  return channel('sms', departments, (m) => `${SMS_SIGNATURE}${renderNotification(m.kind, m.facts)}`);
}

export function subscriptionChannel(departments: Departments): NotificationChannel {
  return channel(
    'subscription',
    departments,
    (m) => `${NOTIFICATION_TEMPLATES[m.kind].title}：${renderNotification(m.kind, m.facts)}`,
  );
}
