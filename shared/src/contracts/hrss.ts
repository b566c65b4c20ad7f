/**
 * The contract of 宁夏人社一体化系统 (the HRSS department system) as the BFF
 * calls it: four of the six matters — employment registration (就业登记),
 * personnel archive transfer (档案接收和转递), pension registration
 * (社会保险登记) and the social security card (社会保障卡申领) — plus the
 * cross-province enrollment query (全国社保参保查询) the eligibility checks use.
 *
 * Requests are closed (`additionalProperties: false`); replies are open so
 * that a real system adding a field does not break the BFF's checks.
 */
import { countyField } from './fields';
import { CURRENT_POLICY } from '../policy';

// ---- vocabulary ---------------------------------------------------------------

/** Every kind of enrollment the HRSS system knows of (险种). */
export type HrssInsurance =
  | 'employeePension' // 企业职工基本养老保险
  | 'employeeMedical' // 职工基本医疗保险
  | 'institutionPension' // 机关事业单位养老保险
  | 'institutionMedical' // 机关事业单位医疗保险
  | 'residentPension' // 城乡居民基本养老保险
  | 'residentMedical' // 城乡居民基本医疗保险
  | 'flexiblePension' // 企业职工基本养老保险（灵活就业人员）
  | 'flexibleMedical'; // 职工基本医疗保险（灵活就业人员）

export const HRSS_INSURANCE_NAMES: Readonly<Record<HrssInsurance, string>> = {
  employeePension: '企业职工基本养老保险',
  employeeMedical: '职工基本医疗保险',
  institutionPension: '机关事业单位养老保险',
  institutionMedical: '机关事业单位医疗保险',
  residentPension: '城乡居民基本养老保险',
  residentMedical: '城乡居民基本医疗保险',
  flexiblePension: '企业职工基本养老保险（灵活就业人员）',
  flexibleMedical: '职工基本医疗保险（灵活就业人员）',
};

/** Rule 1 (申报条件 1): none of these may be active, in Ningxia or elsewhere. */
export const HRSS_EMPLOYEE_INSURANCES: readonly HrssInsurance[] = [
  'employeePension',
  'employeeMedical',
  'institutionPension',
  'institutionMedical',
];

/** Pension of any kind: rule 2 as far as the HRSS system is concerned. */
export const HRSS_PENSION_INSURANCES: readonly HrssInsurance[] = [
  'employeePension',
  'institutionPension',
  'residentPension',
  'flexiblePension',
];

export type HrssEmploymentType =
  | 'flexible' // 灵活就业人员
  | 'partTime' // 非全日制从业人员
  | 'selfEmployedNoEmployees' // 无雇工的个体工商户
  | 'employerWithEmployees'; // 有雇工的个体工商户（不适用本服务）

export const HRSS_EMPLOYMENT_TYPE_NAMES: Readonly<Record<HrssEmploymentType, string>> = {
  flexible: '灵活就业人员',
  partTime: '非全日制从业人员',
  selfEmployedNoEmployees: '无雇工的个体工商户',
  employerWithEmployees: '有雇工的个体工商户',
};

export type HrssIssuingBank = 'icbc' | 'abc' | 'boc' | 'ccb' | 'bankOfNingxia' | 'yellowRiverRcb' | 'psbc';

/** The banks that issue the Ningxia social security card (社保卡合作银行), in the order the form lists them. */
export const HRSS_CARD_BANKS: readonly { code: HrssIssuingBank; name: string }[] = [
  { code: 'icbc', name: '中国工商银行' },
  { code: 'abc', name: '中国农业银行' },
  { code: 'boc', name: '中国银行' },
  { code: 'ccb', name: '中国建设银行' },
  { code: 'bankOfNingxia', name: '宁夏银行' },
  { code: 'yellowRiverRcb', name: '黄河农村商业银行' },
  { code: 'psbc', name: '中国邮政储蓄银行' },
];

export type HrssArchiveStatus = 'accepted' | 'letterIssued' | 'inTransit' | 'received';

export const HRSS_ARCHIVE_STATUS_NAMES: Readonly<Record<HrssArchiveStatus, string>> = {
  accepted: '已受理',
  letterIssued: '已开具调档函',
  inTransit: '档案转递中',
  received: '档案已接收',
};

