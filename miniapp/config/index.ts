import path from 'node:path';
import { defineConfig } from '@tarojs/cli';
import { PrecompressPlugin } from './precompress';

// `@flexins/shared` is TypeScript source outside this package (the workspace symlink
// resolves to ../shared), so Taro's babel must compile it like our own src.
const sharedSource = path.resolve(__dirname, '../../shared/src');

// Webpack's persistent cache. Taro hands every option to webpack, though its type
// names only three, hence a variable rather than an inline literal.
// Build dependencies are files, not the config folder: for a folder, webpack also
// hashes every dependency in package.json, so any edit in shared/ would drop the cache.
const cache = {
  enable: true,
  cacheDirectory: path.resolve(__dirname, '../node_modules/.cache/taro'),
  buildDependencies: {
    config: [
      __filename,
      path.resolve(__dirname, 'plugins/weapp-aria/index.js'),
      path.resolve(__dirname, '../babel.config.js'),
    ],
  },
};

// 长辈版 sizes are minimums in CSS pixels (body text ≥ 18 px, tap targets ≥ 60 px)
// on every screen width, so its rules are left out of the design-width scaling.
const ELDERLY_SELECTORS = ['page--elderly'];

export default defineConfig<'webpack5'>({
  projectName: 'flexins-miniapp',
  designWidth: 750,
  deviceRatio: {
    640: 2.34 / 2,
    750: 1,
    375: 2,
    828: 1.81 / 2,
  },
  sourceRoot: 'src',
  // dist/h5 is served by the BFF; dist/weapp is opened in the mini-program tools.
  outputRoot: `dist/${process.env.TARO_ENV}`,
  plugins: [path.resolve(__dirname, 'plugins/weapp-aria/index.js')],
  framework: 'react',
  compiler: 'webpack5',
  cache,
  // The H5 build's icon (a mini-program has its host's); index.html links it.
  copy:
    process.env.TARO_ENV === 'h5'
      ? { patterns: [{ from: 'src/favicon.svg', to: 'dist/h5/favicon.svg' }], options: {} }
      : { patterns: [], options: {} },
  mini: {
    compile: { include: [sharedSource] },
    postcss: {
      pxtransform: { enable: true, config: { selectorBlackList: ELDERLY_SELECTORS } },
      cssModules: { enable: false },
    },
  },
  h5: {
    publicPath: '/',
    webpackChain(chain) {
      chain.plugin('precompress').use(PrecompressPlugin, [/pages\/index\/index$/]);
      // shared/ has no import-time effects: a page gets only the parts of it that it uses
      // (the home page needs the six matters, not every department contract).
      chain.module.rule('shared-without-side-effects').test(sharedSource).set('sideEffects', false);
      // Taro splits only what the first page loads; every page chunk would carry its own
      // copy of shared/ and the validators. Modules two or more pages use go in common chunks.
      const split = chain.optimization.get('splitChunks');
      if (!split) return;
      chain.optimization.splitChunks({
        ...split,
        cacheGroups: {
          ...split.cacheGroups,
          pagesCommon: { chunks: 'async', minChunks: 2, priority: 5, reuseExistingChunk: true },
        },
      });
    },
    // Served from the site root. Leave basename unset: Taro hands it to its router as a
    // prefix to strip, and '/' strips the leading slash so no page matches (blank page).
    router: { mode: 'browser' },
    compile: { include: [sharedSource] },
    output: {
      filename: 'js/[name].[contenthash:8].js',
      chunkFilename: 'js/[name].[contenthash:8].js',
    },
    miniCssExtractPluginOption: {
      ignoreOrder: true,
      filename: 'css/[name].[contenthash:8].css',
      chunkFilename: 'css/[name].[contenthash:8].css',
    },
    postcss: {
      pxtransform: { enable: true, config: { selectorBlackList: ELDERLY_SELECTORS } },
      autoprefixer: { enable: true, config: {} },
      cssModules: { enable: false },
    },
  },
});
