// The gateway's own records: every message it accepted ("sent"), with the
// caller, the caller's idempotency key and reference, so tests (and anyone
// reading the admin read-out) can count what reached people.
import type { NotifyChannel } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

export const COLLECTIONS = {
  messages: 'messages',
} as const;

/** One message sent (已发送消息). */
export interface MessageRecord {
  /** SMS… or SUB…, unique. */
  messageId: string;
  channel: NotifyChannel;
  phone: string;
  templateId: string;
  text: string;
  /** The caller's reference (a case number). */
  reference: string;
  callerId: string;
  /** The key the caller sent it under: one message per key (common/idempotency.ts). */
  idempotencyKey: string;
  requestId: string;
  segments: number;
  sentAt: Date;
}

const REQUIRED_STRING = { type: String, required: true } as const;

const messageSchema = new Schema<MessageRecord>(
  {
    messageId: { ...REQUIRED_STRING, unique: true },
    channel: { type: String, required: true, enum: ['sms', 'subscription'] },
    phone: { ...REQUIRED_STRING, index: true },
    templateId: REQUIRED_STRING,
    text: REQUIRED_STRING,
    reference: { ...REQUIRED_STRING, index: true },
    callerId: REQUIRED_STRING,
    idempotencyKey: REQUIRED_STRING,
    requestId: REQUIRED_STRING,
    segments: { type: Number, required: true, min: 1 },
    sentAt: { type: Date, required: true },
  },
  { collection: COLLECTIONS.messages, versionKey: false },
);

export interface SmsModels {
  Message: Model<MessageRecord>;
}

/** The models on this simulator's own connection (registered once per connection). */
export function smsModels(db: Connection): SmsModels {
  return {
    Message: (db.models.SmsMessage as Model<MessageRecord>) ?? db.model('SmsMessage', messageSchema),
  };
}