export type HrssCardStatus = 'accepted' | 'producing' | 'posted' | 'delivered';

export const HRSS_CARD_STATUS_NAMES: Readonly<Record<HrssCardStatus, string>> = {
  accepted: '已受理',
  producing: '制卡中',
  posted: '已邮寄',
  delivered: '已签收',
};

/** The carrier of every card: delivery by post only (申报条件 4). */
export const HRSS_CARD_CARRIER = '中国邮政 EMS';

/** Largest certified photo the card application takes, in bytes (200 KB). */
export const HRSS_PHOTO_MAX_BYTES = 200 * 1024;

// ---- schema pieces ------------------------------------------------------------

const ID_NUMBER = {
  type: 'string',
  title: '身份证号',
  pattern: '^\\d{17}[\\dX]$',
  'x-format-hint': '应为18位，最后一位可以是数字或大写X',
} as const;

const NAME = { type: 'string', title: '姓名', minLength: 1, maxLength: 30 } as const;

const DATE = { type: 'string', format: 'date' } as const;
const TIMESTAMP = { type: 'string', format: 'date-time' } as const;

function labelledEnum<K extends string>(title: string, labels: Readonly<Record<K, string>>) {
  return { type: 'string', title, enum: Object.keys(labels), 'x-enum-labels': { ...labels } };
}

function registrationNumber(title: string, prefix: string) {
  return {
    type: 'string',
    title,
    pattern: `^${prefix}\\d{14}$`,
    'x-format-hint': `应为 ${prefix} 加 14 位数字`,
  };
}

const EMPLOYMENT_REGISTRATION_NO = registrationNumber('就业登记编号', 'JY');

// ---- 1. cross-province enrollment query (参保信息查询) -------------------------

export interface HrssEnrollmentQueryRequest {
  idNumber: string;
}

export interface HrssEnrollment {
  insurance: HrssInsurance;
  /** 2-digit province code; `64` = Ningxia. */
  provinceCode: string;
  provinceName: string;
  status: 'active' | 'ended';
  since: string;
  until?: string;
}

export interface HrssEnrollmentQueryReply {
  enrollments: HrssEnrollment[];
}

export const HRSS_ENROLLMENT_QUERY_REQUEST = {
  type: 'object',
  title: '参保信息查询',
  required: ['idNumber'],
  properties: { idNumber: ID_NUMBER },
  additionalProperties: false,
} as const;

export const HRSS_ENROLLMENT_QUERY_REPLY = {
  type: 'object',
  title: '参保信息',
  required: ['enrollments'],
  properties: {
    enrollments: {
      type: 'array',
      title: '参保记录',
      items: {
        type: 'object',
        required: ['insurance', 'provinceCode', 'provinceName', 'status', 'since'],
        properties: {
          insurance: labelledEnum('险种', HRSS_INSURANCE_NAMES),
          provinceCode: { type: 'string', title: '参保省份代码', pattern: '^\\d{2}$' },
          provinceName: { type: 'string', title: '参保省份', minLength: 1 },
          status: {
            type: 'string',
            title: '参保状态',
            enum: ['active', 'ended'],
            'x-enum-labels': { active: '参保缴费', ended: '暂停或终止缴费' },
          },
          since: { ...DATE, title: '参保开始日期' },
          until: { ...DATE, title: '参保结束日期' },
        },
      },
    },
  },
} as const;

// ---- 2. Ningxia card query (社保卡持卡查询) -------------------------------------

export interface HrssCardQueryRequest {
  idNumber: string;
}

export interface HrssCardQueryReply {
  /** A Ningxia social security card issued before (rule 4: then none is applied for). */
  holdsNingxiaCard: boolean;
  cardNumberMasked?: string;
  /** A card application this system already holds for the person. */
  applicationNo?: string;
}

export const HRSS_CARD_QUERY_REQUEST = {
  type: 'object',
  title: '社保卡持卡查询',
  required: ['idNumber'],
  properties: { idNumber: ID_NUMBER },
  additionalProperties: false,
} as const;

