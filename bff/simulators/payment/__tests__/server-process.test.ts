import { startServerProcess } from '../../identity/__tests__/spawn-server';

describe('payment server.ts', () => {
  it('starts as a real process, serves its OpenAPI document, and exits 0 on SIGTERM', async () => {
    const server = await startServerProcess('payment');
    try {
      const response = await fetch(`${server.url}/openapi.json`);
      expect(response.status).toBe(200);
      const doc = (await response.json()) as { info: { title: string }; paths: Record<string, unknown> };
      expect(doc.info.title).toBe('我的宁夏 · 统一支付（模拟）');
      expect(Object.keys(doc.paths)).toContain('/payment/v1/orders');
      expect(await server.stop()).toBe(0);
    } finally {
      await server.stop();
      await server.dropDatabase();
    }
  }, 30_000);
});
