import { View } from '@tarojs/components';
import { useState } from 'react';
import { type Notice } from '@flexins/shared';
import { ActionButton, CheckBox, ErrorNotice, Loading, Pairs, SectionTitle } from '../../components/controls';
import { Page } from '../../components/Page';
import { api } from '../../services/api';
import { loadDraft, saveNow, updateDraft } from '../../services/draft';
import { messageOf } from '../../services/http';
import { replace, ROUTES } from '../../services/nav';
import { useRemote } from '../../services/remote';

function NoticeBody({ notice }: { notice: Notice }) {
  return (
    <View>
      <View className="text">{notice.intro}</View>
      <View className="text text--muted">告知书版本：{notice.version}</View>

      <SectionTitle>一次办好的六个事项</SectionTitle>
      <View role="list">
        {notice.matters.map((matter, index) => (
          <View key={matter.id} className="card" role="listitem">
            <View className="card__title">
              {index + 1}. {matter.name}
            </View>
            <View className="text">{matter.whatItDoes}</View>
            <Pairs
              rows={[
                { label: '办理部门', value: matter.department },
                { label: '办理时限', value: `立即办理（原来最长 ${matter.statutoryLimitDays} 个工作日）` },
                { label: '费用', value: matter.fee.text },
              ]}
            />
            {matter.conditions.map((condition) => (
              <View key={condition} className="text text--muted">
                条件：{condition}
              </View>
            ))}
          </View>
        ))}
      </View>

      <SectionTitle>所有事项都要满足的条件</SectionTitle>
      {notice.generalConditions.map((condition) => (
        <View key={condition} className="text">
          · {condition}
        </View>
      ))}

      <SectionTitle>{notice.materials.summary}</SectionTitle>
      <View className="text">{notice.materials.explanation}</View>

      <SectionTitle>这些信息自动带出，不用您填</SectionTitle>
      <Pairs rows={notice.prefill.map((p) => ({ label: p.field, value: p.source }))} />

      <SectionTitle>各部门收到您的哪些信息</SectionTitle>
      {Object.values(notice.dataSharing).map((entry) => (
        <View key={entry.recipient} className="card">
          <View className="card__title">{entry.name}</View>
          <View className="text">{entry.fields.map((f) => f.label).join('、')}</View>
          {entry.note && <View className="text text--muted">{entry.note}</View>}
        </View>
      ))}

      <SectionTitle>需要到窗口办理的情况</SectionTitle>
      {notice.offline.map((item) => (
        <View key={item.what} className="card">
          <View className="card__title">{item.what}</View>
          <View className="text">{item.where}</View>
          <View className="text text--muted">{item.note}</View>
        </View>
      ))}
    </View>
  );
}

/** 一次告知: everything told once, and the consent to share data, ticked explicitly. */
export default function NoticePage() {
  const remote = useRemote(async () => (await api.notice()).notice);
  const [agreed, setAgreed] = useState(false);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function agree(notice: Notice) {
    if (!agreed) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await loadDraft();
      updateDraft((draft) => ({ ...draft, consent: { noticeVersion: notice.version, agreed: true } }));
      await saveNow();
      replace(ROUTES.eligibility);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title="办理前请先阅读：一次告知">
      {remote.loading && <Loading />}
      {remote.error && <ErrorNotice message={remote.error} onRetry={remote.reload} />}
      {remote.data && (
        <View>
          <NoticeBody notice={remote.data} />
          <SectionTitle>数据共享授权</SectionTitle>
          <View className="text">{remote.data.consentText}</View>
          <CheckBox
            id="consent"
            label="我已阅读并同意以上告知和数据共享授权"
            checked={agreed}
            onChange={(on) => {
              setAgreed(on);
              setMissing(false);
            }}
            error={missing ? '请先勾选“我已阅读并同意”，才能继续办理' : undefined}
          />
          {error && <ErrorNotice message={error} onRetry={() => void agree(remote.data!)} />}
          <ActionButton onTap={() => void agree(remote.data!)} busy={busy} testId="agree">
            同意并继续
          </ActionButton>
        </View>
      )}
    </Page>
  );
}
