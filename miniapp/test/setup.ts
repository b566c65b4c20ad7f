import '@testing-library/jest-dom';

// Build-time constants Taro's runtime reads as globals; webpack defines them in a build.
Object.assign(globalThis, {
  ENABLE_INNER_HTML: true,
  ENABLE_ADJACENT_HTML: true,
  ENABLE_SIZE_APIS: true,
  ENABLE_TEMPLATE_CONTENT: true,
  ENABLE_CLONE_NODE: true,
  ENABLE_CONTAINS: true,
  ENABLE_MUTATION_OBSERVER: true,
  DEPRECATED_ADAPTER_COMPONENT: false,
});
process.env.TARO_ENV = 'h5';
// jsdom has no fetch: the H5 path of services/transport.ts calls the double, answered as Taro.request is.
globalThis.fetch = (require('./taro') as typeof import('./taro')).fetchDouble as unknown as typeof fetch;

// Each test starts with empty storage, no router params and no canned replies.
beforeEach(() => (require('./taro') as typeof import('./taro')).taroDouble.reset());
