import { View } from '@tarojs/components';
import { useState } from 'react';
import type { StaffCaseSummary } from '@flexins/shared';
import { ActionButton, ChoiceGroup, ErrorNotice, TextField } from '../../components/controls';
import { chinaDateTime } from '../../services/format';
import { StaffPage } from '../components/StaffPage';
import { Cell, HeadRow } from '../components/Table';
import { staffApi, type LookupBy } from '../services/api';
import { normalizeLookup } from '../services/checks';
import { staffMessageOf } from '../services/http';
import { openStaffPage, STAFF_ROUTES } from '../services/nav';
import { CHANNEL_LABELS } from '../text';

const WAYS: readonly { value: LookupBy; label: string; hint: string }[] = [
  { value: 'caseNo', label: '办件编号', hint: 'LJ 加 14 位数字，例如 LJ20261129000012' },
  { value: 'idNumber', label: '身份证号', hint: '18 位，最后一位可能是 X' },
  { value: 'phone', label: '手机号', hint: '11 位手机号' },
];

/** Find a case by one of three keys (exact match); every look-up is recorded. */
export default function CaseLookupPage() {
  const [by, setBy] = useState<LookupBy>('caseNo');
  const [query, setQuery] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<StaffCaseSummary[]>();

  async function search() {
    const checked = normalizeLookup(by, query);
    if ('error' in checked) {
      setFieldError(checked.error);
      return;
    }
    setFieldError(undefined);
    setError(undefined);
    setBusy(true);
    try {
      setFound((await staffApi.findCases(by, checked.value)).cases);
    } catch (err) {
      setError(staffMessageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const way = WAYS.find((w) => w.value === by)!;
  return (
    <StaffPage title="办件查询" roles={['agent', 'supervisor']} current={STAFF_ROUTES.cases}>
      {() => (
        <View>
          <View className="panel">
            <ChoiceGroup
              id="lookup-by"
              label="按什么查"
              options={WAYS}
              value={by}
              onChange={(v) => {
                setBy(v);
                setFieldError(undefined);
              }}
            />
            <TextField
              id="lookup-value"
              label={way.label}
              hint={`${way.hint}。只能查到您所属地区的办件；每次查询都记入审计日志。`}
              value={query}
              onChange={setQuery}
              error={fieldError}
              maxLength={20}
            />
            <ActionButton onTap={() => void search()} busy={busy} testId="lookup">
              查询
            </ActionButton>
          </View>
          {error && <ErrorNotice message={error} onRetry={() => void search()} />}
          {found && found.length === 0 && (
            <View className="notice notice--info" role="status">
              <View className="notice__text">没有找到办件。请核对后再查；不在您所属地区的办件查不到。</View>
            </View>
          )}
          {found && found.length > 0 && (
            <View className="table" role="table" aria-label="查询结果" data-testid="lookup-results">
              <HeadRow
                columns={['办件编号', '申请人', '身份证号', '手机号', '地区', '渠道', '状态', '提交时间', '操作']}
              />
              {found.map((c) => (
                <View key={c.caseNo} className="table__row" role="row" data-case={c.caseNo}>
                  <Cell label="办件编号">{c.caseNo}</Cell>
                  <Cell label="申请人">{c.applicantName}</Cell>
                  <Cell label="身份证号">{c.idNumber}</Cell>
                  <Cell label="手机号">{c.phone}</Cell>
                  <Cell label="地区">{c.regionName}</Cell>
                  <Cell label="渠道">{CHANNEL_LABELS[c.channel]}</Cell>
                  <Cell label="状态">
                    {c.statusLabel}
                    {c.attention.manual > 0 && (
                      <View className="state state--manual">人工处理 {c.attention.manual}</View>
                    )}
                    {c.attention.rejected > 0 && (
                      <View className="state state--rejected">不予办理 {c.attention.rejected}</View>
                    )}
                  </Cell>
                  <Cell label="提交时间">{chinaDateTime(c.createdAt)}</Cell>
                  <View className="table__cell" role="cell">
                    <ActionButton
                      small
                      label={`查看办件 ${c.caseNo}`}
                      testId={`open-${c.caseNo}`}
                      onTap={() => openStaffPage(STAFF_ROUTES.case, { caseNo: c.caseNo })}
                    >
                      查看
                    </ActionButton>
                  </View>
                </View>
              ))}
            </View>
          )}
        </View>
      )}
    </StaffPage>
  );
}
