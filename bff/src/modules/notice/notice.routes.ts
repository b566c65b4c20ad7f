import { NOTICE, MANIFEST, type NoticeReply } from '@flexins/shared';
import Router from '@koa/router';
import { documented } from '../../platform/openapi';

export function noticeRoutes(): Router {
  const router = new Router();
  documented(
    router,
    {
      method: 'get',
      path: '/api/notice',
      summary: '一次告知：六个事项、条件、时限、费用、数据共享清单（带版本号）',
      errors: [],
    },
    (ctx) => {
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = { notice: NOTICE, manifest: MANIFEST } satisfies NoticeReply;
    },
  );
  return router;
}
