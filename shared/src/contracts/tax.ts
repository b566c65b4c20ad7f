/**
 * Contract of the tax system (税务社保费征收系统) for flexible workers: it
 * receives the pension and medical registrations distributed by the BFF,
 * takes the premium declaration (申报), assesses it (核定) and collects it
 * (缴费), issuing an electronic receipt (电子缴款凭证). Amounts are integer fen
 * from CURRENT_POLICY — the same figures the mini-app's calculator shows.
 */
import { CURRENT_POLICY } from '../policy';
import { ID_NUMBER_FIELD, countyField } from './fields';

const ID_NUMBER = ID_NUMBER_FIELD;

/** One of today's Ningxia counties (县、市、区), as the picker offers them. */
const NINGXIA_COUNTY = countyField('居住地区县');

const NAME = { type: 'string', title: '姓名', minLength: 1, maxLength: 30 } as const;

const MONTH = {
  type: 'string',
  pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
  'x-format-hint': '应为 YYYY-MM，如 2026-11',
} as const;

const DECLARATION_NO = {
  type: 'string',
  title: '申报编号',
  // SBF (社保费): not SB, which is the HRSS card application number (社保卡申领编号)
  pattern: '^SBF\\d{14}$',
  'x-format-hint': '应为税务部门的申报编号，如 SBF20261129000001',
} as const;

const TIMESTAMP = { type: 'string', format: 'date-time' } as const;

export type TaxInsurance = 'pension' | 'medical';

export const TAX_INSURANCE_LABELS: Readonly<Record<TaxInsurance, string>> = {
  pension: '企业职工基本养老保险（灵活就业人员）',
  medical: '职工基本医疗保险（灵活就业人员）',
};

/** The item names printed on the electronic receipt (电子缴款凭证). */
export const TAX_RECEIPT_ITEM_NAMES = {
  pension: '企业职工基本养老保险费（灵活就业）',
  medical: '职工基本医疗保险费（灵活就业）',
} as const;

export const TAX_RECEIPT_ISSUER = '国家税务总局宁夏回族自治区税务局';

// ---- 1. registrations received (参保登记信息接收) ----------------------------

export const TAX_INSURANCE_REGISTRATION_REQUEST = {
  type: 'object',
  required: ['idNumber', 'name', 'insurance', 'registrationNo', 'residenceRegionCode'],
  properties: {
    idNumber: ID_NUMBER,
    name: NAME,
    insurance: {
      type: 'string',
      title: '险种',
      enum: ['pension', 'medical'],
      'x-enum-labels': TAX_INSURANCE_LABELS,
    },
    registrationNo: {
      type: 'string',
      title: '参保登记编号',
      pattern: '^(YL|YB)\\d{14}$',
      'x-format-hint': '养老保险为人社部门的 YL 开头编号，医疗保险为医保部门的 YB 开头编号',
    },
    residenceRegionCode: NINGXIA_COUNTY,
    baseGradePercent: {
      type: 'integer',
      title: '养老保险缴费档次（%）',
      minimum: CURRENT_POLICY.pension.value.minBasePercent,
      maximum: CURRENT_POLICY.pension.value.maxBasePercent,
    },
  },
  additionalProperties: false,
} as const;

export interface TaxInsuranceRegistrationRequest {
  idNumber: string;
  name: string;
  insurance: TaxInsurance;
  /** HRSS's `YL…` for pension, the medical system's `YB…` for medical. */
  registrationNo: string;
  residenceRegionCode: string;
  /** Pension only, and required there: percent of the average wage (60–300). */
  baseGradePercent?: number;
}

export const TAX_INSURANCE_REGISTRATION_REPLY = {
  type: 'object',
  required: ['taxRecordNo', 'insurance', 'receivedAt'],
  properties: {
    taxRecordNo: { type: 'string', title: '税务登记信息编号', pattern: '^SS\\d{14}$' },
    insurance: { type: 'string', title: '险种', enum: ['pension', 'medical'] },
    receivedAt: { ...TIMESTAMP, title: '接收时间' },
  },
  additionalProperties: false,
} as const;

export interface TaxInsuranceRegistrationReply {
  /** `SS…`. */
  taxRecordNo: string;
  insurance: TaxInsurance;
  receivedAt: string;
}

// ---- 2. declaration and assessment (申报、核定) ------------------------------

export type TaxPaymentType = 'normal' | 'special' | 'backPayment';

export const TAX_DECLARATION_REQUEST = {
  type: 'object',
  required: ['idNumber', 'name', 'paymentType', 'periodStart', 'months'],
  properties: {
    idNumber: ID_NUMBER,
    name: NAME,
    paymentType: {
      type: 'string',
      title: '缴费类型',
      enum: ['normal', 'special', 'backPayment'],
      'x-enum-labels': { normal: '正常缴费', special: '特殊缴费', backPayment: '历史补缴' },
    },
    periodStart: { ...MONTH, title: '缴费所属期起' },
    months: { type: 'integer', title: '缴费月数', minimum: 1, maximum: 12 },
  },
  additionalProperties: false,
} as const;

