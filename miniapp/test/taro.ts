// Test double for @tarojs/taro: only the APIs the mini-app calls, as jest mocks.
// Storage is an in-memory map and the router's params can be set per test.
// Calls to the BFF answer through `respondWith` (a function of method and url) on either
// path of services/transport.ts: the browser's fetch (H5, these tests' TARO_ENV; setup.ts
// installs `fetchDouble`) and Taro.request (the mini-program). `sent` records every call,
// whichever path made it, in Taro.request's shape.

type Reply = { statusCode: number; data: unknown; header?: Record<string, string> };
type Sent = {
  url: string;
  method: string;
  data?: unknown;
  header: Record<string, string>;
};
type Responder = (options: Sent) => Reply | Promise<Reply>;

const storage = new Map<string, unknown>();
let params: Record<string, string> = {};
let responder: Responder = () => ({ statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '没有找到' } } });
const sent = jest.fn((_options: Sent) => undefined);

const Taro = {
  makePhoneCall: jest.fn((_options: { phoneNumber: string }) => Promise.resolve({ errMsg: 'makePhoneCall:ok' })),
  request: jest.fn(async (options: Sent & { method?: string; timeout?: number; dataType?: string }) => {
    const call: Sent = {
      url: options.url,
      method: options.method ?? 'GET',
      header: options.header,
      data: options.data,
    };
    sent(call);
    return responder(call);
  }),
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

/** The browser's fetch as the H5 build calls it, answered by the same responder. */
export const fetchDouble = jest.fn(async (url: string, init: RequestInit = {}) => {
  const call: Sent = {
    url,
    method: init.method ?? 'GET',
    header: { ...(init.headers as Record<string, string> | undefined) },
    ...(typeof init.body === 'string' ? { data: JSON.parse(init.body) as unknown } : {}),
  };
  sent(call);
  const signal = init.signal;
  const reply = await new Promise<Reply>((resolve, reject) => {
    signal?.addEventListener('abort', () => reject(new Error('This operation was aborted')));
    Promise.resolve()
      .then(() => responder(call))
      .then(resolve, reject);
  });
  const body = reply.data === undefined ? '' : typeof reply.data === 'string' ? reply.data : JSON.stringify(reply.data);
  const headers = new Map(Object.entries(reply.header ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status: reply.statusCode,
    ok: reply.statusCode >= 200 && reply.statusCode < 300,
    headers: { forEach: (each: (value: string, name: string) => void) => headers.forEach(each) },
    text: async () => body,
    arrayBuffer: async () => new TextEncoder().encode(body).buffer,
  };
});

/** Test helpers, not part of Taro. */
export const taroDouble = {
  /** Every call to the BFF, on either path. */
  sent,
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
