/**
 * Contract of the SMS gateway (短信平台), which also carries the host app's
 * subscription messages (订阅消息; in H5 the host push stands in here): one
 * write, a message to send, by phone number, on a channel. Plain JSON Schemas
 * (ajv, draft-07) with the TypeScript shapes beside them, and the gateway's
 * error catalog. A message never holds a full ID number or a full name
 * (shared/src/notifications.ts writes them).
 */

export const SMS_PATHS = {
  messages: '/sms/v1/messages',
} as const;

export const NOTIFY_CHANNELS = ['sms', 'subscription'] as const;
/** 短信 | 我的宁夏订阅消息. */
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];
export const NOTIFY_CHANNEL_LABELS: Readonly<Record<NotifyChannel, string>> = {
  sms: '短信',
  subscription: '“我的宁夏”订阅消息',
};

/** A mainland mobile number, 11 digits. */
export const MOBILE_PATTERN = '^1[3-9]\\d{9}$';

export const SMS_SEND_REQUEST = {
  type: 'object',
  required: ['channel', 'phone', 'templateId', 'text', 'reference'],
  properties: {
    channel: { type: 'string', title: '渠道', enum: NOTIFY_CHANNELS, 'x-enum-labels': NOTIFY_CHANNEL_LABELS },
    phone: {
      type: 'string',
      title: '手机号',
      pattern: MOBILE_PATTERN,
      'x-format-hint': '应为 11 位手机号',
    },
    templateId: { type: 'string', title: '模板编号', pattern: '^[A-Za-z][A-Za-z0-9_]{1,39}$' },
    text: { type: 'string', title: '消息内容', minLength: 1, maxLength: 500 },
    /** The caller's reference (a case number), for the sender's records; never personal data. */
    reference: { type: 'string', title: '业务编号', pattern: '^[A-Za-z0-9_-]{1,40}$' },
  },
  additionalProperties: false,
} as const;

export interface SmsSendRequest {
  channel: NotifyChannel;
  phone: string;
  templateId: string;
  text: string;
  reference: string;
}

export const SMS_SEND_REPLY = {
  type: 'object',
  required: ['messageId', 'channel', 'status', 'acceptedAt', 'segments'],
  properties: {
    messageId: { type: 'string', title: '消息编号', pattern: '^(SMS|SUB)\\d{14}$' },
    channel: { type: 'string', enum: NOTIFY_CHANNELS },
    status: { type: 'string', title: '状态', enum: ['sent'] },
    acceptedAt: { type: 'string', format: 'date-time' },
    /** Billing units: 70 characters per SMS, 67 per part of a longer one; 1 for a subscription message. */
    segments: { type: 'integer', minimum: 1, maximum: 10 },
  },
  additionalProperties: false,
} as const;

export interface SmsSendReply {
  messageId: string;
  channel: NotifyChannel;
  status: 'sent';
  acceptedAt: string;
  segments: number;
}

/**
 * The gateway's own refusals: final for that message (sending it again will
 * not change the answer). Malformed calls, signatures and faults answer with
 * the common codes every simulator shares.
 */
export const SMS_ERRORS = {
  RECIPIENT_UNREACHABLE: { status: 422, message: '该号码无法接收消息（空号、停机或已拒收）' },
  CONTENT_REJECTED: { status: 422, message: '消息内容未通过审核（含有不允许发送的内容）' },
} as const satisfies Record<string, { status: number; message: string }>;

export type SmsErrorCode = keyof typeof SMS_ERRORS;
