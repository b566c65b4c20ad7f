import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { AuditAction, AuditChainCheck, AuditEntryView } from '@flexins/shared';
import { ActionButton, ChoiceGroup, ErrorNotice, Loading, TextField } from '../../components/controls';
import { chinaDateTime } from '../../services/format';
import { StaffPage } from '../components/StaffPage';
import { Cell, HeadRow } from '../components/Table';
import { staffApi, type AuditFilter } from '../services/api';
import { checkAuditFilter, type AuditFilterForm } from '../services/checks';
import { saveFile } from '../services/download';
import { staffMessageOf } from '../services/http';
import { STAFF_ROUTES } from '../services/nav';

const ACTIONS: readonly { value: AuditAction | ''; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'lookup', label: '查询办件' },
  { value: 'view', label: '查看办件' },
  { value: 'reveal', label: '查看完整信息' },
  { value: 'retry', label: '重新提交办理' },
  { value: 'note', label: '添加备注' },
  { value: 'settle', label: '人工处理办结登记' },
  { value: 'windowRead', label: '窗口读取身份信息' },
  { value: 'windowSubmit', label: '窗口代为提交申请' },
  { value: 'problemUpdate', label: '处理问题清单事项' },
  { value: 'signIn', label: '登录' },
  { value: 'auditExport', label: '导出审计日志' },
  { value: 'statsExport', label: '导出监督统计' },
  { value: 'problemExport', label: '导出问题清单' },
  { value: 'summaryRecompute', label: '重新生成每日汇总' },
  { value: 'clearTraining', label: '清除培训数据' },
];

const PAGE_SIZE = 50;

const EMPTY: AuditFilterForm = { staffId: '', action: '', caseNo: '', from: '', to: '' };

