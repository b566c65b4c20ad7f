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
}

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

  if (problems.length > 0) throw new ConfigError(problems);
  return { mongodbUri, host, port, h5Dir, logLevel, shutdownTimeoutMs };
}
