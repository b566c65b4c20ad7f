import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { VerificationView } from '@flexins/shared';
import { ActionButton, ErrorNotice, Pairs, TextField } from '../../components/controls';
import { Page } from '../../components/Page';
import { api } from '../../services/api';
import { chinaDateTime } from '../../services/format';
import { ApiError, messageOf } from '../../services/http';
import { pageParams } from '../../services/nav';

/** Public check of a certificate (what its QR code opens): a masked summary, no sign-in. */
export default function VerifyPage() {
  const [code, setCode] = useState(pageParams().code ?? '');
  const [found, setFound] = useState<VerificationView>();
  const [error, setError] = useState<{ message: string; retry: boolean }>();

  async function check(value: string) {
    setError(undefined);
    setFound(undefined);
    try {
      setFound(await api.verifyCertificate(value.trim()));
    } catch (err) {
      setError({ message: messageOf(err), retry: !(err instanceof ApiError) || err.retryable });
    }
  }

  useEffect(() => {
    if (code) void check(code);
  }, []);

  return (
    <Page title="核验办结凭证">
      <TextField id="code" label="核验码" hint="如 ABCD-EFGH-JKMN" value={code} onChange={setCode} maxLength={14} />
      <ActionButton onTap={() => void check(code)}>核验</ActionButton>
      {error && <ErrorNotice message={error.message} onRetry={error.retry ? () => void check(code) : undefined} />}
      {found && (
        <View className="card card--good" role="status">
          <View className="card__title">✓ 凭证真实有效</View>
          <Pairs
            rows={[
              { label: '申请编号', value: found.caseNo },
              { label: '申请人', value: `${found.applicant.name}（${found.applicant.idNumber}）` },
              { label: '办结时间', value: chinaDateTime(found.completedAt) },
              ...found.matters.map((m) => ({ label: m.name, value: m.outcome })),
            ]}
          />
        </View>
      )}
    </Page>
  );
}