export const HRSS_CARD_QUERY_REPLY = {
  type: 'object',
  title: '社保卡持卡情况',
  required: ['holdsNingxiaCard'],
  properties: {
    holdsNingxiaCard: { type: 'boolean', title: '已持有宁夏社会保障卡' },
    cardNumberMasked: { type: 'string', title: '社保卡号（脱敏）', minLength: 1 },
    applicationNo: registrationNumber('社保卡申领编号', 'SB'),
  },
} as const;

// ---- 3. employment registration (灵活就业人员就业登记) ----------------------------

export interface HrssEmploymentRegistrationRequest {
  idNumber: string;
  name: string;
  employmentType: HrssEmploymentType;
  /** `YYYY-MM-DD`; at most 30 days from today. */
  startDate: string;
  /** 6-digit current Ningxia county. */
  residenceRegionCode: string;
}

export interface HrssEmploymentRegistrationReply {
  registrationNo: string;
  registeredAt: string;
}

/** How far ahead a start date may lie. */
export const HRSS_START_DATE_MAX_DAYS_AHEAD = 30;

export const HRSS_EMPLOYMENT_REGISTRATION_REQUEST = {
  type: 'object',
  title: '灵活就业人员就业登记',
  required: ['idNumber', 'name', 'employmentType', 'startDate', 'residenceRegionCode'],
  properties: {
    idNumber: ID_NUMBER,
    name: NAME,
    employmentType: labelledEnum('就业形式', HRSS_EMPLOYMENT_TYPE_NAMES),
    startDate: { ...DATE, title: '就业开始日期', 'x-format-hint': '应为 年-月-日，如 2026-11-01' },
    residenceRegionCode: countyField('居住地（县、市、区）'),
  },
  additionalProperties: false,
} as const;

export const HRSS_EMPLOYMENT_REGISTRATION_REPLY = {
  type: 'object',
  title: '就业登记结果',
  required: ['registrationNo', 'registeredAt'],
  properties: {
    registrationNo: EMPLOYMENT_REGISTRATION_NO,
    registeredAt: { ...TIMESTAMP, title: '登记时间' },
  },
} as const;

// ---- 4. personnel archive transfer (流动人员人事档案接收和转递) ----------------------

export interface HrssArchiveTransferRequest {
  idNumber: string;
  name: string;
  employmentRegistrationNo: string;
  /** Where the personnel archive is now, as the applicant says (e.g. 原单位, 户籍地人才交流中心, 无档案). */
  currentLocation: string;
  /**
   * The unit holding the archive (档案保管单位), its name or address: where
   * the transfer letter goes. Needed when `currentLocation` names only a kind
   * of place (原工作单位, 毕业学校, 其他 …); absent when there is no archive.
   */
  holdingUnit?: string;
  /** The applicant's county: its (or its city's) talent exchange centre receives the archive. */
  receivingRegionCode: string;
}

export interface HrssArchiveTransferReply {
  transferLetterNo: string;
  receivingCentre: string;
  status: 'accepted';
  acceptedAt: string;
  /** Said when there is no archive to move and a new one is opened. */
  note?: string;
}

export interface HrssArchiveTransferQueryRequest {
  transferLetterNo: string;
}

export interface HrssProgressEntry<S extends string> {
  status: S;
  at: string;
}

export interface HrssArchiveTransferQueryReply {
  transferLetterNo: string;
  status: HrssArchiveStatus;
  history: HrssProgressEntry<HrssArchiveStatus>[];
}

const TRANSFER_LETTER_NO = registrationNumber('调档函编号', 'DA');

export const HRSS_ARCHIVE_TRANSFER_REQUEST = {
  type: 'object',
  title: '流动人员人事档案接收和转递',
  required: ['idNumber', 'name', 'employmentRegistrationNo', 'currentLocation', 'receivingRegionCode'],
  properties: {
    idNumber: ID_NUMBER,
    name: NAME,
    employmentRegistrationNo: EMPLOYMENT_REGISTRATION_NO,
    currentLocation: { type: 'string', title: '档案现在所在地', minLength: 1, maxLength: 120 },
    holdingUnit: { type: 'string', title: '档案保管单位', minLength: 1, maxLength: 60, pattern: '\\S' },
    receivingRegionCode: countyField('档案接收地（县、市、区）'),
  },
  additionalProperties: false,
} as const;

