import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { PROBLEM_PROMISE, type ProblemList, type ProblemStatus, type ProblemView } from '@flexins/shared';
import { ActionButton, ChoiceGroup, ErrorNotice, Loading, TextField } from '../../components/controls';
import { chinaDateTime } from '../../services/format';
import { StaffPage } from '../components/StaffPage';
import { staffApi } from '../services/api';
import { staffMessageOf } from '../services/http';
import { STAFF_ROUTES } from '../services/nav';

const STATUSES: readonly { value: ProblemStatus; label: string }[] = [
  { value: 'open', label: '待处理' },
  { value: 'inProgress', label: '整改中' },
  { value: 'resolved', label: '已整改' },
];

const FILTERS = [
  { value: '', label: '全部' },
  { value: 'overdue', label: '只看超期' },
  { value: 'open', label: '待处理' },
  { value: 'inProgress', label: '整改中' },
  { value: 'resolved', label: '已整改' },
] as const;

/** One item, and its owner, status and fix when being edited. */
function ProblemItem({ item, onSaved }: { item: ProblemView; onSaved: (p: ProblemView) => void }) {
  const [editing, setEditing] = useState(false);
  const [owner, setOwner] = useState(item.owner ?? '');
  const [status, setStatus] = useState<ProblemStatus>(item.status);
  const [fix, setFix] = useState(item.fix ?? '');
  const [fields, setFields] = useState<{ owner?: string; fix?: string }>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function save() {
    const problems = status === 'resolved' && !fix.trim() ? { fix: '标记“已整改”须写明整改情况' } : {};
    setFields(problems);
    if (Object.keys(problems).length > 0) return;
    const change = {
      ...(owner.trim() && owner.trim() !== item.owner ? { owner: owner.trim() } : {}),
      ...(status !== item.status ? { status } : {}),
      ...(fix.trim() && fix.trim() !== item.fix ? { fix: fix.trim() } : {}),
    };
    if (Object.keys(change).length === 0) {
      setEditing(false);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await staffApi.updateProblem(item.problemId, change));
      setEditing(false);
    } catch (err) {
      setError(staffMessageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View
      className={`panel${item.overdue ? ' card--bad' : ''}`}
      role="listitem"
      data-testid={`problem-${item.problemId}`}
      data-overdue={String(item.overdue)}
    >
      <View className="row">
        <View className="card__title">
          {item.sourceLabel} · {item.categoryLabel}
          {item.score !== undefined ? ` · ${item.score} 分` : ''}
        </View>
        <View className={`state state--${item.overdue ? 'overdue' : item.status}`}>
          {item.overdue ? `已超期 · ${item.statusLabel}` : item.statusLabel}
        </View>
      </View>
      <View className="text">{item.text || '（没有文字内容）'}</View>
      <View className="text text--muted">
        编号 {item.problemId}
        {item.caseNo ? ` · 办件 ${item.caseNo}` : ''}
        {item.regionName ? ` · ${item.regionName}` : ''} · 反映于 {chinaDateTime(item.createdAt)} · 办理期限{' '}
        {item.deadline}
      </View>
      <View className="text">责任人：{item.owner ?? '未指定'}</View>
      {item.fix && <View className="text">整改情况：{item.fix}</View>}
      {!editing && (
        <ActionButton
          small
          kind="secondary"
          label={`处理问题 ${item.problemId}`}
          onTap={() => setEditing(true)}
          testId={`edit-${item.problemId}`}
        >
          处理
        </ActionButton>
      )}
      {editing && (
        <View>
          <TextField
            id={`owner-${item.problemId}`}
            label="责任人"
            value={owner}
            onChange={setOwner}
            error={fields.owner}
            maxLength={60}
          />
          <ChoiceGroup
            id={`status-${item.problemId}`}
            label="状态"
            options={STATUSES}
            value={status}
            onChange={setStatus}
          />
          <TextField
            id={`fix-${item.problemId}`}
            type="textarea"
            label="整改情况"
            value={fix}
            onChange={setFix}
            error={fields.fix}
            maxLength={1000}
          />
          {error && <ErrorNotice message={error} />}
          <View className="row">
            <ActionButton small onTap={() => void save()} busy={busy} testId={`save-${item.problemId}`}>
              保存
            </ActionButton>
            <ActionButton small kind="secondary" onTap={() => setEditing(false)}>
              取消
            </ActionButton>
          </View>
        </View>
      )}
    </View>
  );
}

/** Problems reported by citizens and every 1–2 rating, overdue first; owner, status and fix. */
export default function ProblemsPage() {
  const [filter, setFilter] = useState<string>('');
  const [list, setList] = useState<ProblemList>();
  const [error, setError] = useState<string>();

  async function load(which: string) {
    setError(undefined);
    try {
      setList(await staffApi.problems(which === 'overdue' ? { overdue: 'true' } : which ? { status: which } : {}));
    } catch (err) {
      setError(staffMessageOf(err));
    }
  }

  useEffect(() => {
    void load('');
  }, []);

  return (
    <StaffPage title="问题清单" roles={['supervisor']} current={STAFF_ROUTES.problems}>
      {() => (
        <View>
          <View className="text text--muted">
            群众反映的问题和差评（1–2 分）都在这里，每条须在{PROBLEM_PROMISE}整改；超期的排在最前面。
          </View>
          <ChoiceGroup
            id="problem-filter"
            label="显示"
            options={FILTERS}
            value={filter}
            onChange={(v) => {
              setFilter(v);
              void load(v);
            }}
          />
          {error && <ErrorNotice message={error} onRetry={() => void load(filter)} />}
          {!list && !error && <Loading />}
          {list && (
            <View className="text" data-testid="problem-count">
              共 {list.total} 条，其中超期 {list.overdue} 条。
            </View>
          )}
          {list && (
            <View role="list" aria-label="问题清单">
              {list.items.map((item) => (
                <ProblemItem
                  key={item.problemId}
                  item={item}
                  onSaved={(saved) =>
                    setList(
                      (l) => l && { ...l, items: l.items.map((p) => (p.problemId === saved.problemId ? saved : p)) },
                    )
                  }
                />
              ))}
            </View>
          )}
        </View>
      )}
    </StaffPage>
  );
}
