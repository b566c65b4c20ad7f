import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../app';
import { createLogger } from '@flexins/shared/server';
import { useTestDatabase } from '../../../test/database';

const db = useTestDatabase();
const h5Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h5-'));
fs.writeFileSync(path.join(h5Dir, 'index.html'), '<!doctype html><title>灵活就业参保</title>');
fs.mkdirSync(path.join(h5Dir, 'js'));
fs.writeFileSync(path.join(h5Dir, 'js', 'app.0123abcd.js'), 'console.log(1)');

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
});
