// A complete, valid BFF environment for tests: the run's database and fixed
// test-only secrets. `loadConfig(testConfigEnv({ PORT: '0' }))`.
import { loadConfig, type Config } from '../src/platform/config';

/** Test-only keys: never use these anywhere else. */
export const TEST_SECRETS = {
  JWT_SECRET: 'test-only-jwt-secret-0123456789-abcdefghijklmnop',
  DATA_ENCRYPTION_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
  LOOKUP_HASH_KEY: 'ZmxleGlucy10ZXN0LW9ubHktbG9va3VwLWhhc2gta2U=',
} as const;

/** Department settings that satisfy the checks; tests that call departments point them at simulators. */
export const TEST_DEPARTMENTS = {
  IDENTITY_URL: 'http://127.0.0.1:9/',
  IDENTITY_SECRET: 'test-identity-secret',
  HRSS_URL: 'http://127.0.0.1:9/',
  HRSS_SECRET: 'test-hrss-secret-0',
  MEDICAL_URL: 'http://127.0.0.1:9/',
  MEDICAL_SECRET: 'test-medical-secret',
  TAX_URL: 'http://127.0.0.1:9/',
  TAX_SECRET: 'test-tax-secret-000',
  PAYMENT_URL: 'http://127.0.0.1:9/',
  PAYMENT_SECRET: 'test-payment-secret',
  PAYMENT_NOTIFY_SECRET: 'test-payment-notify-secret',
  MARKET_URL: 'http://127.0.0.1:9/',
  MARKET_SECRET: 'test-market-secret-',
  SMS_URL: 'http://127.0.0.1:9/',
  SMS_SECRET: 'test-sms-secret-0000',
} as const;

export function testConfigEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    MONGODB_URI: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/flexins',
    ...TEST_SECRETS,
    ...TEST_DEPARTMENTS,
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(testConfigEnv(overrides));
}
