// Jest project for the mini-app: pages and components rendered in jsdom with Taro's
// real H5 components. Listed in the root jest.config.js; also runs on its own with
// `npx jest -c miniapp/jest.config.js`.

const swc = (syntax) => [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      parser: syntax === 'typescript' ? { syntax, tsx: true } : { syntax, jsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

// Taro, Stencil and their helpers ship ES modules: let them through the transform.
// `.pnpm` is a store bundled inside @tarojs/components that holds its own tslib.
const esmPackages = ['@tarojs', '@stencil', '@swc/helpers', 'tslib', 'swiper', 'ssr-window', 'dom7', '\\.pnpm'];

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'miniapp',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/__tests__/**/*.test.{ts,tsx}'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  clearMocks: true,
  moduleFileExtensions: ['tsx', 'ts', 'jsx', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.tsx?$': swc('typescript'),
    '^.+\\.(jsx?|mjs|cjs)$': swc('ecmascript'),
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: {
    '^@tarojs/components$': '@tarojs/components/lib/react',
    '^@tarojs/taro$': '<rootDir>/test/taro.ts',
    '\\.css$': '<rootDir>/test/style.js',
  },
};
