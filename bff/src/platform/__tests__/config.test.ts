import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { TEST_DEPARTMENTS, TEST_SECRETS } from '../../../test/config';

const valid = { MONGODB_URI: 'mongodb://127.0.0.1:27017/flexins', ...TEST_SECRETS, ...TEST_DEPARTMENTS };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('takes defaults for everything but the database and the secrets', () => {
    expect(loadConfig(valid)).toEqual({
      mongodbUri: valid.MONGODB_URI,
      host: '127.0.0.1',
      port: 3000,
      h5Dir: undefined,
      logLevel: 'info',
      shutdownTimeoutMs: 10_000,
      jwtSecret: TEST_SECRETS.JWT_SECRET,
      dataEncryptionKey: Buffer.from(TEST_SECRETS.DATA_ENCRYPTION_KEY, 'hex'),
      dataEncryptionKeyId: 'v1',
      previousDataEncryptionKeys: {},
      lookupHashKey: Buffer.from(TEST_SECRETS.LOOKUP_HASH_KEY, 'base64'),
      citizenTokenTtlS: 1800,
      staffTokenTtlS: 900,
      publicUrl: 'http://127.0.0.1:3000',
      trustProxy: false,
      signInPerMinute: 30,
      departments: {
        callerId: 'bff',
        timeoutMs: 3000,
        paymentNotifySecret: TEST_DEPARTMENTS.PAYMENT_NOTIFY_SECRET,
        endpoints: {
          identity: { url: TEST_DEPARTMENTS.IDENTITY_URL, secret: TEST_DEPARTMENTS.IDENTITY_SECRET },
          hrss: { url: TEST_DEPARTMENTS.HRSS_URL, secret: TEST_DEPARTMENTS.HRSS_SECRET },
          medical: { url: TEST_DEPARTMENTS.MEDICAL_URL, secret: TEST_DEPARTMENTS.MEDICAL_SECRET },
          tax: { url: TEST_DEPARTMENTS.TAX_URL, secret: TEST_DEPARTMENTS.TAX_SECRET },
          payment: { url: TEST_DEPARTMENTS.PAYMENT_URL, secret: TEST_DEPARTMENTS.PAYMENT_SECRET },
          market: { url: TEST_DEPARTMENTS.MARKET_URL, secret: TEST_DEPARTMENTS.MARKET_SECRET },
          sms: { url: TEST_DEPARTMENTS.SMS_URL, secret: TEST_DEPARTMENTS.SMS_SECRET },
        },
      },
      worker: {
        mode: 'inline',
        concurrency: 8,
        maxAttempts: 6,
        retryBaseMs: 500,
        leaseMs: 30_000,
        followUpIntervalMs: 21_600_000,
        notifyIntervalMs: 2_000,
        notifyQuietHours: { fromHour: 22, untilHour: 8 },
        dailySummaryAt: '00:10',
      },
    });
  });

  it('names every department setting that is missing', () => {
    const { HRSS_URL: _url, TAX_SECRET: _secret, PAYMENT_NOTIFY_SECRET: _notify, ...rest } = valid;
    expect(problemsOf(rest)).toEqual([
      expect.stringContaining('HRSS_URL'),
      expect.stringContaining('TAX_SECRET'),
      expect.stringContaining('PAYMENT_NOTIFY_SECRET'),
    ]);
  });

  it('needs the SMS gateway, and reads the quiet hours of its messages (off, or other whole hours)', () => {
    const { SMS_URL: _url, SMS_SECRET: _secret, ...rest } = valid;
    expect(problemsOf(rest)).toEqual([
      expect.stringContaining('SMS_URL 未设置'),
      expect.stringContaining('SMS_SECRET 未设置'),
    ]);
    expect(loadConfig({ ...valid, NOTIFY_QUIET_HOURS: 'off' }).worker.notifyQuietHours).toBeNull();
    expect(loadConfig({ ...valid, NOTIFY_QUIET_HOURS: '21-7' }).worker.notifyQuietHours).toEqual({
      fromHour: 21,
      untilHour: 7,
    });
    for (const wrong of ['22', '22-24', '8-8', 'night']) {
      expect(problemsOf({ ...valid, NOTIFY_QUIET_HOURS: wrong })).toEqual([
        expect.stringContaining('NOTIFY_QUIET_HOURS 格式不对'),
      ]);
    }
  });

  it('needs the market regulation system as well: rule 5 is checked against its business registrations', () => {
    const { MARKET_URL: _url, MARKET_SECRET: _secret, ...rest } = valid;
    expect(problemsOf(rest)).toEqual([
      expect.stringContaining('MARKET_URL 未设置'),
      expect.stringContaining('MARKET_SECRET 未设置'),
    ]);
    expect(problemsOf({ ...valid, MARKET_URL: 'market.local' })).toEqual([expect.stringContaining('MARKET_URL')]);
  });

  it('refuses to start without MONGODB_URI and says which setting is missing', () => {
    const { MONGODB_URI: _uri, ...rest } = valid;
    expect(problemsOf(rest)).toEqual([expect.stringContaining('MONGODB_URI 未设置')]);
  });

  it('names every missing required setting at once', () => {
    expect(problemsOf({ ...TEST_DEPARTMENTS })).toEqual([
      expect.stringContaining('MONGODB_URI 未设置'),
      expect.stringContaining('JWT_SECRET 未设置'),
      expect.stringContaining('DATA_ENCRYPTION_KEY 未设置'),
      expect.stringContaining('LOOKUP_HASH_KEY 未设置'),
    ]);
  });

  it('names each malformed setting', () => {
    const problems = problemsOf({ ...valid, MONGODB_URI: 'postgres://x', PORT: '70000', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('MONGODB_URI 格式不对');
    expect(problems[1]).toContain('PORT');
    expect(problems[2]).toContain('LOG_LEVEL');
  });

  it('takes the daily summary time as China time HH:MM and names a malformed one', () => {
    expect(loadConfig({ ...valid, DAILY_SUMMARY_AT: '23:59' }).worker.dailySummaryAt).toBe('23:59');
    for (const bad of ['24:00', '0:10', '00:60', 'midnight']) {
      expect(problemsOf({ ...valid, DAILY_SUMMARY_AT: bad })).toEqual([expect.stringContaining('DAILY_SUMMARY_AT')]);
    }
  });

  it('refuses an H5_DIR without an index.html', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h5-'));
    expect(problemsOf({ ...valid, H5_DIR: dir })).toEqual([expect.stringContaining('H5_DIR')]);
    fs.writeFileSync(path.join(dir, 'index.html'), '<html></html>');
    expect(loadConfig({ ...valid, H5_DIR: dir }).h5Dir).toBe(dir);
  });

  it('refuses a JWT_SECRET shorter than 32 bytes', () => {
    expect(problemsOf({ ...valid, JWT_SECRET: 'x'.repeat(31) })).toEqual([
      expect.stringContaining('JWT_SECRET 太短：至少要 32 字节（现在是 31 字节）'),
    ]);
    expect(loadConfig({ ...valid, JWT_SECRET: 'x'.repeat(32) }).jwtSecret).toBe('x'.repeat(32));
  });

  it('reads a 32-byte key written as hex, base64 or base64url', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    for (const written of [key.toString('hex'), key.toString('base64'), key.toString('base64url')]) {
      expect(loadConfig({ ...valid, DATA_ENCRYPTION_KEY: written }).dataEncryptionKey).toEqual(key);
    }
  });

  it('refuses a key of the wrong length or form, naming the setting but not echoing the value', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    const problems = problemsOf({ ...valid, DATA_ENCRYPTION_KEY: short, LOOKUP_HASH_KEY: 'not a key!' });
    expect(problems).toEqual([
      expect.stringContaining('DATA_ENCRYPTION_KEY 格式不对'),
      expect.stringContaining('LOOKUP_HASH_KEY 格式不对'),
    ]);
    expect(problems[0]).toContain('现在解出来是 16 字节');
    expect(problems.join('\n')).not.toContain(short);
    expect(problems.join('\n')).not.toContain('not a key!');
  });

  it('takes a data key under a new id, and the keys it replaces, which only decrypt', () => {
    const [v1, v2, v3] = [1, 2, 3].map((n) => Buffer.alloc(32, n));
    const config = loadConfig({
      ...valid,
      DATA_ENCRYPTION_KEY: `v3:${v3!.toString('base64')}`,
      DATA_ENCRYPTION_KEYS_PREVIOUS: `v1:${v1!.toString('hex')}, v2:${v2!.toString('base64url')}`,
    });
    expect(config.dataEncryptionKey).toEqual(v3);
    expect(config.dataEncryptionKeyId).toBe('v3');
    expect(config.previousDataEncryptionKeys).toEqual({ v1, v2 });
  });

  it('refuses a malformed key id, a repeated id and a previous key equal to the look-up key, echoing no key', () => {
    const key = Buffer.alloc(32, 9).toString('base64');
    expect(problemsOf({ ...valid, DATA_ENCRYPTION_KEY: `2:${key}` })).toEqual([
      expect.stringContaining('DATA_ENCRYPTION_KEY 的密钥编号不对'),
    ]);
    const problems = problemsOf({
      ...valid,
      DATA_ENCRYPTION_KEY: `v2:${key}`,
      DATA_ENCRYPTION_KEYS_PREVIOUS: `${key},v2:${key},v1:${valid.LOOKUP_HASH_KEY}`,
    });
    expect(problems).toEqual([
      expect.stringContaining('DATA_ENCRYPTION_KEYS_PREVIOUS 格式不对'),
      expect.stringContaining('DATA_ENCRYPTION_KEYS_PREVIOUS 的 v2 重复了'),
      expect.stringContaining('DATA_ENCRYPTION_KEYS_PREVIOUS 里有与 LOOKUP_HASH_KEY 相同的密钥'),
    ]);
    expect(problems.join('\n')).not.toContain(key);
  });

  it('in production (NODE_ENV=production) refuses the default PUBLIC_URL and a plain http one', () => {
    const refusal = expect.stringContaining('PUBLIC_URL 在生产环境（NODE_ENV=production）必须写明，且是 https 地址');
    expect(problemsOf({ ...valid, NODE_ENV: 'production' })).toEqual([refusal]);
    expect(problemsOf({ ...valid, NODE_ENV: 'production', PUBLIC_URL: 'http://lj.nx.gov.cn' })).toEqual([refusal]);
    const config = loadConfig({ ...valid, NODE_ENV: 'production', PUBLIC_URL: 'https://lj.nx.gov.cn/' });
    expect(config.publicUrl).toBe('https://lj.nx.gov.cn');
  });

  it('refuses the same key for encryption and look-up hashes', () => {
    expect(problemsOf({ ...valid, LOOKUP_HASH_KEY: valid.DATA_ENCRYPTION_KEY })).toEqual([
      expect.stringContaining('LOOKUP_HASH_KEY 不能与 DATA_ENCRYPTION_KEY 相同'),
    ]);
  });

  it('takes token lifetimes within bounds and names one out of bounds', () => {
    const config = loadConfig({ ...valid, CITIZEN_TOKEN_TTL_S: '600', STAFF_TOKEN_TTL_S: '300' });
    expect(config).toMatchObject({ citizenTokenTtlS: 600, staffTokenTtlS: 300 });
    expect(problemsOf({ ...valid, CITIZEN_TOKEN_TTL_S: '10', STAFF_TOKEN_TTL_S: '7200' })).toEqual([
      expect.stringContaining('CITIZEN_TOKEN_TTL_S 必须是 60 到 86400 之间的整数'),
      expect.stringContaining('STAFF_TOKEN_TTL_S 必须是 60 到 3600 之间的整数'),
    ]);
  });

  it('serves metrics only on a port of their own, loopback by default, and only with a token', () => {
    expect(loadConfig(valid).metrics).toBeUndefined();
    const token = 'metrics-token-0123456789';
    expect(loadConfig({ ...valid, METRICS_PORT: '3001', METRICS_TOKEN: token }).metrics).toEqual({
      host: '127.0.0.1',
      port: 3001,
      token,
    });
    expect(loadConfig({ ...valid, METRICS_PORT: '0', METRICS_HOST: '10.0.0.5', METRICS_TOKEN: token }).metrics).toEqual(
      { host: '10.0.0.5', port: 0, token },
    );
    expect(problemsOf({ ...valid, METRICS_PORT: '3001' })).toEqual([
      expect.stringContaining('METRICS_TOKEN 未设置或太短'),
    ]);
    expect(problemsOf({ ...valid, METRICS_PORT: '3001', METRICS_TOKEN: 'short' })).toEqual([
      expect.stringContaining('METRICS_TOKEN 未设置或太短'),
    ]);
    expect(problemsOf({ ...valid, PORT: '3001', METRICS_PORT: '3001', METRICS_TOKEN: token })).toEqual([
      expect.stringContaining('METRICS_PORT 不能与 PORT 相同'),
    ]);
    expect(problemsOf({ ...valid, METRICS_TOKEN: token })).toEqual([
      expect.stringContaining('METRICS_TOKEN 已设置但 METRICS_PORT 没有'),
    ]);
  });
});
