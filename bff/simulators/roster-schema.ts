// The JSON Schema of a roster person, for the admin call that adds one at
// run time (staff training and demos need fresh people).
import { MARKET_BUSINESS } from '@flexins/shared';
import type { RosterPerson } from './roster';

/** A person as the admin call adds one: what eligibility should say is not known. */
export type NewPerson = Omit<RosterPerson, 'expected'>;

const DATE = { type: 'string', format: 'date' };
const INSURANCES = [
  'employeePension',
  'employeeMedical',
  'institutionPension',
  'institutionMedical',
  'residentPension',
  'residentMedical',
  'flexiblePension',
  'flexibleMedical',
];

export const ROSTER_PERSON_SCHEMA = {
  type: 'object',
  required: [
    'key',
    'label',
    'name',
    'idNumber',
    'sex',
    'birthDate',
    'ethnicity',
    'phone',
    'household',
    'faceCheck',
    'employmentType',
    'archiveLocation',
    'enrollments',
  ],
  properties: {
    key: { type: 'string', title: '标识', pattern: '^[a-z0-9-]{2,64}$' },
    label: { type: 'string', title: '说明', minLength: 1, maxLength: 60 },
    name: { type: 'string', title: '姓名', minLength: 1, maxLength: 30 },
    idNumber: { type: 'string', title: '身份证号', pattern: '^\\d{17}[\\dX]$' },
    sex: { type: 'string', title: '性别', enum: ['male', 'female'] },
    birthDate: { ...DATE, title: '出生日期' },
    ethnicity: { type: 'string', title: '民族', minLength: 1, maxLength: 20 },
    phone: { type: 'string', title: '手机号', pattern: '^1[3-9]\\d{9}$' },
    household: {
      type: 'object',
      title: '户籍',
      required: ['regionCode', 'address'],
      properties: {
        regionCode: { type: 'string', title: '户籍地区代码', pattern: '^\\d{6}$' },
        address: { type: 'string', title: '户籍地址', minLength: 1, maxLength: 120 },
      },
      additionalProperties: false,
    },
    residencePermit: {
      type: 'object',
      title: '居住证',
      required: ['regionCode', 'validUntil'],
      properties: {
        regionCode: { type: 'string', title: '居住证地区代码', pattern: '^\\d{6}$' },
        validUntil: { ...DATE, title: '居住证有效期' },
      },
      additionalProperties: false,
    },
    faceCheck: { type: 'string', title: '人脸核验结果', enum: ['pass', 'fail'] },
    employmentType: {
      type: 'string',
      title: '就业形式',
      enum: ['flexible', 'partTime', 'selfEmployedNoEmployees', 'employerWithEmployees'],
    },
    archiveLocation: { type: 'string', title: '档案所在地', minLength: 1, maxLength: 120 },
    enrollments: {
      type: 'array',
      title: '参保记录',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['insurance', 'provinceCode', 'status', 'since'],
        properties: {
          insurance: { type: 'string', title: '险种', enum: INSURANCES },
          provinceCode: { type: 'string', title: '参保省份', pattern: '^\\d{2}$' },
          status: { type: 'string', title: '参保状态', enum: ['active', 'ended'] },
          since: { ...DATE, title: '参保开始' },
          until: { ...DATE, title: '参保结束' },
        },
        additionalProperties: false,
      },
    },
    ningxiaCard: {
      type: 'object',
      title: '宁夏社保卡',
      required: ['cardNumber', 'issuedAt'],
      properties: {
        cardNumber: { type: 'string', title: '社保卡号', minLength: 6, maxLength: 30 },
        issuedAt: { ...DATE, title: '发卡日期' },
      },
      additionalProperties: false,
    },
    wantsBackPayment: { type: 'boolean', title: '需要补缴' },
    businesses: { type: 'array', title: '经营主体登记', maxItems: 10, items: MARKET_BUSINESS },
    expected: { type: 'object', title: '预期结果' },
  },
  additionalProperties: false,
} as const;
