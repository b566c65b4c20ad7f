/**
 * Contract of the medical security system (医疗保障信息系统): the enrollment
 * query (参保信息查询, across provinces) and the flexible worker's basic
 * medical insurance registration (基本医疗保险参保和变更登记). Plain JSON
 * Schemas (ajv, draft-07) with the TypeScript shapes beside them, and the
 * department's error catalog.
 */
import { ID_NUMBER_FIELD, countyField } from './fields';

const ID_NUMBER = ID_NUMBER_FIELD;

/** One of today's Ningxia counties (县、市、区), as the picker offers them. */
const NINGXIA_COUNTY = countyField('居住地区县');

const MEDICAL_INSURANCES = ['employeeMedical', 'institutionMedical', 'residentMedical', 'flexibleMedical'] as const;

/** A basic medical insurance kind (医疗保险险种). */
export type MedicalInsuranceKind = (typeof MEDICAL_INSURANCES)[number];

export const MEDICAL_INSURANCE_LABELS: Readonly<Record<MedicalInsuranceKind, string>> = {
  employeeMedical: '职工基本医疗保险',
  institutionMedical: '机关事业单位（公务员）医疗保险',
  residentMedical: '城乡居民基本医疗保险',
  flexibleMedical: '职工基本医疗保险（灵活就业人员）',
};

const MEDICAL_EMPLOYMENT_TYPES = ['flexible', 'partTime', 'selfEmployedNoEmployees', 'employerWithEmployees'] as const;

export type MedicalEmploymentType = (typeof MEDICAL_EMPLOYMENT_TYPES)[number];

export const MEDICAL_EMPLOYMENT_TYPE_LABELS: Readonly<Record<MedicalEmploymentType, string>> = {
  flexible: '灵活就业人员',
  partTime: '非全日制从业人员',
  selfEmployedNoEmployees: '无雇工的个体工商户',
  employerWithEmployees: '有雇工的个体工商户',
};

// ---- 1. enrollment query (参保信息查询) --------------------------------------

export const MEDICAL_ENROLLMENT_QUERY_REQUEST = {
  type: 'object',
  required: ['idNumber'],
  properties: { idNumber: ID_NUMBER },
  additionalProperties: false,
} as const;

export interface MedicalEnrollmentQueryRequest {
  idNumber: string;
}

export const MEDICAL_ENROLLMENT = {
  type: 'object',
  title: '医疗保险参保记录',
  required: ['insurance', 'provinceCode', 'provinceName', 'status', 'since'],
  properties: {
    insurance: {
      type: 'string',
      title: '险种',
      enum: MEDICAL_INSURANCES,
      'x-enum-labels': MEDICAL_INSURANCE_LABELS,
    },
    provinceCode: { type: 'string', title: '参保省份代码', pattern: '^\\d{2}$' },
    provinceName: { type: 'string', title: '参保省份', minLength: 1 },
    status: {
      type: 'string',
      title: '参保状态',
      enum: ['active', 'ended'],
      'x-enum-labels': { active: '参保缴费', ended: '暂停或终止缴费' },
    },
    since: { type: 'string', title: '参保开始日期', format: 'date' },
    until: { type: 'string', title: '参保结束日期', format: 'date' },
  },
  additionalProperties: false,
} as const;

export interface MedicalEnrollment {
  insurance: MedicalInsuranceKind;
  /** 2-digit province code; `64` = Ningxia. */
  provinceCode: string;
  provinceName: string;
  status: 'active' | 'ended';
  since: string;
  until?: string;
}

export const MEDICAL_ENROLLMENT_QUERY_REPLY = {
  type: 'object',
  required: ['enrollments', 'ningxiaHistory'],
  properties: {
    enrollments: { type: 'array', title: '医疗保险参保记录（含外省）', items: MEDICAL_ENROLLMENT },
    ningxiaHistory: {
      type: 'boolean',
      title: '有宁夏已停保的医疗保险记录（本次参保为变更登记）',
    },
  },
  additionalProperties: false,
} as const;

