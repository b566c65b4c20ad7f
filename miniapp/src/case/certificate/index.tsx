import { View } from '@tarojs/components';
import { ErrorNotice, Loading, Pairs, SectionTitle } from '../../components/controls';
import { Page } from '../../components/Page';
import { QrCode } from '../../components/QrCode';
import { api } from '../../services/api';
import { API_BASE } from '../../services/config';
import { chinaDateTime } from '../../services/format';
import { pageParams, ROUTES, urlOf } from '../../services/nav';
import { useRemote } from '../../services/remote';
import { REF_LABELS } from '../../text';

/** Where anyone can check a certificate: our own page, which asks the BFF for the masked summary. */
function verifyUrl(code: string): string {
  const origin = process.env.TARO_ENV === 'h5' ? window.location.origin : API_BASE;
  return `${origin}${urlOf(ROUTES.verify, { code })}`;
}

const OUTCOMES: Record<string, string> = {
  delivered: '已办结',
  notNeeded: '无需办理',
  rejected: '不予办理',
  decided: '已核定',
  manual: '人工处理中',
};

/** 办结凭证: every outcome and number, and the verification code as a QR code. */
export default function CertificatePage() {
  const caseNo = pageParams().caseNo;
  const remote = useRemote(async () => (caseNo ? api.case(caseNo) : (await api.currentCase()).application));
  const view = remote.data;
  return (
    <Page title="办结凭证">
      {remote.loading && <Loading />}
      {remote.error && <ErrorNotice message={remote.error} onRetry={remote.reload} />}
      {view && !view.certificate && <View className="text">六个事项全部办结后才有办结凭证，请稍后再看。</View>}
      {view?.certificate && (
        <View>
          <View className="card card--good">
            <View className="card__title">灵活就业参保“一件事”办结凭证</View>
            <Pairs
              rows={[
                { label: '申请编号', value: view.caseNo },
                { label: '申请人', value: view.applicantName },
                { label: '办结时间', value: chinaDateTime(view.completedAt ?? view.certificate.issuedAt) },
                { label: '核验码', value: view.certificate.code },
              ]}
            />
            <QrCode
              text={verifyUrl(view.certificate.code)}
              label={`办结凭证核验二维码，核验码 ${view.certificate.code}`}
            />
            <View className="text text--muted">
              用手机扫这个二维码，或在本服务输入核验码 {view.certificate.code}，可以核验这份凭证的真伪。
            </View>
          </View>
          <SectionTitle>各事项办理结果</SectionTitle>
          {view.matters.map((m) => (
            <View key={m.id} className="card" data-matter={m.id}>
              <View className="card__title">
                {m.state === 'delivered' ? '✓' : '－'} {m.name}：{OUTCOMES[m.state] ?? m.stateLabel}
              </View>
              <Pairs rows={Object.entries(m.refs).map(([k, v]) => ({ label: REF_LABELS[k] ?? k, value: v }))} />
            </View>
          ))}
        </View>
      )}
    </Page>
  );
}
