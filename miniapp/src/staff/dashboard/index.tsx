import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { NINGXIA_CITIES, type Dashboard, type StaffProfile, type TrainingCleared } from '@flexins/shared';
import { ActionButton, ChoiceGroup, ErrorNotice, Loading, SectionTitle, TextField } from '../../components/controls';
import { BarChart } from '../components/BarChart';
import { DailySummaries } from '../components/DailySummaries';
import { StatsExports } from '../components/StatsExports';
import { StaffPage } from '../components/StaffPage';
import { Cell, HeadRow } from '../components/Table';
import { staffApi } from '../services/api';
import { staffMessageOf } from '../services/http';
import { STAFF_ROUTES } from '../services/nav';
import { duration } from '../text';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function bucketLabel(upTo: number | null, previous: number | null): string {
  if (upTo === null) return `超过 ${duration(previous)}`;
  return `${duration(upTo)}以内`;
}

/** The regions a supervisor may choose: their own and those under it. */
function regionChoices(staff: StaffProfile): { value: string; label: string }[] {
  const own = { value: staff.regionCode, label: `${staff.regionName}（本级）` };
  if (staff.regionCode === '64') return [own, ...NINGXIA_CITIES.map((c) => ({ value: c.code, label: c.name }))];
  const city = NINGXIA_CITIES.find((c) => c.code === staff.regionCode);
  if (city) return [own, ...city.counties.map((c) => ({ value: c.code, label: c.name }))];
  return [own];
}

function Tiles({ board }: { board: Dashboard }) {
  const tiles = [
    { label: '申请', value: board.totals.applications, id: 'applications' },
    { label: '全部办结', value: board.totals.completed, id: 'completed' },
    { label: '待缴费（已核定未缴首期社保费）', value: board.totals.awaitingPayment, id: 'awaitingPayment' },
    { label: '有事项转人工处理', value: board.totals.manual, id: 'manual' },
    { label: '有事项不予办理', value: board.totals.rejected, id: 'rejected' },
  ];
  return (
    <View className="tiles" role="list" aria-label="总量（件）">
      {tiles.map((t) => (
        <View key={t.id} className="tile" role="listitem" data-testid={`total-${t.id}`}>
          <View className="tile__value">{t.value}</View>
          <View className="tile__label">{t.label}（件）</View>
        </View>
      ))}
    </View>
  );
}

