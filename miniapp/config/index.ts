import path from 'node:path';
import { defineConfig } from '@tarojs/cli';
import { PrecompressPlugin } from './precompress';
import { ChunkStatsPlugin } from './stats';

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

// Taro's H5 sizes are rem: 1 rem is 40 design pixels, so 20–40 CSS px on a 375–750 px wide
// screen. Taro's own head script takes the smaller of the page's width and its height, and in
// the head the page is still a few pixels tall: the first paint used 20 px, then a resize event
// set 22 px on a 412 px phone and everything moved (layout shift 0.08–0.14 on every page). The
// width of the viewport is known in the head already and does not change as the page grows.
const ROOT_FONT_SCRIPT =
  '!function(n){function f(){var e=n.document.documentElement,x=40*(e.clientWidth||n.innerWidth)/750;' +
  'e.style.fontSize=(x>=40?40:x<=20?20:x)+"px"}n.addEventListener("resize",function(){f();setTimeout(f,500)});f()}(window);';

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
    // A mini-program loads no script at run time: the H5 build's lazy parts (import()) stay in
    // the chunk that asks for them.
    webpackChain(chain) {
      chain.module.set('parser', { javascript: { dynamicImportMode: 'eager' } });
    },
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
      if (process.env.FLEXINS_H5_STATS)
        chain.plugin('chunk-stats').use(ChunkStatsPlugin, [process.env.FLEXINS_H5_STATS]);
      // Taro's H5 entry imports the stylesheet of all its React components (13 KB: buttons,
      // pickers, weui icons), injected by style-loader as the app starts. Our H5 pages render
      // no Taro component but View (controls.tsx), which has no style of its own: left out.
      // webpack takes false for an empty module; webpack-chain's type names only paths.
      chain.resolve.alias.set('@tarojs/components-react/dist/index.css$', false as unknown as string);
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
          pagesCommon: { chunks: 'async', minChunks: 2, priority: 5, reuseExistingChunk: true, minSize: 40_000 },
        },
      });
    },
    // Served from the site root. Leave basename unset: Taro hands it to its router as a
    // prefix to strip, and '/' strips the leading slash so no page matches (blank page).
    router: { mode: 'browser' },
    htmlPluginOption: { script: ROOT_FONT_SCRIPT },
    // Taro's React components as plain HTML (a View is a div), not Stencil's custom elements:
    // our H5 pages use no Taro component but View, and a custom element each costs the phone
    // its own render after React's; Stencil's runtime (150 KB before minifying) leaves the entry.
    useHtmlComponents: true,
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
