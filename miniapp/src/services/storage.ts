import Taro from '@tarojs/taro';

/** Everything this app keeps on the phone. */
export const KEYS = {
  token: 'flexins.token',
  /** Whose data the rest is (the token's subject): a second person on the same phone starts clean. */
  owner: 'flexins.owner',
  draft: 'flexins.draft',
  verdict: 'flexins.verdict',
  submitKey: 'flexins.submitKey',
  signInState: 'flexins.signInState',
  elderly: 'flexins.elderly',
} as const;

/** Taro's storage (localStorage on H5), never throwing: a full or blocked store only loses a convenience. */
export function readStored<T>(key: string): T | undefined {
  try {
    const raw = Taro.getStorageSync(key) as unknown;
    if (raw === '' || raw === undefined || raw === null) return undefined;
    return (typeof raw === 'string' ? JSON.parse(raw) : raw) as T;
  } catch {
    return undefined;
  }
}

export function writeStored(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(key, JSON.stringify(value));
  } catch {
    // nothing to do: the value lives on in memory for this visit
  }
}

export function removeStored(key: string): void {
  try {
    Taro.removeStorageSync(key);
  } catch {
    // as above
  }
}
