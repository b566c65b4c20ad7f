// Sizes of the mini-app: the mini-program's main package and each
// sub-package (WeChat refuses a main package or a sub-package over 2 MB, and
// a whole app over 20 MB), and the H5 build: its first screen as the BFF sends
// it (the build's brotli copies), all JavaScript and CSS gzipped.
// `node --import tsx scripts/miniapp-size.ts` after the builds; `npm test`
// runs it and fails when a limit is passed.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { H5_DIST_DIR, WEAPP_DIST_DIR } from './paths';

export const PACKAGE_LIMIT_BYTES = 2 * 1024 * 1024;
export const APP_LIMIT_BYTES = 20 * 1024 * 1024;

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    // Our build stamp is not uploaded.
    return entry.name.startsWith('.') ? [] : [full];
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export interface WeappSizes {
  main: number;
  subPackages: { root: string; bytes: number }[];
  total: number;
}

export function weappSizes(dir: string = WEAPP_DIST_DIR): WeappSizes {
  const app = JSON.parse(fs.readFileSync(path.join(dir, 'app.json'), 'utf8')) as {
    subPackages?: { root: string }[];
  };
  const roots = (app.subPackages ?? []).map((p) => p.root.replace(/\/$/, ''));
  const subPackages = roots.map((root) => ({ root, bytes: 0 }));
  let main = 0;
  for (const file of filesUnder(dir)) {
    const relative = path.relative(dir, file).split(path.sep).join('/');
    const bytes = fs.statSync(file).size;
    const sub = subPackages.find((p) => relative.startsWith(`${p.root}/`));
    if (sub) sub.bytes += bytes;
    else main += bytes;
  }
  return { main, subPackages, total: main + subPackages.reduce((sum, p) => sum + p.bytes, 0) };
}

export interface H5Sizes {
  /**
   * The first screen as sent to a browser that accepts brotli: index.html, the entry's
   * scripts and styles and the first page's chunks (the build lists them in
   * first-screen.json), each file's .br copy where the build made one. Bodies only.
   */
  firstScreenBrotli: number;
  jsGzip: number;
  cssGzip: number;
}

export function h5Sizes(dir: string = H5_DIST_DIR): H5Sizes {
  const gzip = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
  const sent = (file: string) => fs.statSync(fs.existsSync(`${file}.br`) ? `${file}.br` : file).size;
  const files = filesUnder(dir);
  const firstScreen = JSON.parse(fs.readFileSync(path.join(dir, 'first-screen.json'), 'utf8')) as string[];
  return {
    firstScreenBrotli: firstScreen.reduce((sum, f) => sum + sent(path.join(dir, f)), 0),
    jsGzip: files.filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzip(f), 0),
    cssGzip: files.filter((f) => f.endsWith('.css')).reduce((sum, f) => sum + gzip(f), 0),
  };
}

/** Prints the sizes; false when a mini-program limit is passed. */
export function reportMiniappSizes(log: (line: string) => void = console.log): boolean {
  const weapp = weappSizes();
  let ok = true;
  log('小程序包大小（weapp）：');
  const line = (name: string, bytes: number, limit: number) => {
    const over = bytes > limit;
    if (over) ok = false;
    log(
      `  ${name.padEnd(12)} ${kb(bytes).padStart(10)}  ${over ? `超过上限 ${kb(limit)}！` : `（上限 ${kb(limit)}）`}`,
    );
  };
  line('主包', weapp.main, PACKAGE_LIMIT_BYTES);
  for (const sub of weapp.subPackages) line(`分包 ${sub.root}`, sub.bytes, PACKAGE_LIMIT_BYTES);
  line('合计', weapp.total, APP_LIMIT_BYTES);
  if (fs.existsSync(path.join(H5_DIST_DIR, 'index.html'))) {
    const h5 = h5Sizes();
    log(
      `H5：首屏传输 ${kb(h5.firstScreenBrotli)}（brotli），全部 JS ${kb(h5.jsGzip)}（gzip），全部 CSS ${kb(h5.cssGzip)}（gzip）`,
    );
  }
  return ok;
}

if (require.main === module) {
  if (!reportMiniappSizes()) process.exit(1);
}
