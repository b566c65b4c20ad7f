// 提交前的核验: whether the eligibility check and the face check still stand
// (by the server's clock), each with what to do when it does not — the face
// check is redone right here, so nothing already paid or typed is lost.
import { View } from '@tarojs/components';
import { useState } from 'react';
import type { SubmissionCheckView } from '@flexins/shared';
import { checkFace } from '../platform/face';
import { chinaDateTime } from '../services/format';
import { messageOf } from '../services/http';
import { go, ROUTES } from '../services/nav';
import { ActionButton, ErrorNotice } from './controls';

const until = (iso: string | undefined) => (iso ? chinaDateTime(iso).slice(11) : '');

export function SubmissionChecks({
  checks,
  onFaceChecked,
}: {
  checks: SubmissionCheckView;
  onFaceChecked: (checkId: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const blocker = (action: 'eligibility' | 'faceCheck') => checks.blockers.find((b) => b.action === action);
  const eligibility = blocker('eligibility');
  const face = blocker('faceCheck');

  async function redoFace() {
    setBusy(true);
    setError(undefined);
    try {
      const result = await checkFace();
      if (result.passed) onFaceChecked(result.checkId);
      else setError(result.reason ?? '人脸核验没有通过，可以再试一次；多次不通过请到人社窗口办理或拨打 12333');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View
      className={`card${checks.ready ? ' card--good' : ' card--attention'}`}
      data-testid="submission-checks"
      data-ready={checks.ready ? 'yes' : 'no'}
    >
      <View className="card__title">提交前的核验</View>
      {eligibility ? (
        <View role="alert">
          <View className="text">⚠ {eligibility.message}</View>
          <ActionButton small kind="secondary" onTap={() => go(ROUTES.eligibility)} testId="redo-eligibility">
            重新核验申报条件
          </ActionButton>
        </View>
      ) : (
        <View className="text">✓ 申报条件核验有效（到 {until(checks.eligibility.validUntil)}）</View>
      )}
      {face ? (
        <View role="alert">
          <View className="text">⚠ {face.message}</View>
          {error && <ErrorNotice message={error} />}
          <ActionButton small onTap={() => void redoFace()} busy={busy} testId="redo-face-check">
            {busy ? '正在核验…' : '重新人脸核验'}
          </ActionButton>
        </View>
      ) : (
        <View className="text">✓ 人脸核验有效（到 {until(checks.faceCheck.validUntil)}）</View>
      )}
    </View>
  );
}
