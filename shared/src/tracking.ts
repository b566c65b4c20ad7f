/**
 * 办理进度追踪: what happens after the BFF's part of two matters is done —
 * the physical social security card (made, posted with an EMS number, signed
 * for) and the personnel archive (letter issued, in transit, received) — as
 * the HRSS system tells it when asked. The BFF builds a `CaseTracking` per
 * request (GET /api/applications/:caseNo/tracking, and the staff twin); the
 * mini-app shows it. Only a matter with a department number gets an item.
 */
import {
  HRSS_ARCHIVE_STATUS_NAMES,
  HRSS_CARD_STATUS_NAMES,
  type HrssArchiveStatus,
  type HrssCardStatus,
} from './contracts/hrss';

export type TrackedMatter = 'card' | 'archive';

/** Every step of each process in order, so a page can show the steps still to come. */
export const TRACKING_STEPS = {
  card: ['accepted', 'producing', 'posted', 'delivered'] as const satisfies readonly HrssCardStatus[],
  archive: ['accepted', 'letterIssued', 'inTransit', 'received'] as const satisfies readonly HrssArchiveStatus[],
};

export const TRACKING_STATUS_NAMES: {
  card: Readonly<Record<HrssCardStatus, string>>;
  archive: Readonly<Record<HrssArchiveStatus, string>>;
} = { card: HRSS_CARD_STATUS_NAMES, archive: HRSS_ARCHIVE_STATUS_NAMES };

/** What each item is about, as a heading. */
export const TRACKING_TITLES: Readonly<Record<TrackedMatter, string>> = {
  card: '实体社保卡制卡和邮寄',
  archive: '人事档案转递',
};

export const TRACKING_MESSAGES = {
  /** HRSS did not answer (down, slow, breaker open). */
  unavailable: '暂时查不到，请稍后再看',
  /** HRSS answered but has no progress for the number (not expected; a call to 12333 sorts it out). */
  notFound: '人社部门暂时没有查到办理进度，请稍后再看；着急可拨打 12333',
} as const;

export interface TrackingStep<S extends string = string> {
  status: S;
  statusText: string;
  /** When the step was reached (ISO date-time). */
  at: string;
}

export interface TrackingAvailable<S extends string = string> {
  available: true;
  /** The HRSS number asked about: 社保卡申领编号 or 调档函编号. */
  number: string;
  status: S;
  statusText: string;
  /** The steps reached so far, oldest first. */
  history: TrackingStep<S>[];
  /** Card only, once posted: the EMS mail number and the carrier. */
  trackingNo?: string;
  carrier?: string;
}

export interface TrackingUnavailable {
  available: false;
  number: string;
  /** Plain Chinese: there is nothing to show right now, and what to do. */
  message: string;
}

export type TrackingItem<S extends string = string> = TrackingAvailable<S> | TrackingUnavailable;

export interface CaseTracking {
  caseNo: string;
  /** When HRSS was asked (ISO date-time). */
  checkedAt: string;
  card?: TrackingItem<HrssCardStatus>;
  archive?: TrackingItem<HrssArchiveStatus>;
}

// ---- the reply's schema (the OpenAPI document and the tests) --------------------

const TIMESTAMP = { type: 'string', format: 'date-time' } as const;

function itemSchema(title: string, numberTitle: string, names: Readonly<Record<string, string>>, card: boolean) {
  const status = { type: 'string', title: '状态', enum: Object.keys(names), 'x-enum-labels': { ...names } };
  return {
    title,
    oneOf: [
      {
        type: 'object',
        required: ['available', 'number', 'status', 'statusText', 'history'],
        properties: {
          available: { type: 'boolean', enum: [true] },
          number: { type: 'string', title: numberTitle, minLength: 1 },
          status,
          statusText: { type: 'string', title: '状态（中文）', minLength: 1 },
          history: {
            type: 'array',
            title: '办理过程',
            items: {
              type: 'object',
              required: ['status', 'statusText', 'at'],
              properties: {
                status,
                statusText: { type: 'string', minLength: 1 },
                at: { ...TIMESTAMP, title: '时间' },
              },
              additionalProperties: false,
            },
          },
          ...(card
            ? {
                trackingNo: { type: 'string', title: '邮件号', minLength: 1 },
                carrier: { type: 'string', title: '承运方', minLength: 1 },
              }
            : {}),
        },
        additionalProperties: false,
      },
      {
        type: 'object',
        required: ['available', 'number', 'message'],
        properties: {
          available: { type: 'boolean', enum: [false] },
          number: { type: 'string', title: numberTitle, minLength: 1 },
          message: { type: 'string', title: '说明', minLength: 1 },
        },
        additionalProperties: false,
      },
    ],
  };
}

export const CASE_TRACKING_REPLY = {
  type: 'object',
  title: '社保卡和档案办理进度',
  required: ['caseNo', 'checkedAt'],
  properties: {
    caseNo: { type: 'string', title: '办件编号' },
    checkedAt: { ...TIMESTAMP, title: '查询时间' },
    card: itemSchema('实体社保卡制卡和邮寄', '社保卡申领编号', HRSS_CARD_STATUS_NAMES, true),
    archive: itemSchema('人事档案转递', '调档函编号', HRSS_ARCHIVE_STATUS_NAMES, false),
  },
  additionalProperties: false,
} as const;
