import { startServerProcess } from './spawn-server';

describe('identity server.ts', () => {
  it('starts as a real process, serves its OpenAPI document, and exits 0 on SIGTERM', async () => {
    const server = await startServerProcess('identity');
    try {
      const response = await fetch(`${server.url}/openapi.json`);
      expect(response.status).toBe(200);
      const doc = (await response.json()) as { info: { title: string }; paths: Record<string, unknown> };
      expect(doc.info.title).toBe('我的宁夏 · 统一身份认证平台（模拟）');
      expect(Object.keys(doc.paths)).toContain('/identity/v1/code-exchanges');
      expect(await server.stop()).toBe(0);
    } finally {
      await server.stop();
      await server.dropDatabase();
    }
  }, 30_000);
});
