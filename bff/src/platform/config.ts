// Settings come from the environment, are checked once at start, and the BFF
// refuses to start with a message naming the setting when one is wrong.
import fs from 'node:fs';
import { LOG_LEVELS, type LogLevel } from '@flexins/shared/server';

export interface Config {
  mongodbUri: string;
  host: string;
  port: number;
  /** Folder of the mini-app's H5 build to serve at `/`; absent means API only. */
  h5Dir?: string;
  logLevel: LogLevel;
  /** How long in-flight requests may take to finish after SIGTERM. */
  shutdownTimeoutMs: number;
  /** Signs and checks our own login tokens (HS256); at least 32 bytes. */
  jwtSecret: string;
  /** AES-256-GCM key for personal data at rest (platform/crypto.ts): new values are sealed with it. */
  dataEncryptionKey: Buffer;
  /** Its id, stored with every value it seals (`v1` unless DATA_ENCRYPTION_KEY says `v2:…`). */
  dataEncryptionKeyId: string;
  /** Keys of earlier ids that only decrypt, until `rotate-keys reseal` has re-sealed their values. */
  previousDataEncryptionKeys: Record<string, Buffer>;
  /** HMAC-SHA256 key for look-up hashes of ID numbers and phones; not the encryption key. */
  lookupHashKey: Buffer;
  /** The look-up hash key being replaced; read only by `rotate-keys rehash`. */
  previousLookupHashKey?: Buffer;
  /** Lifetime of a citizen's token. */
  citizenTokenTtlS: number;
  /** Idle limit of a staff token: it is re-issued on activity, so this is time since the last request. */
  staffTokenTtlS: number;
  /** Where browsers and the payment system reach this BFF (notify and return addresses). */
  publicUrl: string;
  /** Behind our own reverse proxy: take the client address from X-Forwarded-For. */
  trustProxy: boolean;
  /** Sign-ins allowed per client address per minute (a hall's shared Wi-Fi needs more than a home). */
  signInPerMinute: number;
  /**
   * Prometheus metrics on a listener of their own, never the public port, and
   * only with the bearer token; absent when METRICS_PORT is not set.
   */
  metrics?: { host: string; port: number; token: string };
  departments: {
    /** Who we are to the departments' gateway. */
    callerId: string;
    endpoints: Record<DepartmentName, { url: string; secret: string }>;
    /** Per-call time-out. */
    timeoutMs: number;
    /** What the payment system signs its notifications with. */
    paymentNotifySecret: string;
  };
  worker: {
    /** `inline`: this process runs the linked processing; `off`: a separate worker process does. */
    mode: 'inline' | 'off';
    concurrency: number;
    maxAttempts: number;
    retryBaseMs: number;
    /** How long a leased step is a worker's before another may take it (a crashed worker's steps wait this long). */
    leaseMs: number;
    /** Time between two questions to HRSS about a case's card and archive after delivery (跟踪回访). */
    followUpIntervalMs: number;
    /** How often the notifier looks for cases with messages to send (NOTIFY_INTERVAL_MS). */
    notifyIntervalMs: number;
    /** China-time hours in which non-urgent messages wait (NOTIFY_QUIET_HOURS, `22-8`); null: none. */
    notifyQuietHours: { fromHour: number; untilHour: number } | null;
    /** When the worker makes the day before's summary (每日汇总), China time `HH:MM` (DAILY_SUMMARY_AT). */
    dailySummaryAt: string;
  };
}