export const HRSS_ARCHIVE_TRANSFER_REPLY = {
  type: 'object',
  title: '档案接收和转递受理结果',
  required: ['transferLetterNo', 'receivingCentre', 'status', 'acceptedAt'],
  properties: {
    transferLetterNo: TRANSFER_LETTER_NO,
    receivingCentre: { type: 'string', title: '档案接收机构', minLength: 1 },
    status: { type: 'string', title: '办理状态', enum: ['accepted'], 'x-enum-labels': { accepted: '已受理' } },
    acceptedAt: { ...TIMESTAMP, title: '受理时间' },
    note: { type: 'string', title: '说明', minLength: 1 },
  },
} as const;

export const HRSS_ARCHIVE_TRANSFER_QUERY_REQUEST = {
  type: 'object',
  title: '档案转递进度查询',
  required: ['transferLetterNo'],
  properties: { transferLetterNo: TRANSFER_LETTER_NO },
  additionalProperties: false,
} as const;

const ARCHIVE_STATUS = labelledEnum('档案转递状态', HRSS_ARCHIVE_STATUS_NAMES);

export const HRSS_ARCHIVE_TRANSFER_QUERY_REPLY = {
  type: 'object',
  title: '档案转递进度',
  required: ['transferLetterNo', 'status', 'history'],
  properties: {
    transferLetterNo: TRANSFER_LETTER_NO,
    status: ARCHIVE_STATUS,
    history: {
      type: 'array',
      title: '办理过程',
      minItems: 1,
      items: {
        type: 'object',
        required: ['status', 'at'],
        properties: { status: ARCHIVE_STATUS, at: { ...TIMESTAMP, title: '时间' } },
      },
    },
  },
} as const;

// ---- 5. pension registration (社会保险登记，灵活就业人员参加企业职工基本养老保险) -------

export interface HrssPensionRegistrationRequest {
  idNumber: string;
  name: string;
  employmentRegistrationNo: string;
  /** One of CURRENT_POLICY's grades (缴费档次), percent of the average wage. */
  baseGradePercent: number;
  residenceRegionCode: string;
}

export interface HrssPensionRegistrationReply {
  pensionRegistrationNo: string;
  /** 个人社保编号. */
  personalRecordNo: string;
  insurance: 'flexiblePension';
  baseFen: number;
  monthlyPensionFen: number;
  registeredAt: string;
}

export const HRSS_PENSION_REGISTRATION_REQUEST = {
  type: 'object',
  title: '社会保险登记',
  required: ['idNumber', 'name', 'employmentRegistrationNo', 'baseGradePercent', 'residenceRegionCode'],
  properties: {
    idNumber: ID_NUMBER,
    name: NAME,
    employmentRegistrationNo: EMPLOYMENT_REGISTRATION_NO,
    baseGradePercent: {
      type: 'integer',
      title: '养老保险缴费档次（%）',
      enum: [...CURRENT_POLICY.pension.value.grades],
    },
    residenceRegionCode: countyField('居住地（县、市、区）'),
  },
  additionalProperties: false,
} as const;

const FEN = { type: 'integer', minimum: 0 } as const;

export const HRSS_PENSION_REGISTRATION_REPLY = {
  type: 'object',
  title: '社会保险登记结果',
  required: ['pensionRegistrationNo', 'personalRecordNo', 'insurance', 'baseFen', 'monthlyPensionFen', 'registeredAt'],
  properties: {
    pensionRegistrationNo: registrationNumber('社会保险登记编号', 'YL'),
    personalRecordNo: { type: 'string', title: '个人社保编号', minLength: 1 },
    insurance: {
      type: 'string',
      title: '险种',
      enum: ['flexiblePension'],
      'x-enum-labels': { flexiblePension: HRSS_INSURANCE_NAMES.flexiblePension },
    },
    baseFen: { ...FEN, title: '月缴费基数（分）' },
    monthlyPensionFen: { ...FEN, title: '每月养老保险费（分）' },
    registeredAt: { ...TIMESTAMP, title: '登记时间' },
  },
} as const;

// ---- 6. social security card (社会保障卡（含电子社保卡）申领) -----------------------

export interface HrssMailingAddress {
  regionCode: string;
  detail: string;
  recipient: string;
  phone: string;
}

