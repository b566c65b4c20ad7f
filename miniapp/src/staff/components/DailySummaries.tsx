import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { DailySummaryList } from '@flexins/shared';
import { ActionButton, ErrorNotice, Loading, SectionTitle, TextField } from '../../components/controls';
import { staffApi } from '../services/api';
import { staffMessageOf } from '../services/http';
import { Cell, HeadRow } from './Table';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * 每日汇总: the last days of the region shown, made by the worker each night
 * for the day before; a past day can be made again (after a correction).
 */
export function DailySummaries({ regionCode }: { regionCode: string }) {
  const [list, setList] = useState<DailySummaryList>();
  const [error, setError] = useState<string>();
  const [date, setDate] = useState('');
  const [dateError, setDateError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [remade, setRemade] = useState<string>();

  async function load() {
    setError(undefined);
    try {
      setList(await staffApi.dailySummaries(regionCode));
    } catch (err) {
      setError(staffMessageOf(err));
    }
  }

  useEffect(() => {
    setList(undefined);
    void load();
  }, [regionCode]);

  async function remake() {
    setRemade(undefined);
    if (!DATE.test(date)) {
      setDateError('日期应为 2026-11-30 这样的格式');
      return;
    }
    setDateError(undefined);
    setBusy(true);
    try {
      const made = await staffApi.remakeDailySummary(date);
      setRemade(`已重新生成 ${made.date} 的汇总。`);
      await load();
    } catch (err) {
      const message = staffMessageOf(err);
      if (/日期/.test(message)) setDateError(message);
      else setError(message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="panel" data-testid="daily-summaries">
      <SectionTitle>每日汇总</SectionTitle>
      <View className="text text--muted">
        每天北京时间 {list?.scheduledAt ?? '00:10'}{' '}
        后台自动生成前一天的汇总：当日收件、办结（其中当日收件当日办结）、转人工处理、不予办理及原因、好差评。培训办件不计入。
      </View>
      {error && <ErrorNotice message={error} onRetry={() => void load()} />}
      {!list && !error && <Loading />}
      {list && list.summaries.length === 0 && <View className="text">还没有汇总：第一份会在明天凌晨生成。</View>}
      {list && list.summaries.length > 0 && (
        <View className="table" role="table" aria-label="每日汇总" data-testid="daily-summary-rows">
          <HeadRow
            columns={[
              '日期',
              '收件',
              '办结',
              '当日办结',
              '转人工',
              '不予办理',
              '评价（差评）',
              { label: '不予办理原因', wide: true },
            ]}
          />
          {list.summaries.map((s) => (
            <View key={s.date} className="table__row" role="row" data-date={s.date}>
              <Cell label="日期">{s.date}</Cell>
              <Cell label="收件">{s.received}</Cell>
              <Cell label="办结">{s.completed}</Cell>
              <Cell label="当日办结">{s.completedSameDay}</Cell>
              <Cell label="转人工">{s.manual}</Cell>
              <Cell label="不予办理">{s.refused}</Cell>
              <Cell label="评价（差评）">
                {s.ratings.count}（{s.ratings.bad}）
              </Cell>
              <Cell label="不予办理原因" wide>
                {s.refusalsByReason.map((r) => `${r.reason} ${r.count} 次`).join('；') || '—'}
              </Cell>
            </View>
          ))}
        </View>
      )}
      <View className="row">
        <TextField
          id="summary-date"
          label="重新生成某一天的汇总（如 2026-11-30）"
          value={date}
          onChange={(v) => setDate(v.trim())}
          error={dateError}
          maxLength={10}
        />
      </View>
      <ActionButton small kind="secondary" onTap={() => void remake()} busy={busy} testId="summary-remake">
        重新生成
      </ActionButton>
      {remade && (
        <View className="text" role="status" data-testid="summary-remade">
          {remade}
        </View>
      )}
    </View>
  );
}
