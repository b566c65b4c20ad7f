/**
 * Error codes (错误码), grouped by area, with the plain-Chinese message a
 * citizen or clerk reads. The BFF answers every failure as
 * `{ error: { code, message, fields? } }`; the mini-app shows `message`
 * and puts each `fields[path]` beside its field.
 */
export const ERROR_CODES = {
  // request — what was sent is wrong
  VALIDATION_FAILED: { status: 400, message: '填写的信息有误，请按提示修改' },
  MALFORMED_JSON: { status: 400, message: '请求内容不是有效的 JSON' },
  MALFORMED_REQUEST: { status: 400, message: '请求格式有误，请刷新页面后重试' },
  HEADERS_TOO_LARGE: { status: 431, message: '请求头过大，请清除本应用的缓存后重试' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '只接受 JSON 格式的请求' },
  BODY_TOO_LARGE: { status: 413, message: '提交的内容过大' },
  NOT_FOUND: { status: 404, message: '没有找到您要的内容' },
  METHOD_NOT_ALLOWED: { status: 405, message: '不支持该操作' },
  // access — who is asking, what they may do, how often
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  TOKEN_EXPIRED: { status: 401, message: '登录已过期，请重新登录' },
  FORBIDDEN: { status: 403, message: '没有权限办理此操作' },
  RATE_LIMITED: { status: 429, message: '操作太频繁，请稍后再试' },
  // the one thing — what the applicant must do first
  SIGN_IN_CODE_INVALID: { status: 401, message: '登录凭证无效或已过期，请从“我的宁夏”重新进入' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, message: '提交缺少防重复标识，请刷新页面后重试' },
  NOTICE_OUTDATED: { status: 409, message: '告知内容已更新，请重新阅读并同意后再提交' },
  ELIGIBILITY_REQUIRED: { status: 409, message: '请先完成申报条件核验' },
  NOT_ELIGIBLE: { status: 422, message: '根据申报条件核验结果，暂不能通过本服务办理，请查看原因和办理建议' },
  FACE_CHECK_REQUIRED: { status: 409, message: '请先完成人脸核验' },
  FACE_CHECK_FAILED: { status: 422, message: '人脸核验未通过，请到人社窗口办理或拨打 12333 咨询' },
  FACE_CHECK_UNAVAILABLE: { status: 422, message: '暂时无法进行人脸核验，请到窗口办理' },
  POSTAGE_REQUIRED: { status: 409, message: '申领社保卡需要先支付 5.80 元邮寄费' },
  POSTAGE_NOT_PAID: { status: 409, message: '邮寄费还没有支付成功，请完成支付后再提交' },
  CARD_DETAILS_REQUIRED: { status: 400, message: '申领社保卡需要填写开户银行和邮寄地址' },
  OPEN_CASE_EXISTS: { status: 409, message: '您已有一件正在办理的申请，请查看办理进度' },
  PREMIUM_NOT_READY: { status: 409, message: '社会保险费尚未核定，暂不能缴费' },
  PREMIUM_AMOUNT_MISMATCH: { status: 422, message: '缴费金额与核定金额不一致，请刷新后重试' },
  PREMIUM_NOT_PAID: { status: 409, message: '社会保险费还没有支付成功，请在收银台完成支付' },
  PREMIUM_ALREADY_PAID: { status: 409, message: '首期社会保险费已经缴纳，无需再付' },
  RATING_NOT_ALLOWED: { status: 409, message: '办结后才能评价' },
  ALREADY_RATED: { status: 409, message: '这件申请已经评价过了，感谢您的反馈' },
  DEPARTMENT_UNAVAILABLE: { status: 503, message: '相关部门系统暂时不可用，请稍后再试；如多次失败请拨打 12333' },
  // staff — sign-in, look-up, handling (工作人员)
  STAFF_CREDENTIALS_INVALID: { status: 401, message: '用户名或密码不正确，请重新输入' },
  STAFF_LOCKED: {
    status: 423,
    message: '密码连续输错次数过多，账号已临时锁定，请稍后再试；如需立即解锁请联系系统管理员',
  },
  PERSON_NOT_FOUND: { status: 404, message: '统一身份认证平台没有这个身份证号的实名信息，请核对身份证号' },
  WINDOW_VISIT_NOT_FOUND: { status: 404, message: '没有找到这次窗口受理（可能已超过 2 小时），请重新读取身份证' },
  MATTER_NOT_RETRYABLE: { status: 409, message: '只有转人工处理的事项才能重新提交办理' },
  MATTER_NOT_IN_MANUAL: { status: 409, message: '只有人工处理中的事项才能登记线下办结或不予办理' },
  // training mode (培训模式): a training account serves training people only, a real account real people only
  TRAINING_ONLY: { status: 403, message: '培训账号只能办理培训人员的业务，请选用培训名册中的人员' },
  TRAINING_PERSON: { status: 403, message: '这是培训人员或培训办件，请用培训账号办理' },
  // platform — our side is not well
  SERVICE_UNAVAILABLE: { status: 503, message: '服务暂时不可用，请稍后再试' },
  INTERNAL: { status: 500, message: '系统繁忙，请稍后再试；如多次失败请拨打 12333' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Field path (e.g. `address.phone`) → Chinese message that names the field. */
export type FieldErrors = Record<string, string>;

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    fields?: FieldErrors;
    details?: Record<string, unknown>;
    requestId?: string;
  };
}