export interface HrssCardApplicationRequest {
  idNumber: string;
  name: string;
  /** The certified ID photo from the identity platform. */
  photo: { contentType: 'image/jpeg' | 'image/png'; base64: string };
  issuingBank: HrssIssuingBank;
  mailingAddress: HrssMailingAddress;
  /** The paid 5.8-yuan postage order at the payment system. */
  postageOrderId: string;
}

export interface HrssElectronicCard {
  eCardNo: string;
  issuedAt: string;
  /** What the e-card's QR code carries; no personal data. */
  qrPayload: string;
}

export interface HrssCardApplicationReply {
  cardApplicationNo: string;
  status: 'accepted';
  electronicCard: HrssElectronicCard;
  acceptedAt: string;
}

export interface HrssCardApplicationQueryRequest {
  cardApplicationNo: string;
}

export interface HrssCardApplicationQueryReply {
  cardApplicationNo: string;
  status: HrssCardStatus;
  /** Set once the card is posted. */
  trackingNo?: string;
  carrier?: string;
  electronicCard: HrssElectronicCard;
  history: HrssProgressEntry<HrssCardStatus>[];
}

const CARD_APPLICATION_NO = registrationNumber('社保卡申领编号', 'SB');

export const HRSS_CARD_APPLICATION_REQUEST = {
  type: 'object',
  title: '社会保障卡申领',
  required: ['idNumber', 'name', 'photo', 'issuingBank', 'mailingAddress', 'postageOrderId'],
  properties: {
    idNumber: ID_NUMBER,
    name: NAME,
    photo: {
      type: 'object',
      title: '证件照片',
      required: ['contentType', 'base64'],
      properties: {
        contentType: { type: 'string', title: '照片格式', enum: ['image/jpeg', 'image/png'] },
        base64: {
          type: 'string',
          title: '照片内容',
          minLength: 4,
          // 200 KB of bytes is at most this many base64 characters.
          maxLength: Math.ceil(HRSS_PHOTO_MAX_BYTES / 3) * 4,
          pattern: '^[A-Za-z0-9+/]+={0,2}$',
          'x-format-hint': '应为 Base64 编码的照片',
        },
      },
      additionalProperties: false,
    },
    issuingBank: {
      type: 'string',
      title: '发卡银行',
      enum: HRSS_CARD_BANKS.map((b) => b.code),
      'x-enum-labels': Object.fromEntries(HRSS_CARD_BANKS.map((b) => [b.code, b.name])),
    },
    mailingAddress: {
      type: 'object',
      title: '邮寄地址',
      required: ['regionCode', 'detail', 'recipient', 'phone'],
      properties: {
        regionCode: countyField('邮寄地址所在县（市、区）'),
        detail: { type: 'string', title: '详细地址', minLength: 5, maxLength: 100 },
        recipient: { type: 'string', title: '收件人', minLength: 1, maxLength: 30 },
        phone: {
          type: 'string',
          title: '收件人手机号码',
          pattern: '^1[3-9]\\d{9}$',
          'x-format-hint': '应为以1开头的11位数字',
        },
      },
      additionalProperties: false,
    },
    postageOrderId: {
      type: 'string',
      title: '邮寄费订单号',
      pattern: '^[A-Za-z0-9_-]{8,64}$',
      'x-format-hint': '应为支付邮寄费时的业务订单号（8 到 64 位字母、数字、下划线或短横线）',
    },
  },
  additionalProperties: false,
} as const;

const ELECTRONIC_CARD = {
  type: 'object',
  title: '电子社保卡',
  required: ['eCardNo', 'issuedAt', 'qrPayload'],
  properties: {
    eCardNo: { type: 'string', title: '电子社保卡号', minLength: 1 },
    issuedAt: { ...TIMESTAMP, title: '签发时间' },
    qrPayload: { type: 'string', title: '二维码内容', minLength: 1 },
  },
} as const;

export const HRSS_CARD_APPLICATION_REPLY = {
  type: 'object',
  title: '社会保障卡申领受理结果',
  required: ['cardApplicationNo', 'status', 'electronicCard', 'acceptedAt'],
  properties: {
    cardApplicationNo: CARD_APPLICATION_NO,
    status: { type: 'string', title: '办理状态', enum: ['accepted'], 'x-enum-labels': { accepted: '已受理' } },
    electronicCard: ELECTRONIC_CARD,
    acceptedAt: { ...TIMESTAMP, title: '受理时间' },
  },
} as const;