export const DEPARTMENT_NAMES = ['identity', 'hrss', 'medical', 'tax', 'payment', 'market', 'sms'] as const;
export type DepartmentName = (typeof DEPARTMENT_NAMES)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误，BFF 无法启动 (invalid configuration):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} 必须是 ${min} 到 ${max} 之间的整数（现在是 "${raw}"）`);
    return fallback;
  }
  return value;
}

export const MIN_JWT_SECRET_BYTES = 32;
const KEY_BYTES = 32;

function jwtSecret(env: Env, problems: string[]): string {
  const raw = env.JWT_SECRET ?? '';
  if (!raw) {
    problems.push(
      `JWT_SECRET 未设置：请填写至少 ${MIN_JWT_SECRET_BYTES} 字节的随机字符串，用于签发登录令牌（例如 openssl rand -base64 48 的输出）`,
    );
  } else if (Buffer.byteLength(raw, 'utf8') < MIN_JWT_SECRET_BYTES) {
    problems.push(
      `JWT_SECRET 太短：至少要 ${MIN_JWT_SECRET_BYTES} 字节（现在是 ${Buffer.byteLength(raw, 'utf8')} 字节），请换一个更长的随机字符串`,
    );
  }
  return raw;
}

/**
 * A 32-byte key written as 64 hex digits or as base64 (standard or URL-safe).
 * The message names the setting and the length found, never the value.
 */
function key32(env: Env, name: string, purpose: string, problems: string[]): Buffer {
  return parseKey(name, (env[name] ?? '').trim(), purpose, problems);
}

function parseKey(name: string, raw: string, purpose: string, problems: string[]): Buffer {
  const example = `32 字节密钥的 base64 或 64 位十六进制（例如 openssl rand -base64 32 的输出）`;
  if (!raw) {
    problems.push(`${name} 未设置：请填写${example}，用于${purpose}`);
    return Buffer.alloc(0);
  }
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(raw)) key = Buffer.from(raw, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) key = Buffer.from(raw, 'base64');
  if (!key || key.length !== KEY_BYTES) {
    problems.push(`${name} 格式不对：应为${example}${key ? `，现在解出来是 ${key.length} 字节` : ''}`);
    return Buffer.alloc(0);
  }
  return key;
}

export const MIN_METRICS_TOKEN_LENGTH = 16;

/** METRICS_PORT turns the metrics listener on; it then needs METRICS_TOKEN and may not be the public port. */
function metricsSettings(env: Env, port: number, problems: string[]): Config['metrics'] {
  if (env.METRICS_PORT === undefined || env.METRICS_PORT === '') {
    if (env.METRICS_TOKEN)
      problems.push('METRICS_TOKEN 已设置但 METRICS_PORT 没有：监控指标只在单独的端口上提供，请同时设置 METRICS_PORT');
    return undefined;
  }
  const metricsPort = integer(env, 'METRICS_PORT', 0, 0, 65535, problems);
  if (metricsPort !== 0 && metricsPort === port)
    problems.push('METRICS_PORT 不能与 PORT 相同：监控指标不在对外的端口上提供');
  const token = env.METRICS_TOKEN ?? '';
  if (token.length < MIN_METRICS_TOKEN_LENGTH) {
    problems.push(
      `METRICS_TOKEN 未设置或太短：抓取监控指标须带的令牌（Authorization: Bearer …），至少 ${MIN_METRICS_TOKEN_LENGTH} 个字符`,
    );
  }
  return { host: env.METRICS_HOST || '127.0.0.1', port: metricsPort, token };
}

const KEY_ID = /^v[1-9]\d{0,3}$/;

/**
 * DATA_ENCRYPTION_KEY is `<key>` (id v1, the first key) or `<id>:<key>`, e.g.
 * `v2:…` after a rotation; DATA_ENCRYPTION_KEYS_PREVIOUS is `<id>:<key>,…`,
 * keys that only decrypt (README, "Keys and their rotation").
 */
function dataEncryptionKeys(
  env: Env,
  problems: string[],
): { id: string; key: Buffer; previous: Record<string, Buffer> } {
  const purpose = '加密存储的个人信息';
  const raw = (env.DATA_ENCRYPTION_KEY ?? '').trim();
  const named = /^([^:]+):(.*)$/.exec(raw);
  const id = named ? named[1]! : 'v1';
  if (!KEY_ID.test(id)) problems.push(`DATA_ENCRYPTION_KEY 的密钥编号不对：应为 v1、v2 … 后接冒号和密钥`);
  const key = parseKey('DATA_ENCRYPTION_KEY', named ? named[2]! : raw, purpose, problems);
  const previous: Record<string, Buffer> = {};
  for (const entry of (env.DATA_ENCRYPTION_KEYS_PREVIOUS ?? '').split(',').filter((e) => e.trim())) {
    const [, previousId, written] = /^\s*([^:]+):(.*)$/.exec(entry) ?? [];
    if (!previousId || !KEY_ID.test(previousId)) {
      problems.push('DATA_ENCRYPTION_KEYS_PREVIOUS 格式不对：应为 v1:<密钥>,v2:<密钥> …（逗号分隔，每个带编号）');
    } else if (previousId === id || previous[previousId]) {
      problems.push(`DATA_ENCRYPTION_KEYS_PREVIOUS 的 ${previousId} 重复了：每个编号只能对应一个密钥`);
    } else {
      const previousKey = parseKey(
        `DATA_ENCRYPTION_KEYS_PREVIOUS 的 ${previousId}`,
        written!.trim(),
        purpose,
        problems,
      );
      if (previousKey.length > 0) previous[previousId] = previousKey;
    }
  }
  return { id, key, previous };
}

/** NOTIFY_QUIET_HOURS: `22-8` (the default: 22:00 to 08:00 China time), another `from-until` in whole hours, or `off`. */
function quietHours(env: Env, problems: string[]): Config['worker']['notifyQuietHours'] {
  const raw = (env.NOTIFY_QUIET_HOURS || '22-8').trim();
  if (raw === 'off') return null;
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(raw);
  const fromHour = Number(match?.[1]);
  const untilHour = Number(match?.[2]);
  if (!match || fromHour > 23 || untilHour > 23 || fromHour === untilHour) {
    problems.push(`NOTIFY_QUIET_HOURS 格式不对：应为北京时间的“开始时-结束时”（例如 22-8），或 off（现在是 "${raw}"）`);
    return { fromHour: 22, untilHour: 8 };
  }
  return { fromHour, untilHour };
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const mongodbUri = env.MONGODB_URI ?? '';
  if (!mongodbUri) {
    problems.push('MONGODB_URI 未设置：请填写 MongoDB 兼容数据库的连接串，例如 mongodb://127.0.0.1:27017/flexins');
  } else if (!/^mongodb(\+srv)?:\/\/\S+$/.test(mongodbUri)) {
    problems.push('MONGODB_URI 格式不对：应以 mongodb:// 或 mongodb+srv:// 开头');
  }

  const host = env.HOST || '127.0.0.1';
  const port = integer(env, 'PORT', 3000, 0, 65535, problems);
  const shutdownTimeoutMs = integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000, problems);

  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL 只能是 ${LOG_LEVELS.join('、')} 之一`);

  const h5Dir = env.H5_DIR || undefined;
  if (h5Dir && !fs.existsSync(`${h5Dir}/index.html`)) {
    problems.push(`H5_DIR 指向的目录里没有 index.html：${h5Dir}`);
  }

  const secret = jwtSecret(env, problems);
  const encryption = dataEncryptionKeys(env, problems);
  const dataEncryptionKey = encryption.key;
  const lookupHashKey = key32(env, 'LOOKUP_HASH_KEY', '身份证号、手机号的查询摘要', problems);
  if (Object.values(encryption.previous).some((key) => key.equals(lookupHashKey))) {
    problems.push('DATA_ENCRYPTION_KEYS_PREVIOUS 里有与 LOOKUP_HASH_KEY 相同的密钥：两种密钥必须分开');
  }
  const previousLookupHashKey = env.LOOKUP_HASH_KEY_PREVIOUS
    ? key32(env, 'LOOKUP_HASH_KEY_PREVIOUS', '换钥前的查询摘要（只供 rotate-keys rehash 使用）', problems)
    : undefined;
  // One leaked key must not give away the other's protection.
  if (dataEncryptionKey.length > 0 && dataEncryptionKey.equals(lookupHashKey)) {
    problems.push('LOOKUP_HASH_KEY 不能与 DATA_ENCRYPTION_KEY 相同：请分别生成两个密钥');
  }
  const citizenTokenTtlS = integer(env, 'CITIZEN_TOKEN_TTL_S', 1800, 60, 86_400, problems);
  const staffTokenTtlS = integer(env, 'STAFF_TOKEN_TTL_S', 900, 60, 3_600, problems);

  const endpoints = {} as Config['departments']['endpoints'];
  for (const department of DEPARTMENT_NAMES) {
    const prefix = department.toUpperCase();
    const url = env[`${prefix}_URL`] ?? '';
    const secretValue = env[`${prefix}_SECRET`] ?? '';
    if (!/^https?:\/\/\S+$/.test(url)) problems.push(`${prefix}_URL 未设置或格式不对：应为该部门系统的 http(s) 地址`);
    if (secretValue.length < 16)
      problems.push(`${prefix}_SECRET 未设置或太短：应为与该部门网关约定的签名密钥（至少 16 个字符）`);
    endpoints[department] = { url, secret: secretValue };
  }
  const paymentNotifySecret = env.PAYMENT_NOTIFY_SECRET ?? '';
  if (paymentNotifySecret.length < 16)
    problems.push('PAYMENT_NOTIFY_SECRET 未设置或太短：用于核验收银台支付通知的签名（至少 16 个字符）');
  const callerId = env.DEPARTMENT_CALLER_ID || 'bff';
  const timeoutMs = integer(env, 'DEPARTMENT_TIMEOUT_MS', 3_000, 100, 120_000, problems);
  const publicUrl = (env.PUBLIC_URL || `http://${host}:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\/\S+$/.test(publicUrl)) problems.push('PUBLIC_URL 格式不对：应为 http(s) 地址');
  // In production the cashier's notifications and the citizens' browsers come to
  // PUBLIC_URL: the development default (plain http on HOST:PORT) is refused.
  else if (env.NODE_ENV === 'production' && !(env.PUBLIC_URL && publicUrl.startsWith('https://'))) {
    problems.push(
      'PUBLIC_URL 在生产环境（NODE_ENV=production）必须写明，且是 https 地址（浏览器和收银台从这里访问本服务）',
    );
  }
  const signInPerMinute = integer(env, 'SIGN_IN_PER_MINUTE', 30, 1, 1_000_000, problems);
  const metrics = metricsSettings(env, port, problems);
  const workerMode = (env.WORKER_MODE || 'inline') as Config['worker']['mode'];
  if (!['inline', 'off'].includes(workerMode)) problems.push('WORKER_MODE 只能是 inline 或 off');
  const dailySummaryAt = env.DAILY_SUMMARY_AT || '00:10';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(dailySummaryAt)) {
    problems.push(`DAILY_SUMMARY_AT 格式不对：应为北京时间的时:分，例如 00:10（现在是 "${dailySummaryAt}"）`);
  }
  const worker = {
    mode: workerMode,
    concurrency: integer(env, 'WORKER_CONCURRENCY', 8, 1, 256, problems),
    maxAttempts: integer(env, 'MAX_ATTEMPTS', 6, 1, 50, problems),
    retryBaseMs: integer(env, 'RETRY_BASE_MS', 500, 1, 600_000, problems),
    leaseMs: integer(env, 'LEASE_MS', 30_000, 1_000, 3_600_000, problems),
    // Six hours by default: a card takes days to make and post; at most a week between two looks.
    followUpIntervalMs: integer(env, 'FOLLOW_UP_INTERVAL_MS', 6 * 3_600_000, 100, 7 * 86_400_000, problems),
    notifyIntervalMs: integer(env, 'NOTIFY_INTERVAL_MS', 2_000, 50, 600_000, problems),
    notifyQuietHours: quietHours(env, problems),
    dailySummaryAt,
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    publicUrl,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    signInPerMinute,
    ...(metrics ? { metrics } : {}),
    departments: { callerId, endpoints, timeoutMs, paymentNotifySecret },
    worker,
    mongodbUri,
    host,
    port,
    h5Dir,
    logLevel,
    shutdownTimeoutMs,
    jwtSecret: secret,
    dataEncryptionKey,
    dataEncryptionKeyId: encryption.id,
    previousDataEncryptionKeys: encryption.previous,
    lookupHashKey,
    ...(previousLookupHashKey ? { previousLookupHashKey } : {}),
    citizenTokenTtlS,
    staffTokenTtlS,
  };
}

/** For a process's entry point: the configuration, or the reason it is refused on stderr and exit status 1. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
