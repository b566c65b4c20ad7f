// Simulator error codes: the common ones every department shares, plus each
// department's own catalog. Replies look like the BFF's:
// `{ error: { code, message, fields? } }`.

export interface SimErrorEntry {
  status: number;
  message: string;
}
export type SimErrorCatalog = Record<string, SimErrorEntry>;

export const COMMON_ERRORS = {
  VALIDATION_FAILED: { status: 400, message: '请求参数有误' },
  MALFORMED_JSON: { status: 400, message: '请求内容不是有效的 JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '只接受 JSON 格式的请求' },
  BODY_TOO_LARGE: { status: 413, message: '请求内容过大' },
  SIGNATURE_MISSING: { status: 401, message: '缺少调用方签名信息' },
  UNKNOWN_CALLER: { status: 401, message: '未登记的调用方' },
  SIGNATURE_INVALID: { status: 401, message: '签名校验失败' },
  STALE_TIMESTAMP: { status: 401, message: '请求时间戳已过期或超前' },
  REPLAYED_NONCE: { status: 401, message: '请求已被使用过（重放）' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, message: '写操作必须带幂等键 Idempotency-Key' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: '同一个幂等键不能用于不同的请求内容' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: '同一请求正在处理中，请稍后重试' },
  ADMIN_FORBIDDEN: { status: 403, message: '管理接口只允许本机持管理令牌访问' },
  NOT_FOUND: { status: 404, message: '没有这个接口或记录' },
  METHOD_NOT_ALLOWED: { status: 405, message: '不支持该操作' },
  INJECTED_ERROR: { status: 500, message: '系统内部错误（模拟故障）' },
  INJECTED_UNAVAILABLE: { status: 503, message: '系统维护中，请稍后再试（模拟故障）' },
  INTERNAL: { status: 500, message: '系统内部错误' },
} as const satisfies SimErrorCatalog;

export class SimError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields?: Record<string, string>,
    /** Extra facts the caller may use (e.g. the existing registration number). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

/** Makes a `fail(code, …)` bound to one catalog, so codes cannot be misspelled. */
export function errorFactory<C extends SimErrorCatalog>(catalog: C) {
  return (
    code: (keyof C | keyof typeof COMMON_ERRORS) & string,
    options: { message?: string; fields?: Record<string, string>; details?: Record<string, unknown> } = {},
  ): SimError => {
    const entry: SimErrorEntry = (catalog as SimErrorCatalog)[code] ?? (COMMON_ERRORS as SimErrorCatalog)[code]!;
    return new SimError(code, entry.status, options.message ?? entry.message, options.fields, options.details);
  };
}

export const commonError = errorFactory(COMMON_ERRORS);