export interface TaxDeclarationRequest {
  idNumber: string;
  name: string;
  /** Only `normal` (正常缴费) is done here; the others go to an HRSS window. */
  paymentType: TaxPaymentType;
  /** `YYYY-MM`, the current month (Beijing) or later. */
  periodStart: string;
  months: number;
}

export const TAX_ASSESSMENT = {
  type: 'object',
  title: '核定结果',
  required: ['baseFen', 'medicalBaseFen', 'pensionFen', 'medicalFen', 'monthlyTotalFen', 'totalFen'],
  properties: {
    baseGradePercent: { type: 'integer', title: '养老保险缴费档次（%）' },
    baseFen: { type: 'integer', title: '养老保险月缴费基数（分；未登记养老保险时为 0）', minimum: 0 },
    medicalBaseFen: { type: 'integer', title: '医疗保险月缴费基数（分；未登记医疗保险时为 0）', minimum: 0 },
    pensionFen: { type: 'integer', title: '每月养老保险费（分）', minimum: 0 },
    medicalFen: { type: 'integer', title: '每月医疗保险费（分）', minimum: 0 },
    monthlyTotalFen: { type: 'integer', title: '每月合计（分）', minimum: 0 },
    totalFen: { type: 'integer', title: '应缴合计（分）', minimum: 1 },
  },
  additionalProperties: false,
} as const;

export interface TaxAssessment {
  /** The pension grade on record, when a pension registration is. */
  baseGradePercent?: number;
  baseFen: number;
  medicalBaseFen: number;
  pensionFen: number;
  medicalFen: number;
  monthlyTotalFen: number;
  /** months × monthlyTotalFen: what the payment must be. */
  totalFen: number;
}

const DECLARATION_PROPERTIES = {
  declarationNo: DECLARATION_NO,
  paymentType: { type: 'string', title: '缴费类型', const: 'normal' },
  periodStart: { ...MONTH, title: '缴费所属期起' },
  periodEnd: { ...MONTH, title: '缴费所属期止' },
  months: { type: 'integer', title: '缴费月数', minimum: 1, maximum: 12 },
  assessment: TAX_ASSESSMENT,
  paymentDeadline: { type: 'string', title: '缴费截止日期', format: 'date' },
  declaredAt: { ...TIMESTAMP, title: '申报时间' },
} as const;

const DECLARATION_REQUIRED = [
  'declarationNo',
  'paymentType',
  'periodStart',
  'periodEnd',
  'months',
  'assessment',
  'paymentDeadline',
  'status',
  'declaredAt',
] as const;

export const TAX_DECLARATION_REPLY = {
  type: 'object',
  required: DECLARATION_REQUIRED,
  properties: {
    ...DECLARATION_PROPERTIES,
    status: { type: 'string', title: '状态', const: 'assessed', 'x-enum-labels': { assessed: '已核定待缴费' } },
  },
  additionalProperties: false,
} as const;

export interface TaxDeclarationReply {
  /** `SBF…` (社保费申报编号; the card application number is `SB…`). */
  declarationNo: string;
  paymentType: 'normal';
  periodStart: string;
  periodEnd: string;
  months: number;
  assessment: TaxAssessment;
  /** The last day of the first month declared. */
  paymentDeadline: string;
  status: 'assessed';
  declaredAt: string;
}

// ---- 4. payment and electronic receipt (缴费、电子缴款凭证) ---------------------

export const TAX_PAYMENT_REQUEST = {
  type: 'object',
  required: ['declarationNo', 'amountFen', 'channel'],
  properties: {
    declarationNo: DECLARATION_NO,
    amountFen: { type: 'integer', title: '缴费金额（分）', minimum: 1 },
    channel: {
      type: 'string',
      title: '缴费渠道',
      enum: ['app', 'window', 'bank'],
      'x-enum-labels': { app: '线上（我的宁夏）', window: '办税服务厅', bank: '银行代收' },
    },
  },
  additionalProperties: false,
} as const;

export interface TaxPaymentRequest {
  declarationNo: string;
  /** Must equal the assessed total. */
  amountFen: number;
  channel: 'app' | 'window' | 'bank';
}

export const TAX_ELECTRONIC_RECEIPT = {
  type: 'object',
  title: '电子缴款凭证',
  required: ['receiptNo', 'payerNameMasked', 'items', 'totalFen', 'issuedBy', 'verificationCode'],
  properties: {
    receiptNo: { type: 'string', title: '凭证号', pattern: '^PJ\\d{14}$' },
    payerNameMasked: { type: 'string', title: '缴款人（脱敏）', minLength: 1 },
    items: {
      type: 'array',
      title: '缴费项目',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'amountFen'],
        properties: {
          name: {
            type: 'string',
            title: '项目名称',
            enum: [TAX_RECEIPT_ITEM_NAMES.pension, TAX_RECEIPT_ITEM_NAMES.medical],
          },
          amountFen: { type: 'integer', title: '金额（分）', minimum: 1 },
        },
        additionalProperties: false,
      },
    },
    totalFen: { type: 'integer', title: '合计（分）', minimum: 1 },
    issuedBy: { type: 'string', title: '开具单位', const: TAX_RECEIPT_ISSUER },
    verificationCode: { type: 'string', title: '验证码', pattern: '^[0-9A-Z]{12}$' },
  },
  additionalProperties: false,
} as const;

