// Serves the mini-app's H5 build. Paths the router owns in the browser fall
// back to index.html; /api and the probes never do.
// The build writes a brotli (.br) and a gzip (.gz) copy beside each text file
// (miniapp/config/precompress.ts); the copy the browser accepts is sent as it is,
// nothing is compressed per request.
import fs from 'node:fs';
import path from 'node:path';
import type { Context, Next } from 'koa';
import send from 'koa-send';

const NEVER_HTML = /^\/(api|healthz|readyz|openapi\.json)(\/|$)/;
const YEAR_MS = 365 * 24 * 3600 * 1000;

export function serveH5(rootDir: string) {
  const root = path.resolve(rootDir);
  const options = { root, brotli: true, gzip: true };
  return async (ctx: Context, next: Next) => {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return;
    if (NEVER_HTML.test(ctx.path)) return;

    const file = path.join(root, ctx.path);
    const isAsset = file.startsWith(root) && fs.existsSync(file) && fs.statSync(file).isFile();
    if (isAsset) {
      // Built assets carry a content hash in their names: cache them for long.
      const hashed = /\.[0-9a-f]{8,}\.(js|css)$/.test(file);
      ctx.vary('Accept-Encoding');
      await send(ctx, ctx.path, { ...options, maxage: hashed ? YEAR_MS : 0, immutable: hashed });
    } else if (ctx.accepts('html') && !path.extname(ctx.path)) {
      ctx.vary('Accept-Encoding');
      ctx.set('Cache-Control', 'no-cache');
      await send(ctx, 'index.html', options);
    }
  };
}
