/**
 * The contract of the unified identity platform (统一身份认证平台, with its data
 * sharing service 数据共享) of the host app "我的宁夏", as the simulator serves
 * it and the BFF's identity adapter calls it.
 *
 * Citizens sign in on the host's page (H5) or through the host's
 * wx.login-like call (mini-program) and bring back a one-time code; the BFF
 * exchanges it for the real-name record. Face (liveness) checks, the data
 * sharing look-up a window clerk uses, and staff sign-in live here too.
 *
 * Face checks come two ways: the platform compares on its own (H5, where
 * the camera step is simulated, and the window), or the host's face SDK
 * has done the liveness check in the mini-program and handed back a
 * one-time result token (verifyResult), which the platform confirms once.
 * Imports nothing: the mini-app bundles this file.
 */

export const IDENTITY_PATHS = {
  /** Unsigned browser page: `GET /sign-in?redirect_uri=…&state=…`. */
  signInPage: '/sign-in',
  loginCodes: '/identity/v1/login-codes',
  codeExchanges: '/identity/v1/code-exchanges',
  faceChecks: '/identity/v1/face-checks',
  faceCheckQueries: '/identity/v1/face-check-queries',
  /** Stands in for the host's face SDK: issues a verifyResult for a roster person. */
  faceVerifyResults: '/identity/v1/face-verify-results',
  peopleQueries: '/identity/v1/people-queries',
  staffSignIns: '/identity/v1/staff-sign-ins',
} as const;

const ID_NUMBER = {
  type: 'string',
  title: '身份证号',
  pattern: '^\\d{17}[\\dX]$',
  'x-format-hint': '应为 18 位，最后一位是数字或大写字母 X',
} as const;
const DATE = { type: 'string', format: 'date' } as const;
const TIMESTAMP = { type: 'string', format: 'date-time' } as const;
const LOGIN_CODE = {
  type: 'string',
  title: '登录凭证',
  pattern: '^[A-Za-z0-9_-]{16,128}$',
  'x-format-hint': '应为“我的宁夏”返回的一次性登录凭证',
} as const;

export const IDENTITY_PERSON_KEY = {
  type: 'string',
  title: '名册人员标识',
  pattern: '^[a-z0-9-]{2,64}$',
  'x-format-hint': '应为名册中的人员标识，例如 eligible-vendor',
} as const;

/** Staff regions: a county (6 digits), a city (4 digits) or the whole province ('64'). */
export const IDENTITY_STAFF_REGION = {
  type: 'string',
  title: '所属地区',
  pattern: '^64(\\d{2}){0,2}$',
  'x-format-hint': '应为 64（全区）、4 位市级代码或 6 位县区代码',
} as const;

// ---------------------------------------------------------------- the person