/** Who did what, when and why — filter, export, and check nothing was altered. */
export default function AuditPage() {
  const [form, setForm] = useState<AuditFilterForm>(EMPTY);
  const [applied, setApplied] = useState<AuditFilter>({});
  const [problems, setProblems] = useState<Partial<Record<keyof AuditFilterForm, string>>>({});
  const [entries, setEntries] = useState<AuditEntryView[]>();
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [chain, setChain] = useState<AuditChainCheck>();
  const [chainBusy, setChainBusy] = useState(false);
  const [exported, setExported] = useState<string>();

  async function load(filter: AuditFilter, append = false) {
    setBusy(true);
    setError(undefined);
    try {
      const reply = await staffApi.auditEntries(filter, PAGE_SIZE);
      setEntries((old) => (append && old ? [...old, ...reply.entries] : reply.entries));
      setMore(reply.entries.length === PAGE_SIZE);
    } catch (err) {
      setError(staffMessageOf(err));
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    void load({});
  }, []);

  function search() {
    const found = checkAuditFilter(form);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const filter = Object.fromEntries(Object.entries(form).filter(([, v]) => v)) as AuditFilter;
    setApplied(filter);
    void load(filter);
  }

  async function exportAs(format: 'csv' | 'json') {
    setExported(undefined);
    setError(undefined);
    try {
      const text = await staffApi.exportAudit(applied, format);
      const body = typeof text === 'string' ? text : JSON.stringify(text);
      const name = `audit-${new Date().toISOString().slice(0, 10)}.${format}`;
      await saveFile(name, body, format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json');
      setExported(`已导出 ${name}（导出操作也已记入审计日志）。`);
    } catch (err) {
      setError(staffMessageOf(err));
    }
  }

  async function verify() {
    setChainBusy(true);
    setError(undefined);
    try {
      setChain(await staffApi.verifyAudit());
    } catch (err) {
      setError(staffMessageOf(err));
    } finally {
      setChainBusy(false);
    }
  }

  const set = (key: keyof AuditFilterForm) => (value: string) => setForm((f) => ({ ...f, [key]: value.trim() }));
  return (
    <StaffPage title="审计日志" roles={['supervisor']} current={STAFF_ROUTES.audit}>
      {() => (
        <View>
          <View className="text text--muted">
            每一次查询、查看、显示完整信息、重新提交、备注和处理都记在这里，只能追加不能修改；每条记录与上一条用哈希相连，改动任何一条都能校验出来。
          </View>
          <View className="panel">
            <View className="row">
              <TextField
                id="audit-staff"
                label="工作人员编号"
                value={form.staffId}
                onChange={set('staffId')}
                error={problems.staffId}
                maxLength={64}
              />
              <TextField
                id="audit-case"
                label="办件编号"
                value={form.caseNo}
                onChange={set('caseNo')}
                error={problems.caseNo}
                maxLength={16}
              />
              <TextField
                id="audit-from"
                type="date"
                label="开始日期（含）"
                value={form.from}
                onChange={set('from')}
                error={problems.from}
              />
              <TextField
                id="audit-to"
                type="date"
                label="结束日期（不含）"
                value={form.to}
                onChange={set('to')}
                error={problems.to}
              />
            </View>
            <ChoiceGroup
              id="audit-action"
              label="操作"
              options={ACTIONS}
              value={form.action}
              onChange={set('action')}
            />
            <View className="row">
              <ActionButton small onTap={search} busy={busy} testId="audit-search">
                筛选
              </ActionButton>
              <ActionButton small kind="secondary" onTap={() => void exportAs('csv')} testId="audit-export-csv">
                导出 CSV
              </ActionButton>
              <ActionButton small kind="secondary" onTap={() => void exportAs('json')} testId="audit-export-json">
                导出 JSON
              </ActionButton>
              <ActionButton small kind="secondary" onTap={() => void verify()} busy={chainBusy} testId="audit-verify">
                校验日志是否被改动
              </ActionButton>
            </View>
          </View>
          {exported && (
            <View className="notice notice--info" role="status">
              <View className="notice__text">✓ {exported}</View>
            </View>
          )}
          {chain && (
            <View
              className={`card ${chain.intact ? 'card--good' : 'card--bad'}`}
              role="status"
              data-testid="chain-result"
              data-intact={String(chain.intact)}
            >
              <View className="card__title">
                {chain.intact
                  ? `✓ 日志完好：已逐条校验 ${chain.checked} 条，没有被改动、删除或插入。`
                  : `✗ 日志从第 ${chain.brokenAt} 条起对不上：${chain.problem}`}
              </View>
            </View>
          )}
          {error && <ErrorNotice message={error} onRetry={() => void load(applied)} />}
          {!entries && !error && <Loading />}
          {entries && entries.length === 0 && <View className="text">没有符合条件的记录。</View>}
          {entries && entries.length > 0 && (
            <View className="table" role="table" aria-label="审计日志" data-testid="audit-entries">
              <HeadRow
                columns={['序号', '时间', '工作人员', '操作', '办件编号', '对象', { label: '理由或结果', wide: true }]}
              />
              {entries.map((e) => (
                <View key={e.seq} className="table__row" role="row" data-action={e.action} data-seq={e.seq}>
                  <Cell label="序号">{e.seq}</Cell>
                  <Cell label="时间">{chinaDateTime(e.at)}</Cell>
                  <Cell label="工作人员">
                    <View data-testid="audit-staff">{e.staffName ? `${e.staffName}（${e.staffId}）` : e.staffId}</View>
                    <View className="text--muted">
                      {e.roleLabel}
                      {e.training ? '（培训）' : ''}
                    </View>
                  </Cell>
                  <Cell label="操作">{e.actionLabel}</Cell>
                  <Cell label="办件编号">{e.caseNo ?? '—'}</Cell>
                  <Cell label="对象">{e.targetLabel ?? '—'}</Cell>
                  <Cell label="理由或结果" wide>
                    {[e.reason ? `理由：${e.reason}` : '', e.detail ?? ''].filter(Boolean).join('；') || '—'}
                  </Cell>
                </View>
              ))}
            </View>
          )}
          {more && entries && (
            <ActionButton
              kind="secondary"
              onTap={() => void load({ ...applied, before: String(entries[entries.length - 1]!.seq) }, true)}
              busy={busy}
              testId="audit-more"
            >
              再看更早的 {PAGE_SIZE} 条
            </ActionButton>
          )}
        </View>
      )}
    </StaffPage>
  );
}
