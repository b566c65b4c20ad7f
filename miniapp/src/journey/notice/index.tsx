import { View } from '@tarojs/components';
import { useState } from 'react';
import type { Notice } from '@flexins/shared';
import { ActionButton, CheckBox, ErrorNotice, Loading, SectionTitle } from '../../components/controls';
import { NoticeBody } from '../../components/NoticeBody';
import { Page } from '../../components/Page';
import { api } from '../../services/api';
import { loadDraft, saveNow, updateDraft } from '../../services/draft';
import { messageOf } from '../../services/http';
import { forward, pageParams, replace, ROUTES } from '../../services/nav';
import { resumeTarget } from '../resume';
import { useRemote } from '../../services/remote';

/**
 * 一次告知: everything told once, and the consent to share data, ticked explicitly.
 * Sent here by the entry page with `?resume=1`, it first sends a citizen who had agreed to it
 * on to the step they left (继续填写).
 */
export default function NoticePage() {
  const remote = useRemote(async () => {
    // The draft is asked for only when there may be something to pick up: the notice is not held up for it.
    const resume = pageParams().resume === '1';
    const [{ notice }, draft] = await Promise.all([api.notice(), resume ? loadDraft() : undefined]);
    const target = draft ? await resumeTarget(draft, notice.version) : undefined;
    if (target) replace(target.route, { ...target.params, resume: '1' });
    return { notice, leaving: target !== undefined };
  });
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
      forward(ROUTES.eligibility);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title="办理前请先阅读：一次告知">
      {(remote.loading || remote.data?.leaving) && <Loading />}
      {remote.error && <ErrorNotice message={remote.error} onRetry={remote.reload} />}
      {remote.data && !remote.data.leaving && (
        <View>
          <NoticeBody notice={remote.data.notice} />
          <SectionTitle>数据共享授权</SectionTitle>
          <View className="text">{remote.data.notice.consentText}</View>
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
          {error && <ErrorNotice message={error} onRetry={() => void agree(remote.data!.notice)} />}
          <ActionButton onTap={() => void agree(remote.data!.notice)} busy={busy} testId="agree">
            同意并继续
          </ActionButton>
        </View>
      )}
    </Page>
  );
}
