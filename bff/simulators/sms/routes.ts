// The gateway's one operation: send a message (发送短信 / 订阅消息). The
// common layer checks the signature, the input and the Idempotency-Key (a
// repeat gets the first reply and sends nothing), so one key is one message.
import { SMS_PATHS, SMS_SEND_REPLY, SMS_SEND_REQUEST, type SmsSendReply, type SmsSendRequest } from '@flexins/shared';
import { nextNumber } from '@flexins/shared/server';
import { errorFactory } from '../common/errors';
import type { SimRoute } from '../common/types';
import { smsModels } from './models';
import { SMS_ERRORS } from '@flexins/shared';
import { insertRecord } from '../common/records';

const fail = errorFactory(SMS_ERRORS);

/** An 18-digit resident ID number anywhere in the text: a gateway must not carry one (内容审核). */
const FULL_ID_NUMBER = /(?<!\d)\d{17}[\dXx](?!\d)/;

/** 70 characters fit one SMS; a longer one goes in parts of 67. A subscription message is one. */
export function segmentsOf(channel: SmsSendRequest['channel'], text: string): number {
  if (channel === 'subscription') return 1;
  const length = [...text].length;
  return length <= 70 ? 1 : Math.ceil(length / 67);
}

export const sendMessage: SimRoute<SmsSendRequest, SmsSendReply> = {
  method: 'POST',
  path: SMS_PATHS.messages,
  operationId: 'sendMessage',
  summary: '发送短信或“我的宁夏”订阅消息（同一幂等键只发一次）',
  write: true,
  request: SMS_SEND_REQUEST,
  reply: SMS_SEND_REPLY,
  errors: ['RECIPIENT_UNREACHABLE', 'CONTENT_REJECTED'],
  // Scripted outcomes (admin /scripts) are keyed by the phone number here.
  personOf: (input) => input.phone,
  async handle(input, { deps, callerId, requestId, idempotencyKey }) {
    if (FULL_ID_NUMBER.test(input.text)) {
      throw fail('CONTENT_REJECTED', { message: '消息内容含有完整的身份证号，不予发送' });
    }
    const now = deps.now();
    const messageId = await nextNumber(deps.db, input.channel === 'sms' ? 'SMS' : 'SUB', now);
    const segments = segmentsOf(input.channel, input.text);
    await insertRecord(smsModels(deps.db).Message, {
      messageId,
      ...input,
      callerId,
      idempotencyKey: idempotencyKey!,
      requestId,
      segments,
      sentAt: now,
    });
    return { messageId, channel: input.channel, status: 'sent', acceptedAt: now.toISOString(), segments };
  },
};
