// Structured logs: one JSON object per line on stdout. Every line passes
// through the scrubber, so an ID number or phone that slips into a message
// or a field is masked before it is written.
import { scrubPersonalData } from '../src/mask';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Fields whose values are personal and never logged, whatever they hold. */
const REDACTED_KEYS = new Set(['name', 'idNumber', 'phone', 'address', 'photo', 'recipient', 'authorization']);

function serialiseError(error: Error): LogFields {
  return { type: error.name, message: error.message, stack: error.stack };
}

function replacer(key: string, value: unknown): unknown {
  if (REDACTED_KEYS.has(key) && value !== undefined && value !== null) return '[redacted]';
  if (value instanceof Error) return serialiseError(value);
  return value;
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stdout.write(line),
  bound: LogFields = {},
): Logger {
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < RANK[level]) return;
    const record = { time: new Date().toISOString(), level: lvl, msg, ...bound, ...fields };
    write(`${scrubPersonalData(JSON.stringify(record, replacer))}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(level, write, { ...bound, ...fields }),
  };
}