export interface TaxReceiptItem {
  name: (typeof TAX_RECEIPT_ITEM_NAMES)[TaxInsurance];
  amountFen: number;
}

export interface TaxElectronicReceipt {
  receiptNo: string;
  payerNameMasked: string;
  items: TaxReceiptItem[];
  totalFen: number;
  issuedBy: typeof TAX_RECEIPT_ISSUER;
  verificationCode: string;
}

export const TAX_PAYMENT_REPLY = {
  type: 'object',
  required: ['receiptNo', 'declarationNo', 'paidFen', 'paidAt', 'channel', 'electronicReceipt'],
  properties: {
    receiptNo: { type: 'string', title: '凭证号', pattern: '^PJ\\d{14}$' },
    declarationNo: DECLARATION_NO,
    paidFen: { type: 'integer', title: '实缴金额（分）', minimum: 1 },
    paidAt: { ...TIMESTAMP, title: '缴费时间' },
    channel: { type: 'string', title: '缴费渠道', enum: ['app', 'window', 'bank'] },
    electronicReceipt: TAX_ELECTRONIC_RECEIPT,
  },
  additionalProperties: false,
} as const;

export interface TaxPaymentReply {
  /** `PJ…`. */
  receiptNo: string;
  declarationNo: string;
  paidFen: number;
  paidAt: string;
  channel: TaxPaymentRequest['channel'];
  electronicReceipt: TaxElectronicReceipt;
}

// ---- 3. declaration query (申报查询) ----------------------------------------

export const TAX_DECLARATION_QUERY_REQUEST = {
  type: 'object',
  required: ['declarationNo'],
  properties: { declarationNo: DECLARATION_NO },
  additionalProperties: false,
} as const;

export interface TaxDeclarationQueryRequest {
  declarationNo: string;
}

export const TAX_DECLARATION_QUERY_REPLY = {
  type: 'object',
  required: DECLARATION_REQUIRED,
  properties: {
    ...DECLARATION_PROPERTIES,
    status: {
      type: 'string',
      title: '状态',
      enum: ['assessed', 'paid'],
      'x-enum-labels': { assessed: '已核定待缴费', paid: '已缴费' },
    },
    receipt: { ...TAX_PAYMENT_REPLY, title: '缴费结果（已缴费时）' },
  },
  additionalProperties: false,
} as const;

export interface TaxDeclarationQueryReply extends Omit<TaxDeclarationReply, 'status'> {
  status: 'assessed' | 'paid';
  /** Present once paid. */
  receipt?: TaxPaymentReply;
}

// ---- errors ----------------------------------------------------------------

const OFFLINE = '请携带身份证到当地人社窗口线下办理（咨询电话 12333）；您在“一件事”中的其他事项不受影响，会照常办理。';

export const TAX_ERRORS = {
  ALREADY_REGISTERED: { status: 409, message: '税务系统已收到此人该险种的参保登记信息，无需重复发送' },
  NOT_REGISTERED: {
    status: 422,
    message:
      '税务系统还没有收到您的灵活就业养老保险或医疗保险参保登记信息，暂不能申报缴费。请先完成社会保险登记和医疗保险参保登记；如已办理，请稍后再试或拨打 12366',
  },
  SPECIAL_PAYMENT_OFFLINE: {
    status: 422,
    message: `特殊缴费不能在线办理，“一件事”只办理正常缴费（宁人社发〔2026〕54号 附件2 三、3）。${OFFLINE}`,
  },
  BACK_PAYMENT_OFFLINE: {
    status: 422,
    message: `历史补缴不能在线办理，“一件事”只办理正常缴费（宁人社发〔2026〕54号 附件2 三、3）。${OFFLINE}`,
  },
  PERIOD_INVALID: { status: 422, message: '缴费所属期不正确：最早为本月，最晚为 12 个月之后' },
  ALREADY_DECLARED: { status: 409, message: '所选月份已经申报过，不能重复申报' },
  DECLARATION_NOT_FOUND: { status: 404, message: '没有找到这笔申报，请核对申报编号' },
  AMOUNT_MISMATCH: { status: 422, message: '缴费金额与核定的应缴金额不一致' },
  ALREADY_PAID: { status: 409, message: '这笔申报已经缴费，无需重复缴纳' },
} as const satisfies Record<string, { status: number; message: string }>;

export type TaxErrorCode = keyof typeof TAX_ERRORS;
