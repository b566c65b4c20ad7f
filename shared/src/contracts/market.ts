/**
 * Contract of the market regulation department's registration system
 * (市场监管部门 登记注册系统): the query of the businesses a person is
 * registered for — individual businesses (个体工商户) they operate and
 * enterprises (企业) they are the legal representative of — with each one's
 * status and the number of employees on record (雇工人数, from the latest
 * annual report 年报 or, before the first report, the registration). Rule 5
 * of the work plan is checked against it. Plain JSON Schemas (ajv, draft-07)
 * with the TypeScript shapes beside them, and the department's error catalog.
 */
import { ID_NUMBER_FIELD, countyField } from './fields';

export const MARKET_PATHS = {
  registrationQueries: '/market/v1/registration-queries',
} as const;

const BUSINESS_KINDS = ['individualBusiness', 'enterprise'] as const;
/** 个体工商户 | 企业. */
export type MarketBusinessKind = (typeof BUSINESS_KINDS)[number];
export const MARKET_BUSINESS_KIND_LABELS: Readonly<Record<MarketBusinessKind, string>> = {
  individualBusiness: '个体工商户',
  enterprise: '企业',
};

const ROLES = ['operator', 'legalRepresentative'] as const;
/** How the person is registered: 经营者 (of an individual business) | 法定代表人 (of an enterprise). */
export type MarketRole = (typeof ROLES)[number];
export const MARKET_ROLE_LABELS: Readonly<Record<MarketRole, string>> = {
  operator: '经营者',
  legalRepresentative: '法定代表人',
};

const STATUSES = ['active', 'cancelled'] as const;
/** 存续（在营） | 注销. */
export type MarketBusinessStatus = (typeof STATUSES)[number];
export const MARKET_STATUS_LABELS: Readonly<Record<MarketBusinessStatus, string>> = {
  active: '存续',
  cancelled: '注销',
};

const EMPLOYEE_SOURCES = ['annualReport', 'registration'] as const;
/** Where the employee count comes from: the annual report (年报) of `year`, or the registration itself. */
export type MarketEmployeeSource = (typeof EMPLOYEE_SOURCES)[number];
export const MARKET_EMPLOYEE_SOURCE_LABELS: Readonly<Record<MarketEmployeeSource, string>> = {
  annualReport: '年度报告',
  registration: '登记信息',
};

/** 统一社会信用代码 (GB 32100): 18 characters of digits and capitals without I, O, S, V, Z. */
export const CREDIT_CODE_PATTERN = '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$';

// ---- 1. registration query (经营主体登记信息查询) ---------------------------

export const MARKET_REGISTRATION_QUERY_REQUEST = {
  type: 'object',
  required: ['idNumber'],
  properties: { idNumber: ID_NUMBER_FIELD },
  additionalProperties: false,
} as const;

export interface MarketRegistrationQueryRequest {
  idNumber: string;
}

export const MARKET_BUSINESS = {
  type: 'object',
  title: '经营主体',
  required: ['name', 'creditCode', 'kind', 'role', 'status', 'registeredOn', 'regionCode', 'employees'],
  properties: {
    name: { type: 'string', title: '名称（字号）', minLength: 1, maxLength: 100 },
    creditCode: { type: 'string', title: '统一社会信用代码', pattern: CREDIT_CODE_PATTERN },
    kind: { type: 'string', title: '主体类型', enum: BUSINESS_KINDS, 'x-enum-labels': MARKET_BUSINESS_KIND_LABELS },
    role: { type: 'string', title: '登记身份', enum: ROLES, 'x-enum-labels': MARKET_ROLE_LABELS },
    status: { type: 'string', title: '登记状态', enum: STATUSES, 'x-enum-labels': MARKET_STATUS_LABELS },
    registeredOn: { type: 'string', title: '成立日期', format: 'date' },
    cancelledOn: { type: 'string', title: '注销日期', format: 'date' },
    regionCode: countyField('登记机关所在县区'),
    employees: {
      type: 'object',
      title: '雇工人数',
      required: ['count', 'source', 'year'],
      properties: {
        count: { type: 'integer', title: '雇工（从业）人数，不含经营者本人', minimum: 0, maximum: 100000 },
        source: {
          type: 'string',
          title: '人数来源',
          enum: EMPLOYEE_SOURCES,
          'x-enum-labels': MARKET_EMPLOYEE_SOURCE_LABELS,
        },
        year: { type: 'integer', title: '年度报告或登记的年份', minimum: 1980, maximum: 2100 },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export interface MarketBusiness {
  /** 字号 of an individual business, or the enterprise's registered name. */
  name: string;
  /** 统一社会信用代码. */
  creditCode: string;
  kind: MarketBusinessKind;
  role: MarketRole;
  status: MarketBusinessStatus;
  registeredOn: string;
  /** Present when cancelled (注销). */
  cancelledOn?: string;
  /** The county of the registering authority (登记机关). */
  regionCode: string;
  /** Employees on record, the operator not counted. */
  employees: { count: number; source: MarketEmployeeSource; year: number };
}

export const MARKET_REGISTRATION_QUERY_REPLY = {
  type: 'object',
  required: ['businesses'],
  properties: {
    businesses: { type: 'array', title: '登记在本人名下的经营主体（含已注销）', items: MARKET_BUSINESS },
  },
  additionalProperties: false,
} as const;

export interface MarketRegistrationQueryReply {
  /** Active and cancelled ones, oldest first; empty for someone with none. */
  businesses: MarketBusiness[];
}

// ---- errors ----------------------------------------------------------------

/**
 * The registration system's own refusals. Its one operation answers a person
 * with no businesses with an empty list, not an error; malformed calls,
 * signatures and faults answer with the common codes every simulator shares.
 */
export const MARKET_ERRORS = {} as const satisfies Record<string, { status: number; message: string }>;

export type MarketErrorCode = keyof typeof MARKET_ERRORS;
