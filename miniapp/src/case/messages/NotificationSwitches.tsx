import { View } from '@tarojs/components';
import { useState } from 'react';
import type { NotificationSettingsView } from '@flexins/shared';
import { CheckBox, ErrorNotice, SectionTitle } from '../../components/controls';
import { api } from '../../services/api';
import { useRemote } from '../../services/remote';

const SWITCHES: readonly { channel: keyof NotificationSettingsView; label: string }[] = [
  { channel: 'sms', label: '同时用短信通知我（发到实名登记的手机号）' },
  { channel: 'subscription', label: '同时用“我的宁夏”订阅消息通知我' },
];

/** The citizen's switches for the messages outside the app; the messages here always stay. */
export function NotificationSwitches() {
  const remote = useRemote(() => api.notificationSettings());
  const [saved, setSaved] = useState<NotificationSettingsView>();
  const [error, setError] = useState<string>();
  const settings = saved ?? remote.data;

  async function change(channel: keyof NotificationSettingsView, on: boolean) {
    setError(undefined);
    try {
      setSaved(await api.changeNotificationSettings({ [channel]: on }));
    } catch (err) {
      setError((err as Error).message || '没有保存成功，请稍后再试');
    }
  }

  if (!settings) return null;
  return (
    <View className="card" data-testid="notification-switches">
      <SectionTitle>消息提醒</SectionTitle>
      <View className="text text--muted">
        办理进度除了在这里显示，还可以用短信和订阅消息告诉您。晚上 10 点到早上 8
        点的提醒会等到早上再发（缴费截止提醒除外）。
      </View>
      {SWITCHES.map(({ channel, label }) => (
        <CheckBox
          key={channel}
          id={`notify-${channel}`}
          label={label}
          checked={settings[channel]}
          onChange={(on) => void change(channel, on)}
        />
      ))}
      {error && <ErrorNotice message={error} />}
    </View>
  );
}
