import { View } from '@tarojs/components';
import { PROBLEM_PROMISE } from '@flexins/shared';
import { useState } from 'react';
import { ActionButton, ChoiceGroup, ErrorNotice, TextField } from '../../components/controls';
import { Page } from '../../components/Page';
import { api } from '../../services/api';
import { ApiError, messageOf } from '../../services/http';
import { go, pageParams, replace, ROUTES } from '../../services/nav';
import { RATING_LABELS } from '../../text';

const SCORES = [5, 4, 3, 2, 1].map((score) => ({
  value: score,
  label: `${'★'.repeat(score)}${'☆'.repeat(5 - score)} ${RATING_LABELS[score]}`,
}));

/** 好差评: five levels and a comment, once the case is done; a low score is followed up. */
export default function RatingPage() {
  const caseNo = pageParams().caseNo ?? '';
  const [score, setScore] = useState<number>();
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<{ message: string; retry: boolean }>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<number>();

  async function send() {
    if (!score) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.rate(caseNo, score, comment.trim() || undefined);
      setDone(score);
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'signedOut') return replace(ROUTES.entry);
      setError({ message: messageOf(err), retry: !(err instanceof ApiError) || err.retryable });
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <Page title="评价服务">
        <View className="card card--good" role="status">
          <View className="card__title">✓ 感谢您的评价</View>
          {done <= 2 && (
            <View className="text">很抱歉让您不满意。工作人员会在{PROBLEM_PROMISE}联系您，了解情况并整改。</View>
          )}
        </View>
        <ActionButton kind="secondary" onTap={() => go(ROUTES.progress, { caseNo })}>
          回到办理结果
        </ActionButton>
      </Page>
    );
  }

  return (
    <Page title="评价服务">
      <View className="text">这次办理您满意吗？您的评价会帮助我们把服务做得更好。</View>
      <ChoiceGroup
        id="score"
        label="请选择满意程度"
        options={SCORES}
        value={score}
        onChange={(v) => {
          setScore(v);
          setMissing(false);
        }}
        error={missing ? '请先选择满意程度' : undefined}
      />
      <TextField
        id="comment"
        type="textarea"
        label="意见建议（可以不填）"
        value={comment}
        maxLength={500}
        onChange={setComment}
      />
      {error && <ErrorNotice message={error.message} onRetry={error.retry ? () => void send() : undefined} />}
      <ActionButton onTap={() => void send()} busy={busy} testId="send-rating">
        提交评价
      </ActionButton>
    </Page>
  );
}
