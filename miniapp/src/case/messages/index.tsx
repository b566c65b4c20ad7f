import { View } from '@tarojs/components';
import { ErrorNotice, Loading } from '../../components/controls';
import { Page } from '../../components/Page';
import { api } from '../../services/api';
import { chinaDateTime } from '../../services/format';
import { useRemote } from '../../services/remote';
import { NotificationSwitches } from './NotificationSwitches';

/** The in-app notices: one for every change of a matter; opening the page marks them read. Below, the switches for SMS and subscription messages. */
export default function MessagesPage() {
  const remote = useRemote(async () => {
    const { messages } = await api.messages();
    if (messages.some((m) => !m.read)) await api.markMessagesRead().catch(() => undefined);
    return messages;
  });
  return (
    <Page title="消息">
      {remote.loading && !remote.data && <Loading />}
      {remote.error && <ErrorNotice message={remote.error} onRetry={remote.reload} />}
      {remote.data?.length === 0 && <View className="text">还没有消息。</View>}
      <View role="list">
        {remote.data?.map((m) => (
          <View key={m.id} className="card" role="listitem">
            <View className="text text--muted">
              {chinaDateTime(m.createdAt)}
              {m.read ? '' : ' · 新消息'}
            </View>
            <View className="text">{m.text}</View>
          </View>
        ))}
      </View>
      <NotificationSwitches />
    </Page>
  );
}
