import type { MessageList, MessagesMarkedRead } from '@flexins/shared';
import Router from '@koa/router';
import { auth, type CitizenState } from '../../platform/auth';
import { documented } from '../../platform/openapi';
import type { Services } from '../../services';

export function messageRoutes(services: Services): Router {
  const router = new Router();
  documented(
    router,
    { method: 'get', path: '/api/messages', summary: '站内消息：每次办理状态变化都会通知', errors: [] },
    auth('citizen'),
    async (ctx) => {
      ctx.body = {
        messages: await services.messages.list((ctx.state as CitizenState).citizen.applicantId),
      } satisfies MessageList;
    },
  );
  documented(
    router,
    { method: 'post', path: '/api/messages/read', summary: '全部标为已读', errors: [] },
    auth('citizen'),
    async (ctx) => {
      ctx.body = {
        marked: await services.messages.markAllRead((ctx.state as CitizenState).citizen.applicantId),
      } satisfies MessagesMarkedRead;
    },
  );
  return router;
}