export interface MedicalEnrollmentQueryReply {
  enrollments: MedicalEnrollment[];
  /** An ended Ningxia medical enrollment exists: a registration will be a change registration (变更登记). */
  ningxiaHistory: boolean;
}

// ---- 2. flexible worker registration (灵活就业人员医保参保和变更登记) -------------

export const MEDICAL_FLEXIBLE_REGISTRATION_REQUEST = {
  type: 'object',
  required: ['idNumber', 'name', 'employmentType', 'employmentRegistrationNo', 'residenceRegionCode'],
  properties: {
    idNumber: ID_NUMBER,
    name: { type: 'string', title: '姓名', minLength: 1, maxLength: 30 },
    employmentType: {
      type: 'string',
      title: '就业形式',
      enum: MEDICAL_EMPLOYMENT_TYPES,
      'x-enum-labels': MEDICAL_EMPLOYMENT_TYPE_LABELS,
    },
    employmentRegistrationNo: {
      type: 'string',
      title: '就业登记编号',
      pattern: '^JY\\d{14}$',
      'x-format-hint': '应为人社部门的就业登记编号，如 JY20261129000001',
    },
    residenceRegionCode: NINGXIA_COUNTY,
  },
  additionalProperties: false,
} as const;

export interface MedicalFlexibleRegistrationRequest {
  idNumber: string;
  name: string;
  employmentType: MedicalEmploymentType;
  /** From HRSS's employment registration; the medical system trusts the data exchange. */
  employmentRegistrationNo: string;
  /** One of today's Ningxia counties. */
  residenceRegionCode: string;
}

export const MEDICAL_FLEXIBLE_REGISTRATION_REPLY = {
  type: 'object',
  required: ['medicalInsuranceNo', 'kind', 'insurance', 'coverageStartsOn', 'monthlyMedicalFen', 'registeredAt'],
  properties: {
    medicalInsuranceNo: {
      type: 'string',
      title: '医保登记编号',
      pattern: '^YB\\d{14}$',
    },
    kind: {
      type: 'string',
      title: '登记类型',
      enum: ['new', 'change'],
      'x-enum-labels': { new: '参保登记', change: '变更登记' },
    },
    insurance: { type: 'string', title: '险种', const: 'flexibleMedical' },
    coverageStartsOn: { type: 'string', title: '待遇享受起始日期', format: 'date' },
    monthlyMedicalFen: { type: 'integer', title: '每月医疗保险费（分）', minimum: 0 },
    registeredAt: { type: 'string', title: '登记时间', format: 'date-time' },
  },
  additionalProperties: false,
} as const;

export interface MedicalFlexibleRegistrationReply {
  /** 医保登记编号, `YB…`. */
  medicalInsuranceNo: string;
  /** `change` (变更登记) when an ended Ningxia medical enrollment exists, else `new` (参保登记). */
  kind: 'new' | 'change';
  insurance: 'flexibleMedical';
  /** Benefits start on the first day of the month after registration (缴费次月享受待遇). */
  coverageStartsOn: string;
  /** From CURRENT_POLICY, the same figure the premium calculator shows. */
  monthlyMedicalFen: number;
  registeredAt: string;
}

// ---- errors ----------------------------------------------------------------

export const MEDICAL_ERRORS = {
  ALREADY_REGISTERED: {
    status: 409,
    message: '您已办理灵活就业人员职工基本医疗保险参保登记，无需重复办理',
  },
  EMPLOYER_NOT_ALLOWED: {
    status: 422,
    message:
      '有雇工的个体工商户不能以灵活就业人员身份参加基本医疗保险（宁人社发〔2026〕54号 附件2 三、5），请到当地医保经办窗口办理单位参保登记',
  },
  ONGOING_MEDICAL_INSURANCE: {
    status: 422,
    message:
      '您有正在参保的基本医疗保险，不能再以灵活就业人员身份参保（宁人社发〔2026〕54号 附件2 三、2），请先办理停保，或到医保窗口咨询、拨打 12333',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type MedicalErrorCode = keyof typeof MEDICAL_ERRORS;