export const HRSS_CARD_APPLICATION_QUERY_REQUEST = {
  type: 'object',
  title: '社保卡制卡进度查询',
  required: ['cardApplicationNo'],
  properties: { cardApplicationNo: CARD_APPLICATION_NO },
  additionalProperties: false,
} as const;

const CARD_STATUS = labelledEnum('社保卡办理状态', HRSS_CARD_STATUS_NAMES);

export const HRSS_CARD_APPLICATION_QUERY_REPLY = {
  type: 'object',
  title: '社保卡制卡进度',
  required: ['cardApplicationNo', 'status', 'electronicCard', 'history'],
  properties: {
    cardApplicationNo: CARD_APPLICATION_NO,
    status: CARD_STATUS,
    trackingNo: { type: 'string', title: '邮件号', pattern: '^EMS\\d{10}$' },
    carrier: { type: 'string', title: '承运方', minLength: 1 },
    electronicCard: ELECTRONIC_CARD,
    history: {
      type: 'array',
      title: '办理过程',
      minItems: 1,
      items: {
        type: 'object',
        required: ['status', 'at'],
        properties: { status: CARD_STATUS, at: { ...TIMESTAMP, title: '时间' } },
      },
    },
  },
} as const;

// ---- errors -------------------------------------------------------------------

/**
 * The HRSS system's own refusals. Handlers usually replace `message` with one
 * that names the particular insurance, province or number; this is the
 * fallback and what the OpenAPI document lists.
 */
export const HRSS_ERRORS = {
  ALREADY_REGISTERED: { status: 409, message: '已办理过该项登记，无需重复办理' },
  ACTIVE_EMPLOYEE_INSURANCE: {
    status: 422,
    message:
      '您有正在参保的企业职工或机关事业单位养老、医疗保险，不能以灵活就业人员身份办理；请先办理停保，或拨打 12333 咨询',
  },
  EMPLOYER_NOT_ALLOWED: {
    status: 422,
    message:
      '有雇工的个体工商户应以单位身份为雇工和本人办理职工参保，不能使用灵活就业参保服务；请到当地人社窗口办理单位参保登记，或拨打 12333 咨询',
  },
  EMPLOYMENT_NOT_REGISTERED: {
    status: 422,
    message: '没有找到您的灵活就业登记，请先办理灵活就业人员就业登记',
  },
  ONGOING_INSURANCE: {
    status: 422,
    message: '您有正在参保的养老保险，不能重复参保；请先办理停保或转移，或拨打 12333 咨询',
  },
  ALREADY_APPLIED: { status: 409, message: '您已申领过社会保障卡，无需重复申领' },
  ALREADY_HOLDS_CARD: {
    status: 422,
    message: '您已持有宁夏社会保障卡，本服务只办理首次申领；补换卡请到社保卡合作银行网点或拨打 12333',
  },
  PENSION_NOT_REGISTERED: { status: 422, message: '请先办理社会保险登记，再申领社会保障卡' },
  POSTAGE_NOT_PAID: { status: 422, message: '社保卡邮寄费 5.8 元尚未支付，请先支付邮寄费' },
  POSTAGE_ORDER_ALREADY_USED: { status: 409, message: '这笔邮寄费已用于另一份社保卡申领，请重新支付' },
  PAYMENT_CHECK_UNAVAILABLE: { status: 503, message: '暂时无法核对邮寄费支付情况，请稍后重试' },
  HOLDING_UNIT_REQUIRED: {
    status: 422,
    message: '请填写档案保管单位（名称或地址）：只写档案在原工作单位、毕业学校等，调档函不知道寄给哪个单位',
  },
  TRANSFER_NOT_FOUND: { status: 404, message: '没有找到这份调档函' },
  CARD_APPLICATION_NOT_FOUND: { status: 404, message: '没有找到这份社保卡申领' },
} as const satisfies Record<string, { status: number; message: string }>;

export type HrssErrorCode = keyof typeof HRSS_ERRORS;
