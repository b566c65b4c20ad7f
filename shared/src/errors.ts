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
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '只接受 JSON 格式的请求' },
  BODY_TOO_LARGE: { status: 413, message: '提交的内容过大' },
  NOT_FOUND: { status: 404, message: '没有找到您要的内容' },
  METHOD_NOT_ALLOWED: { status: 405, message: '不支持该操作' },
  // platform — our side is not well
  SERVICE_UNAVAILABLE: { status: 503, message: '服务暂时不可用，请稍后再试' },
  INTERNAL: { status: 500, message: '系统繁忙，请稍后再试；如多次失败请拨打 12333' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Field path (e.g. `address.phone`) → Chinese message that names the field. */
export type FieldErrors = Record<string, string>;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldErrors; requestId?: string };
}