function Board({ board }: { board: Dashboard }) {
  const t = board.timeToComplete;
  let previous: number | null = null;
  const buckets = t.buckets.map((b) => {
    const bar = { label: bucketLabel(b.upToSeconds, previous), value: b.count, text: `${b.count} 件` };
    previous = b.upToSeconds;
    return bar;
  });
  return (
    <View data-testid="dashboard">
      <Tiles board={board} />
      <View className="columns">
        <BarChart
          id="chart-region"
          title="各地申请量（件）"
          bars={board.byRegion.map((r) => ({
            label: r.regionName,
            value: r.applications,
            text: `${r.applications} 件`,
          }))}
        />
        <BarChart
          id="chart-channel"
          title="办理渠道（件）"
          bars={board.byChannel.map((c) => ({ label: c.label, value: c.applications, text: `${c.applications} 件` }))}
        />
      </View>

      <SectionTitle>各地明细</SectionTitle>
      <View className="table" role="table" aria-label="各地明细" data-testid="by-region">
        <HeadRow columns={['地区', '申请', '全部办结', '待缴费', '转人工', '不予办理']} />
        {board.byRegion.map((r) => (
          <View key={r.regionCode} className="table__row" role="row">
            <Cell label="地区">{r.regionName}</Cell>
            <Cell label="申请">{r.applications}</Cell>
            <Cell label="全部办结">{r.completed}</Cell>
            <Cell label="待缴费">{r.awaitingPayment}</Cell>
            <Cell label="转人工">{r.manual}</Cell>
            <Cell label="不予办理">{r.rejected}</Cell>
          </View>
        ))}
      </View>

      <SectionTitle>各事项</SectionTitle>
      <View className="columns">
        <BarChart
          id="chart-matter-done"
          title="各事项办结数（件）"
          bars={board.byMatter.map((m) => ({ label: m.name, value: m.done, text: `${m.done} 件`, tone: 'good' }))}
        />
        <BarChart
          id="chart-matter-manual"
          title="各事项转人工处理数（件）"
          bars={board.byMatter.map((m) => ({ label: m.name, value: m.manual, text: `${m.manual} 件`, tone: 'bad' }))}
        />
      </View>
      <View className="table" role="table" aria-label="各事项明细" data-testid="by-matter">
        <HeadRow columns={[{ label: '事项', wide: true }, '办结', '待缴费', '转人工', '不予办理']} />
        {board.byMatter.map((m) => (
          <View key={m.matter} className="table__row" role="row" data-matter={m.matter}>
            <Cell label="事项" wide>
              {m.name}
            </Cell>
            <Cell label="办结">{m.done}</Cell>
            <Cell label="待缴费">{m.awaitingPayment}</Cell>
            <Cell label="转人工">{m.manual}</Cell>
            <Cell label="不予办理">{m.rejected}</Cell>
          </View>
        ))}
      </View>

      <SectionTitle>办结用时</SectionTitle>
      <View className="text" data-testid="time-to-complete">
        已办结 {t.completed} 件；用时中位数 {duration(t.medianSeconds)}，95% 的办件在 {duration(t.p95Seconds)} 内办结。
      </View>
      <View className="columns">
        <BarChart id="chart-time" title="办结用时分布（件）" bars={buckets.filter((b) => b.value > 0)} />
        <BarChart
          id="chart-failures"
          title="常见失败原因（次）"
          empty="没有失败记录"
          bars={board.failureReasons.map((f) => ({
            label: f.reason,
            value: f.count,
            text: `${f.count} 次`,
            tone: 'attention',
          }))}
        />
      </View>

      <SectionTitle>好差评</SectionTitle>
      <View className="text" data-testid="ratings">
        共 {board.ratings.count} 条评价
        {board.ratings.average !== null ? `，平均 ${board.ratings.average.toFixed(1)} 分` : ''}，差评（1–2 分）{' '}
        {board.ratings.bad} 条。
      </View>
      <BarChart
        id="chart-ratings"
        title="评价分布（条）"
        bars={(['5', '4', '3', '2', '1'] as const).map((s) => ({
          label: `${s} 分`,
          value: board.ratings.byScore[s] ?? 0,
          text: `${board.ratings.byScore[s] ?? 0} 条`,
          tone: Number(s) <= 2 ? 'bad' : 'good',
        }))}
      />

      <SectionTitle>差评回访（超期的在前）</SectionTitle>
      <View className="text">
        共 {board.followUps.total} 条，其中超期 {board.followUps.overdue} 条。
      </View>
      {board.followUps.items.length > 0 && (
        <View className="table" role="table" aria-label="差评回访" data-testid="follow-ups">
          <HeadRow columns={['办件编号', '评分', { label: '内容', wide: true }, '期限', '状态']} />
          {board.followUps.items.map((p) => (
            <View key={p.problemId} className="table__row" role="row" data-overdue={String(p.overdue)}>
              <Cell label="办件编号">{p.caseNo ?? '—'}</Cell>
              <Cell label="评分">{p.score ?? '—'}</Cell>
              <Cell label="内容" wide>
                {p.text || '—'}
              </Cell>
              <Cell label="期限">
                {p.deadline}
                {p.overdue && <View className="state state--overdue">已超期</View>}
              </Cell>
              <Cell label="状态">{p.statusLabel}</Cell>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}

/** 清除培训数据: the supervisor confirms first; the result says how many training cases went. */
function ClearTraining({ regionCode, regionName }: { regionCode: string; regionName: string }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [cleared, setCleared] = useState<TrainingCleared>();
  const [error, setError] = useState<string>();

  async function clear() {
    setBusy(true);
    setError(undefined);
    try {
      setCleared(await staffApi.clearTraining(regionCode));
      setConfirming(false);
    } catch (err) {
      setError(staffMessageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="panel" data-testid="clear-training">
      <SectionTitle>培训数据</SectionTitle>
      <View className="text">
        培训账号办理的培训办件不计入统计。培训结束后可清除{regionName}
        的培训办件及其备注、窗口受理记录和培训人员的缴费订单；真实群众的办件不受影响，清除会记入审计日志。
      </View>
      <ActionButton
        small
        kind="secondary"
        onTap={() => {
          setCleared(undefined);
          setConfirming(true);
        }}
        testId="clear-training-open"
      >
        清除培训数据
      </ActionButton>
      {cleared && (
        <View className="text" role="status" data-testid="clear-training-result">
          已清除 {cleared.cases} 件培训办件（窗口受理记录 {cleared.windowVisits} 次，问题清单 {cleared.problems}{' '}
          条，培训人员缴费订单 {cleared.orders} 笔）。
        </View>
      )}
      {confirming && (
        <View className="dialog__backdrop">
          <View
            className="dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby="clear-training-title"
            data-testid="clear-training-dialog"
          >
            <View id="clear-training-title" className="dialog__title" role="heading" aria-level={2}>
              确认清除{regionName}的培训数据？
            </View>
            <View className="text">清除后不能恢复。只清除培训办件，真实群众的办件和统计不变。</View>
            {error && <ErrorNotice message={error} />}
            <View className="dialog__actions">
              <ActionButton onTap={() => void clear()} busy={busy} testId="clear-training-confirm">
                确认清除
              </ActionButton>
              <ActionButton kind="secondary" onTap={() => setConfirming(false)} testId="clear-training-cancel">
                取消
              </ActionButton>
            </View>
          </View>
        </View>
      )}
    </View>
  );
}

/** Volumes, completion times, failures and ratings by region, matter and channel (training cases left out). */
export default function DashboardPage() {
  const [regionCode, setRegionCode] = useState<string>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problems, setProblems] = useState<{ from?: string; to?: string }>({});
  const [board, setBoard] = useState<Dashboard>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function load(query: { regionCode?: string; from?: string; to?: string }) {
    setBusy(true);
    setError(undefined);
    try {
      setBoard(await staffApi.dashboard(query));
    } catch (err) {
      setError(staffMessageOf(err));
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    void load({});
  }, []);

  function apply() {
    const found = {
      ...(from && !MONTH.test(from) ? { from: '月份应为 2026-11 这样的格式' } : {}),
      ...(to && !MONTH.test(to) ? { to: '月份应为 2026-11 这样的格式' } : {}),
    };
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    void load({ regionCode, from: from || undefined, to: to || undefined });
  }

  return (
    <StaffPage title="监督看板" roles={['supervisor']} current={STAFF_ROUTES.dashboard}>
      {(staff) => (
        <View>
          <View className="text text--muted">
            {board ? `${board.regionName}，` : ''}按提交月份统计
            {board?.from ? `（${board.from} 至 ${board.to ?? '今'}）` : '（全部时间）'}；培训办件不计入。
          </View>
          <View className="panel">
            <ChoiceGroup
              id="dashboard-region"
              label="地区"
              options={regionChoices(staff)}
              value={regionCode ?? staff.regionCode}
              onChange={setRegionCode}
            />
            <View className="row">
              <TextField
                id="dashboard-from"
                label="起始月份（如 2026-11）"
                value={from}
                onChange={setFrom}
                error={problems.from}
                maxLength={7}
              />
              <TextField
                id="dashboard-to"
                label="截止月份（含）"
                value={to}
                onChange={setTo}
                error={problems.to}
                maxLength={7}
              />
            </View>
            <ActionButton small onTap={apply} busy={busy} testId="dashboard-apply">
              查看
            </ActionButton>
          </View>
          {error && <ErrorNotice message={error} onRetry={apply} />}
          {!board && !error && <Loading />}
          {board && (
            <StatsExports
              query={{
                regionCode: board.regionCode,
                ...(board.from ? { from: board.from } : {}),
                ...(board.to ? { to: board.to } : {}),
              }}
              regionName={board.regionName}
            />
          )}
          {board && <Board board={board} />}
          {board && <DailySummaries regionCode={board.regionCode} />}
          {board && <ClearTraining regionCode={board.regionCode} regionName={board.regionName} />}
        </View>
      )}
    </StaffPage>
  );
}
