// FOLLOW_UP_INTERVAL_MS: six hours unless set; a bad value stops the BFF with a message naming it.
import { ConfigError, loadConfig } from '../../../platform/config';
import { testConfigEnv } from '../../../../test/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('FOLLOW_UP_INTERVAL_MS', () => {
  it('is six hours unless set, and takes a short one for a demonstration', () => {
    expect(loadConfig(testConfigEnv()).worker.followUpIntervalMs).toBe(6 * 60 * 60 * 1000);
    expect(loadConfig(testConfigEnv({ FOLLOW_UP_INTERVAL_MS: '60000' })).worker.followUpIntervalMs).toBe(60_000);
  });

  it.each(['abc', '50', '1.5', '999999999999'])('refuses "%s", naming the setting in Chinese', (value) => {
    expect(problemsOf(testConfigEnv({ FOLLOW_UP_INTERVAL_MS: value }))).toEqual([
      `FOLLOW_UP_INTERVAL_MS 必须是 100 到 604800000 之间的整数（现在是 "${value}"）`,
    ]);
  });
});
