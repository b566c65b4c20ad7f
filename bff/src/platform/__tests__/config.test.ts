import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';

const valid = { MONGODB_URI: 'mongodb://127.0.0.1:27017/flexins' };

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
  it('takes defaults for everything but the database', () => {
    expect(loadConfig(valid)).toEqual({
      mongodbUri: valid.MONGODB_URI,
      host: '127.0.0.1',
      port: 3000,
      h5Dir: undefined,
      logLevel: 'info',
      shutdownTimeoutMs: 10_000,
    });
  });

  it('refuses to start without MONGODB_URI and says which setting is missing', () => {
    expect(problemsOf({})).toEqual([expect.stringContaining('MONGODB_URI 未设置')]);
  });

  it('names each malformed setting', () => {
    const problems = problemsOf({ MONGODB_URI: 'postgres://x', PORT: '70000', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('MONGODB_URI 格式不对');
    expect(problems[1]).toContain('PORT');
    expect(problems[2]).toContain('LOG_LEVEL');
  });

  it('refuses an H5_DIR without an index.html', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h5-'));
    expect(problemsOf({ ...valid, H5_DIR: dir })).toEqual([expect.stringContaining('H5_DIR')]);
    fs.writeFileSync(path.join(dir, 'index.html'), '<html></html>');
    expect(loadConfig({ ...valid, H5_DIR: dir }).h5Dir).toBe(dir);
  });
});
