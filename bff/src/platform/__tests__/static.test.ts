import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import request from 'supertest';
import { createApp } from '../../app';
import { createLogger } from '@flexins/shared/server';
import { useTestDatabase } from '../../../test/database';

const db = useTestDatabase();
const h5Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h5-'));
fs.writeFileSync(path.join(h5Dir, 'index.html'), '<!doctype html><title>灵活就业参保</title>');
fs.mkdirSync(path.join(h5Dir, 'js'));
fs.writeFileSync(path.join(h5Dir, 'js', 'app.0123abcd.js'), 'console.log(1)');
// As the build leaves them: each text file with its brotli and gzip copies beside it.
const script = `console.log(${JSON.stringify('灵活就业参保'.repeat(50))});`;
fs.writeFileSync(path.join(h5Dir, 'js', 'page.89abcdef.js'), script);
fs.writeFileSync(path.join(h5Dir, 'js', 'page.89abcdef.js.br'), zlib.brotliCompressSync(script));
fs.writeFileSync(path.join(h5Dir, 'js', 'page.89abcdef.js.gz'), zlib.gzipSync(script));
const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>';
fs.writeFileSync(path.join(h5Dir, 'favicon.svg'), svg);

function app() {
  return createApp({ db: db.connection, logger: createLogger('error', () => {}), h5Dir }).callback();
}

describe('serving the H5 build', () => {
  it('serves index.html at the root', async () => {
    const res = await request(app()).get('/').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('灵活就业参保');
  });

  it('falls back to index.html for a page route the browser router owns', async () => {
    const res = await request(app()).get('/pages/index/index').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('serves hashed assets with a long cache', async () => {
    const res = await request(app()).get('/js/app.0123abcd.js');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('never answers an API path with the page', async () => {
    const res = await request(app()).get('/api/unknown').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('does not serve files outside the build folder', async () => {
    const res = await request(app()).get('/../package.json');
    expect(res.text).not.toContain('"name"');
  });

  describe('sending the precompressed copies', () => {
    // Over plain node:http: supertest asks for gzip itself and unpacks what comes back.
    let server: http.Server;
    beforeAll(async () => {
      server = http.createServer(app()).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    function get(urlPath: string, acceptEncoding?: string) {
      const { port } = server.address() as { port: number };
      const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
      return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: urlPath, headers, agent: false }, (reply) => {
            const chunks: Buffer[] = [];
            reply.on('data', (chunk: Buffer) => chunks.push(chunk));
            reply.on('end', () => resolve({ headers: reply.headers, body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    }

    it('sends the brotli copy to a browser that accepts br', async () => {
      const res = await get('/js/page.89abcdef.js', 'gzip, deflate, br');
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toContain('text/javascript');
      expect(res.headers.vary).toContain('Accept-Encoding');
      expect(res.headers['cache-control']).toContain('immutable');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(res.body.length).toBeLessThan(Buffer.byteLength(script));
      expect(zlib.brotliDecompressSync(res.body).toString()).toBe(script);
    });

    it('sends the gzip copy to a browser that accepts gzip but not br', async () => {
      const res = await get('/js/page.89abcdef.js', 'gzip, deflate');
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['content-type']).toContain('text/javascript');
      expect(res.headers.vary).toContain('Accept-Encoding');
      expect(zlib.gunzipSync(res.body).toString()).toBe(script);
    });

    it('sends the file as it is to a client that asks for no encoding', async () => {
      const res = await get('/js/page.89abcdef.js', 'identity');
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toContain('Accept-Encoding');
      expect(res.body.toString()).toBe(script);
    });

    it('sends the file as it is to a client that sends no Accept-Encoding', async () => {
      const res = await get('/js/page.89abcdef.js');
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.toString()).toBe(script);
    });

    it('sends the file as it is when the build left no copy of it', async () => {
      const res = await get('/js/app.0123abcd.js', 'br');
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.toString()).toBe('console.log(1)');
    });
  });

  it('serves the icon the page links to', async () => {
    const res = await request(app()).get('/favicon.svg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
  });
});