/** The real-name record (实名信息) the platform shares. */
export const IDENTITY_PERSON = {
  type: 'object',
  title: '实名信息',
  required: ['personId', 'name', 'idNumber', 'sex', 'birthDate', 'ethnicity', 'phone', 'household', 'photo'],
  properties: {
    personId: { type: 'string', title: '平台用户标识', pattern: '^P[0-9A-F]{16}$' },
    name: { type: 'string', title: '姓名', minLength: 1, maxLength: 30 },
    idNumber: ID_NUMBER,
    sex: { type: 'string', title: '性别', enum: ['male', 'female'], 'x-enum-labels': { male: '男', female: '女' } },
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
        validUntil: { ...DATE, title: '居住证有效期至' },
      },
      additionalProperties: false,
    },
    training: { type: 'boolean', title: '培训人员（非真实群众）' },
    photo: {
      type: 'object',
      title: '公安部门认证的证件照',
      required: ['contentType', 'base64', 'certifiedAt'],
      properties: {
        contentType: { type: 'string', title: '图片格式', enum: ['image/png'] },
        base64: { type: 'string', title: '图片内容（Base64）', pattern: '^[A-Za-z0-9+/]+={0,2}$', maxLength: 400000 },
        certifiedAt: { ...DATE, title: '认证日期' },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export interface IdentityPerson {
  /** Stable per person on the platform, never the ID number. */
  personId: string;
  name: string;
  idNumber: string;
  sex: 'male' | 'female';
  birthDate: string;
  ethnicity: string;
  phone: string;
  household: { regionCode: string; address: string };
  residencePermit?: { regionCode: string; validUntil: string };
  photo: { contentType: 'image/png'; base64: string; certifiedAt: string };
  /** A training person (培训人员) of the platform's training roster; absent means a real person. */
  training?: boolean;
}

// ------------------------------------------------------------ login codes

export const IDENTITY_LOGIN_CODE_REQUEST = {
  type: 'object',
  required: ['personKey'],
  properties: { personKey: IDENTITY_PERSON_KEY },
  additionalProperties: false,
} as const;

export interface IdentityLoginCodeRequest {
  personKey: string;
}

export const IDENTITY_LOGIN_CODE_REPLY = {
  type: 'object',
  required: ['code', 'expiresAt'],
  properties: {
    code: LOGIN_CODE,
    expiresAt: { ...TIMESTAMP, title: '失效时间' },
  },
  additionalProperties: false,
} as const;

export interface IdentityLoginCodeReply {
  code: string;
  expiresAt: string;
}

export const IDENTITY_CODE_EXCHANGE_REQUEST = {
  type: 'object',
  required: ['code'],
  properties: { code: LOGIN_CODE },
  additionalProperties: false,
} as const;

export interface IdentityCodeExchangeRequest {
  code: string;
}

export const IDENTITY_PERSON_REPLY = {
  type: 'object',
  required: ['person'],
  properties: { person: IDENTITY_PERSON },
  additionalProperties: false,
} as const;

/** The reply of a code exchange and of a people query. */
export interface IdentityPersonReply {
  person: IdentityPerson;
}

// ------------------------------------------------------------ face checks

/** The host face SDK's one-time result token (its `verifyResult`). The BFF's face-check route takes it too. */
export const IDENTITY_FACE_VERIFY_RESULT = {
  type: 'string',
  title: '人脸核验结果凭证',
  pattern: '^[A-Za-z0-9_-]{32,256}$',
  'x-format-hint': '应为“我的宁夏”人脸核验返回的结果凭证',
} as const;

export const IDENTITY_FACE_CHECK_REQUEST = {
  type: 'object',
  required: ['idNumber'],
  properties: {
    idNumber: ID_NUMBER,
    livenessSample: { type: 'string', title: '活体检测采样', maxLength: 1_000_000 },
    verifyResult: IDENTITY_FACE_VERIFY_RESULT,
  },
  additionalProperties: false,
} as const;

export interface IdentityFaceCheckRequest {
  idNumber: string;
  /** What the host's liveness SDK produced; the simulator does not read it. */
  livenessSample?: string;
  /**
   * The host face SDK's result for this person: confirmed once (FACE_RESULT_INVALID
   * when unknown, used, expired or someone else's), and its outcome is the check's.
   * Without it the platform compares on its own.
   */
  verifyResult?: string;
}

export const IDENTITY_FACE_VERIFY_RESULT_REQUEST = {
  type: 'object',
  required: ['personKey'],
  properties: { personKey: IDENTITY_PERSON_KEY },
  additionalProperties: false,
} as const;

export interface IdentityFaceVerifyResultRequest {
  personKey: string;
}

export const IDENTITY_FACE_VERIFY_RESULT_REPLY = {
  type: 'object',
  required: ['verifyResult', 'expiresAt'],
  properties: {
    verifyResult: IDENTITY_FACE_VERIFY_RESULT,
    expiresAt: { ...TIMESTAMP, title: '失效时间' },
  },
  additionalProperties: false,
} as const;

/** Whether the face matched is learnt only by confirming the token (a face check with verifyResult). */
export interface IdentityFaceVerifyResultReply {
  verifyResult: string;
  expiresAt: string;
}

export const IDENTITY_FACE_CHECK_REPLY = {
  type: 'object',
  required: ['checkId', 'idNumber', 'passed', 'score', 'checkedAt'],
  properties: {
    checkId: { type: 'string', title: '核验编号', pattern: '^RL\\d{14}$' },
    idNumber: ID_NUMBER,
    passed: { type: 'boolean', title: '是否通过' },
    score: { type: 'integer', title: '比对分数', minimum: 0, maximum: 100 },
    checkedAt: { ...TIMESTAMP, title: '核验时间' },
    reason: { type: 'string', title: '未通过原因', minLength: 1 },
  },
  additionalProperties: false,
} as const;

export interface IdentityFaceCheckReply {
  checkId: string;
  /** The person checked, so a check cannot be passed off as someone else's. */
  idNumber: string;
  passed: boolean;
  score: number;
  checkedAt: string;
  /** Plain Chinese, when not passed. */
  reason?: string;
}

export const IDENTITY_FACE_CHECK_QUERY_REQUEST = {
  type: 'object',
  required: ['checkId'],
  properties: { checkId: { type: 'string', title: '核验编号', pattern: '^RL\\d{14}$' } },
  additionalProperties: false,
} as const;

export interface IdentityFaceCheckQueryRequest {
  checkId: string;
}

// ---------------------------------------------------- data sharing look-up

export const IDENTITY_PEOPLE_QUERY_REQUEST = {
  type: 'object',
  required: ['idNumber'],
  properties: { idNumber: ID_NUMBER },
  additionalProperties: false,
} as const;

export interface IdentityPeopleQueryRequest {
  idNumber: string;
}

// ------------------------------------------------------------ staff sign-in

export type IdentityStaffRole = 'windowClerk' | 'agent' | 'supervisor';

export const IDENTITY_STAFF_ROLE_LABELS: Readonly<Record<IdentityStaffRole, string>> = {
  windowClerk: '窗口受理人员',
  agent: '客服人员（12345/12333）',
  supervisor: '业务主管',
};

export const IDENTITY_STAFF_SIGN_IN_REQUEST = {
  type: 'object',
  required: ['username', 'password'],
  properties: {
    username: {
      type: 'string',
      title: '用户名',
      pattern: '^[a-z0-9._-]{3,32}$',
      'x-format-hint': '应为 3 到 32 位小写字母、数字或 . _ -',
    },
    password: { type: 'string', title: '密码', minLength: 1, maxLength: 128 },
  },
  additionalProperties: false,
} as const;

export interface IdentityStaffSignInRequest {
  username: string;
  password: string;
}

export const IDENTITY_STAFF_SIGN_IN_REPLY = {
  type: 'object',
  required: ['staffId', 'name', 'role', 'regionCode', 'training'],
  properties: {
    staffId: { type: 'string', title: '工作人员编号', pattern: '^S\\d{4}$' },
    name: { type: 'string', title: '姓名', minLength: 1, maxLength: 30 },
    role: {
      type: 'string',
      title: '角色',
      enum: ['windowClerk', 'agent', 'supervisor'],
      'x-enum-labels': IDENTITY_STAFF_ROLE_LABELS,
    },
    regionCode: IDENTITY_STAFF_REGION,
    training: { type: 'boolean', title: '培训账号' },
  },
  additionalProperties: false,
} as const;

export interface IdentityStaffSignInReply {
  staffId: string;
  name: string;
  role: IdentityStaffRole;
  regionCode: string;
  /** A training account (培训模式) works only with training cases. */
  training: boolean;
}

// ------------------------------------------------------------------ errors

export const IDENTITY_ERRORS = {
  CODE_INVALID: {
    status: 401,
    message: '登录凭证无效、已使用或已过期，请回到“我的宁夏”重新进入本服务',
  },
  PERSON_NOT_FOUND: {
    status: 404,
    message: '统一身份认证平台没有这个身份证号的实名信息，请核对身份证号；如确认无误，请持身份证到户籍所在地派出所核实',
  },
  FACE_CHECK_NOT_FOUND: { status: 404, message: '没有这个人脸核验记录，请重新进行人脸核验' },
  FACE_RESULT_INVALID: { status: 422, message: '人脸核验结果无效、已使用或已过期，请重新进行人脸核验' },
  STAFF_CREDENTIALS_INVALID: { status: 401, message: '用户名或密码不正确，请重新输入' },
  STAFF_LOCKED: {
    status: 423,
    message: '密码连续输错次数过多，账号已临时锁定，请稍后再试；如需立即解锁请联系系统管理员',
  },
} as const;

export type IdentityErrorCode = keyof typeof IDENTITY_ERRORS;
