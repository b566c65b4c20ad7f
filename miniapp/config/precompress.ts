// Writes a brotli (.br) and a gzip (.gz) copy beside every text asset of the H5
// build, once at build time at the strongest settings, so the BFF sends the copy
// the browser accepts without compressing anything per request. Also writes
// first-screen.json: the files the first page loads (the entry's and its own
// chunks), for the size report, and has index.html preload the chunks of the
// page it is opened at.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Compiler } from 'webpack';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;

export const FIRST_SCREEN_MANIFEST = 'first-screen.json';

/** A page's module as Taro's router imports it: `pages/index/index`, `journey/form/index`. */
const PAGE_MODULE = /((?:pages|journey|case|staff)\/[a-z-]+\/index)(?:\.tsx?)?$/;

/** Runs first in index.html: preloads the chunks of the page at this address (the home page's at `/`). */
function preloadScript(chunksByPage: Record<string, string[]>, home: string): string {
  const map = JSON.stringify({ ...chunksByPage, '/': chunksByPage[home] });
  return (
    `(function(){var f=${map}[location.pathname]||[];` +
    `for(var i=0;i<f.length;i++){var l=document.createElement('link');l.rel='preload';` +
    `l.as=/\\.js$/.test(f[i])?'script':'style';l.href='/'+f[i];document.head.appendChild(l)}})()`
  );
}

export class PrecompressPlugin {
  /** `firstPage`: the module of the page the app opens on (app.config's first page). */
  constructor(private readonly firstPage: RegExp) {}

  apply(compiler: Compiler): void {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('PrecompressPlugin', (compilation) => {
      compilation.hooks.processAssets.tapPromise(
        // After index.html (html-webpack-plugin emits at OPTIMIZE_INLINE) and minification.
        { name: 'PrecompressPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_TRANSFER },
        async (assets) => {
          const firstPageGroup = compilation.chunkGroups.find((group) =>
            group.origins.some((origin) => origin.request && this.firstPage.test(origin.request)),
          );
          const entryFiles = [...compilation.entrypoints.values()].flatMap((entry) => entry.getFiles());
          const firstScreen = ['index.html', ...new Set([...entryFiles, ...(firstPageGroup?.getFiles() ?? [])])];
          compilation.emitAsset(FIRST_SCREEN_MANIFEST, new sources.RawSource(JSON.stringify(firstScreen)));
          // A page's chunks are asked for only once the entry has run. index.html (the same
          // document for every address) names them by the address it is opened at, so they
          // come down beside the entry: the home page's, or the form's when a citizen comes
          // back to it, or the staff look-up's.
          const html = compilation.getAsset('index.html');
          const chunksByPage: Record<string, string[]> = {};
          for (const group of compilation.chunkGroups) {
            for (const origin of group.origins) {
              const page = PAGE_MODULE.exec(origin.request ?? '')?.[1];
              if (!page) continue;
              const files = group.getFiles().filter((f) => !entryFiles.includes(f) && /\.(js|css)$/.test(f));
              chunksByPage[`/${page}`] = [...new Set([...(chunksByPage[`/${page}`] ?? []), ...files])];
            }
          }
          const home = Object.keys(chunksByPage).find((page) => this.firstPage.test(page));
          if (html && home) {
            const script = `<script>${preloadScript(chunksByPage, home)}</script>`;
            const page = html.source.source().toString().replace('</head>', `${script}</head>`);
            compilation.updateAsset('index.html', new sources.RawSource(page));
          }
          const names = Object.keys(assets).filter((name) => COMPRESSIBLE.test(name));
          await Promise.all(
            names.map(async (name) => {
              const original = compilation.getAsset(name)!.source.buffer();
              const [br, gz] = await Promise.all([
                brotli(original, {
                  params: {
                    [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
                    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
                    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: original.length,
                  },
                }),
                gzip(original, { level: zlib.constants.Z_BEST_COMPRESSION }),
              ]);
              // A copy no smaller than the original is not worth a variant.
              if (br.length < original.length) compilation.emitAsset(`${name}.br`, new sources.RawSource(br));
              if (gz.length < original.length) compilation.emitAsset(`${name}.gz`, new sources.RawSource(gz));
            }),
          );
        },
      );
    });
  }
}
