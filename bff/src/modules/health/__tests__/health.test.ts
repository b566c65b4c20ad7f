import request from 'supertest';
import { createApp } from '../../../app';
import { connectDatabase } from '../../../platform/database';
import { createLogger } from '@flexins/shared/server';
import { testDatabaseUri, useTestDatabase } from '../../../../test/database';

const db = useTestDatabase();
const quiet = createLogger('error', () => {});

describe('health checks', () => {
  it('GET /healthz says the process is alive', async () => {
    const res = await request(createApp({ db: db.connection, logger: quiet }).callback()).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz is 200 when the database answers', async () => {
    const res = await request(createApp({ db: db.connection, logger: quiet }).callback()).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  it('GET /readyz is 503 with the reason when the database is gone', async () => {
    const lost = await connectDatabase(testDatabaseUri(), db.name);
    await lost.close();
    const res = await request(createApp({ db: lost, logger: quiet }).callback()).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('unavailable');
    expect(res.body.reason).toContain('数据库');
  });

  it('GET /readyz is 503 while shutting down', async () => {
    const app = createApp({ db: db.connection, logger: quiet, isShuttingDown: () => true });
    const res = await request(app.callback()).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.reason).toBe('服务正在停止');
  });
});
