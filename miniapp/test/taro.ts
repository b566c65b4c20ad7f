// Test double for @tarojs/taro: only the APIs the mini-app calls, as jest mocks.
// Storage is an in-memory map and the router's params can be set per test;
// `request` answers through `respondWith` (a function of method and url).

type Reply = { statusCode: number; data: unknown };
type Responder = (options: {
  url: string;
  method: string;
  data?: unknown;
  header: Record<string, string>;
}) => Reply | Promise<Reply>;

const storage = new Map<string, unknown>();
let params: Record<string, string> = {};
let responder: Responder = () => ({ statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '没有找到' } } });

const Taro = {
  makePhoneCall: jest.fn((_options: { phoneNumber: string }) => Promise.resolve({ errMsg: 'makePhoneCall:ok' })),
  request: jest.fn((options: Parameters<Responder>[0]) => Promise.resolve(responder(options))),
  getStorageSync: jest.fn((key: string) => (storage.has(key) ? storage.get(key) : '')),
  setStorageSync: jest.fn((key: string, value: unknown) => void storage.set(key, value)),
  removeStorageSync: jest.fn((key: string) => void storage.delete(key)),
  navigateTo: jest.fn((_options: { url: string }) => Promise.resolve({ errMsg: 'navigateTo:ok' })),
  redirectTo: jest.fn((_options: { url: string }) => Promise.resolve({ errMsg: 'redirectTo:ok' })),
  getCurrentInstance: jest.fn(() => ({ router: { params } })),
  getCurrentPages: jest.fn((): { route: string; options: Record<string, string> }[] => []),
  navigateBack: jest.fn(() => Promise.resolve({ errMsg: 'navigateBack:ok' })),
  reLaunch: jest.fn((_options: { url: string }) => Promise.resolve({ errMsg: 'reLaunch:ok' })),
  login: jest.fn(() => Promise.resolve({ code: 'host-login-code-0123456789' })),
  requestPayment: jest.fn(() => Promise.resolve({ errMsg: 'requestPayment:ok' })),
};

/** Test helpers, not part of Taro. */
export const taroDouble = {
  reset(): void {
    storage.clear();
    params = {};
    responder = () => ({ statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '没有找到' } } });
  },
  setParams(next: Record<string, string>): void {
    params = next;
  },
  respondWith(next: Responder): void {
    responder = next;
  },
  stored(key: string): unknown {
    const raw = storage.get(key);
    return typeof raw === 'string' ? JSON.parse(raw) : raw;
  },
  store(key: string, value: unknown): void {
    storage.set(key, JSON.stringify(value));
  },
};

export default Taro;
