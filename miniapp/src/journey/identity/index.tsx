import { View } from '@tarojs/components';
import { useState } from 'react';
import { describeRegion, fullAddress, type FaceCheckView, type MeView } from '@flexins/shared';
import { ActionButton, ErrorNotice, Loading, Pairs, SectionTitle } from '../../components/controls';
import { HelpLine } from '../../components/HelpLine';
import { Page } from '../../components/Page';
import { ResumeBanner } from '../../components/ResumeBanner';
import { checkFace } from '../../platform/face';
import { api } from '../../services/api';
import { updateDraft } from '../../services/draft';
import { ApiError, messageOf } from '../../services/http';
import { forward, replace, resuming, ROUTES } from '../../services/nav';
import { useRemote } from '../../services/remote';
import './index.css';

function RealName({ me }: { me: MeView }) {
  return (
    <Pairs
      rows={[
        { label: '姓名', value: me.name },
        { label: '身份证号码', value: me.idNumber },
        { label: '性别', value: me.sex },
        { label: '出生日期', value: me.birthDate },
        { label: '民族', value: me.ethnicity },
        { label: '户籍地', value: fullAddress(describeRegion(me.household.regionCode), me.household.address) },
        ...(me.residencePermit
          ? [
              {
                label: '居住证',
                value: `${describeRegion(me.residencePermit.regionCode) ?? ''}，有效期至 ${me.residencePermit.validUntil}`,
              },
            ]
          : []),
        { label: '手机号码', value: me.phone },
        { label: '证件照片', value: me.hasPhoto ? '已从公安部门取得，用于制作社保卡' : '暂未取得' },
      ]}
    />
  );
}

/** 实名核对 and the face check: the platform's data to confirm, then a live face. */
export default function IdentityPage() {
  const me = useRemote(() => api.me());
  const [scan, setScan] = useState<'idle' | 'scanning'>('idle');
  const [resumed] = useState(resuming);
  const [result, setResult] = useState<FaceCheckView>();
  const [error, setError] = useState<string>();

  // A passed check lapses after 30 minutes: only one that can still be used counts as passed here.
  const standing = me.data?.faceCheck?.passed && me.data.faceCheck.current ? me.data.faceCheck : undefined;
  const lapsed = !result && me.data?.faceCheck?.passed && !me.data.faceCheck.current;
  const passed = result?.passed ?? Boolean(standing);
  const passedCheckId = result?.passed ? result.checkId : standing?.checkId;

  async function startFaceCheck() {
    setScan('scanning');
    setError(undefined);
    try {
      const checked = await checkFace();
      setResult(checked);
      if (checked.passed) updateDraft((d) => ({ ...d, faceCheckId: checked.checkId }));
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'signedOut') return replace(ROUTES.entry);
      setError(messageOf(err));
    } finally {
      setScan('idle');
    }
  }

  function next() {
    if (passedCheckId) updateDraft((d) => ({ ...d, faceCheckId: passedCheckId }));
    forward(ROUTES.form);
  }

  return (
    <Page title="核对身份">
      {resumed && <ResumeBanner text="上次填写的内容都保存着。请先做人脸核验，再接着填申请表。" />}
      {me.loading && <Loading />}
      {me.error && <ErrorNotice message={me.error} onRetry={me.reload} />}
      {me.data && (
        <View>
          <View className="text">以下信息由统一身份认证平台提供，不用您填写。请核对是否是您本人。</View>
          <RealName me={me.data} />
          <View className="text text--muted">信息不对？请拨打 12345 或到公安户籍窗口更正。</View>

          <SectionTitle>人脸核验</SectionTitle>
          {passed ? (
            <View className="card card--good" role="status">
              <View className="card__title">✓ 人脸核验已通过</View>
            </View>
          ) : (
            <View>
              <View className="face-frame" aria-hidden="true">
                <View className="face-frame__oval">{scan === 'scanning' ? '正在识别…' : '请把脸放在框内'}</View>
              </View>
              {lapsed && (
                <View className="text" role="status" data-testid="face-check-lapsed">
                  上次的人脸核验已超过 30 分钟，为保护您的账户安全，请重新核验。
                </View>
              )}
              <View className="text">请在光线充足的地方，正对手机屏幕，按提示眨眨眼。</View>
              {result && !result.passed && (
                <View className="card card--bad" role="alert">
                  <View className="card__title">✗ 人脸核验没有通过</View>
                  <View className="text">{result.reason ?? '没有认出是您本人。'}</View>
                  <View className="text">
                    可以再试一次；如果多次不通过，请带上身份证到户籍或居住地所在县（区）人社窗口办理，或拨打 12333
                    咨询。
                  </View>
                </View>
              )}
              {error && <ErrorNotice message={error} onRetry={() => void startFaceCheck()} />}
              <ActionButton onTap={() => void startFaceCheck()} busy={scan === 'scanning'} testId="face-check">
                {scan === 'scanning' ? '正在核验…' : result ? '再试一次' : '开始人脸核验'}
              </ActionButton>
              {result && !result.passed && <HelpLine />}
            </View>
          )}
          {passed && (
            <ActionButton onTap={next} testId="next">
              信息无误，下一步：填写申请表
            </ActionButton>
          )}
        </View>
      )}
    </Page>
  );
}
