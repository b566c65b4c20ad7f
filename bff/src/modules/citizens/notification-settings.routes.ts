// The citizen's switches for the messages outside the app.
import Router from '@koa/router';
import type { NotificationSettingsView } from '@flexins/shared';
import { auth, type CitizenState } from '../../platform/auth';
import { documented } from '../../platform/openapi';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';
import { applicantModel } from './applicant.model';
import { changeNotificationSettings, notificationSettings } from './notification-settings';

const NOTIFICATION_SETTINGS_REQUEST = {
  type: 'object',
  title: '消息提醒设置',
  properties: {
    sms: { type: 'boolean', title: '短信提醒' },
    subscription: { type: 'boolean', title: '“我的宁夏”订阅消息' },
  },
  additionalProperties: false,
} as const;

export function notificationSettingsRoutes(services: Services): Router {
  const router = new Router();
  const applicants = applicantModel(services.db);

  documented(
    router,
    {
      method: 'get',
      path: '/api/me/notification-settings',
      summary: '消息提醒设置：办理进度是否同时用短信、“我的宁夏”订阅消息通知',
      errors: [],
    },
    auth('citizen'),
    async (ctx) => {
      ctx.body = await notificationSettings(applicants, (ctx.state as CitizenState).citizen.applicantId);
    },
  );

  documented(
    router,
    {
      method: 'put',
      path: '/api/me/notification-settings',
      summary: '打开或关闭短信、订阅消息提醒（站内消息始终保留）',
      errors: [],
    },
    auth('citizen'),
    validate<Partial<NotificationSettingsView>>(NOTIFICATION_SETTINGS_REQUEST),
    async (ctx) => {
      ctx.body = await changeNotificationSettings(
        applicants,
        (ctx.state as CitizenState).citizen.applicantId,
        (ctx.state as InputState<Partial<NotificationSettingsView>>).input,
      );
    },
  );

  return router;
}
