import { View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import {
  REVEAL_FIELD_LABELS,
  REVEAL_REASON_LABELS,
  type RevealField,
  type RevealReason,
  type StaffCaseView,
  type StaffMatterView,
  type StaffProfile,
} from '@flexins/shared';
import {
  ActionButton,
  ChoiceGroup,
  ErrorNotice,
  Loading,
  Pairs,
  SectionTitle,
  TextField,
} from '../../components/controls';
import {
  TrackingPanel,
  trackedMatterOf,
  trackingFailureMessage,
  trackingKey,
  useCaseTracking,
} from '../../components/TrackingPanel';
import { chinaDateTime } from '../../services/format';
import { ReasonDialog } from '../components/ReasonDialog';
import { StaffPage } from '../components/StaffPage';
import { Cell, HeadRow } from '../components/Table';
import { staffApi } from '../services/api';
import { staffMessageOf } from '../services/http';
import { staffPageParams, STAFF_ROUTES, switchStaffPage } from '../services/nav';
import { STATE_SIGNS } from '../../text';
import { CHANNEL_LABELS, STAFF_REF_LABELS } from '../text';

/** States in which a matter is still moving on its own. */
const MOVING = new Set(['accepted', 'reviewing', 'retrying']);
const isMoving = (m: StaffMatterView) => MOVING.has(m.state) || (m.state === 'waiting' && !m.cause);
const REFRESH_MS = 2_000;
const MAX_REFRESHES = 15;
const REVEAL_REASONS = (Object.keys(REVEAL_REASON_LABELS) as RevealReason[]).map((value) => ({
  value,
  label: REVEAL_REASON_LABELS[value],
}));

/** `王晓峰（S0002）`, or the id alone when the directory has no name. */
function staffLabel(n: { staffId: string; staffName?: string }): string {
  return n.staffName ? `${n.staffName}（${n.staffId}）` : n.staffId;
}

type Action =
  | { kind: 'reveal'; field: RevealField }
  | { kind: 'retry'; matter: StaffMatterView }
  | { kind: 'settle'; matter: StaffMatterView };

function Refs({ refs }: { refs: Record<string, string> }) {
  const entries = Object.entries(refs);
  if (entries.length === 0) return <View className="text--muted">—</View>;
  return (
    <View>
      {entries.map(([k, v]) => (
        <View key={k}>
          {STAFF_REF_LABELS[k] ?? k}：{v}
        </View>
      ))}
    </View>
  );
}

function SettleFields({
  outcome,
  setOutcome,
  reference,
  setReference,
  error,
}: {
  outcome: 'done' | 'rejected';
  setOutcome: (v: 'done' | 'rejected') => void;
  reference: string;
  setReference: (v: string) => void;
  error?: string;
}) {
  return (
    <View>
      <ChoiceGroup
        id="settle-outcome"
        label="处理结果"
        options={[
          { value: 'done', label: '已线下办结' },
          { value: 'rejected', label: '不予办理（理由会告知群众）' },
        ]}
        value={outcome}
        onChange={setOutcome}
      />
      {outcome === 'done' && (
        <TextField
          id="settle-reference"
          label="部门业务编号"
          hint="线下办结时部门系统给出的编号"
          value={reference}
          maxLength={64}
          onChange={setReference}
          error={error}
        />
      )}
    </View>
  );
}

/** One case, masked: who, each matter's state with refs and last error, the timeline, notes; and what staff may do. */
export default function StaffCasePage() {
  const caseNo = staffPageParams().caseNo ?? '';
  const [view, setView] = useState<StaffCaseView>();
  const [error, setError] = useState<string>();
  const [revealed, setRevealed] = useState<Partial<Record<RevealField, string>>>({});
  const [action, setAction] = useState<Action>();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const [noteBusy, setNoteBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [outcome, setOutcome] = useState<'done' | 'rejected'>('done');
  const [reference, setReference] = useState('');
  const [referenceError, setReferenceError] = useState<string>();
  const refreshes = useRef(0);

  async function load() {
    setError(undefined);
    try {
      setView(await staffApi.case(caseNo));
    } catch (err) {
      setError(staffMessageOf(err));
    }
  }

  useEffect(() => {
    if (caseNo) void load();
  }, []);

  // After a retry the matter moves on by itself: look again a few times, not forever
  // (each look is an audited view).
  useEffect(() => {
    if (!view || !view.matters.some(isMoving) || refreshes.current >= MAX_REFRESHES) return undefined;
    const timer = setTimeout(() => {
      refreshes.current += 1;
      void load();
    }, REFRESH_MS);
    return () => clearTimeout(timer);
  }, [view]);

  // The card's post and the archive's transfer: asked when a tracked matter is (or turns) delivered, and on 再查一次.
  const tracking = useCaseTracking(
    view ? trackingKey(view.caseNo, view.matters) : '',
    () => staffApi.tracking(caseNo),
    (err) => trackingFailureMessage(err, staffMessageOf),
  );

  async function confirm(reason: string, note?: string) {
    if (!action) return;
    if (action.kind === 'reveal') {
      const reply = await staffApi.reveal(caseNo, action.field, reason as RevealReason, note).catch((err) => {
        throw new Error(staffMessageOf(err));
      });
      setRevealed((r) => ({ ...r, [reply.field]: reply.value }));
      setDone(`已显示完整的${REVEAL_FIELD_LABELS[action.field]}，查看记录已记入审计日志。`);
    } else if (action.kind === 'retry') {
      const next = await staffApi.retry(caseNo, action.matter.id, reason).catch((err) => {
        throw new Error(staffMessageOf(err));
      });
      refreshes.current = 0;
      setView(next);
      setDone(`已重新提交“${action.matter.name}”，系统正在自动办理。`);
    } else {
      if (outcome === 'done' && !reference.trim()) {
        setReferenceError('请填写部门业务编号');
        throw new Error('请填写部门业务编号');
      }
      setReferenceError(undefined);
      const next = await staffApi
        .settle(caseNo, action.matter.id, {
          outcome,
          reason,
          ...(outcome === 'done' ? { reference: reference.trim() } : {}),
        })
        .catch((err) => {
          throw new Error(staffMessageOf(err));
        });
      setView(next);
      setDone(`“${action.matter.name}”已登记为${outcome === 'done' ? '线下办结' : '不予办理'}。`);
    }
    setAction(undefined);
  }

  async function addNote() {
    if (!note.trim()) {
      setNoteError('请填写备注内容');
      return;
    }
    setNoteError(undefined);
    setNoteBusy(true);
    try {
      setView(await staffApi.addNote(caseNo, note.trim()));
      setNote('');
      setDone('备注已保存。');
    } catch (err) {
      setNoteError(staffMessageOf(err));
    } finally {
      setNoteBusy(false);
    }
  }

  function who(field: RevealField, masked: string | undefined) {
    const full = revealed[field];
    const can = view?.revealable.includes(field);
    return (
      <View data-testid={`person-${field}`}>
        {full ? (
          <View className="revealed" data-testid={`revealed-${field}`}>
            {full}（已显示完整信息）
          </View>
        ) : (
          <View>{masked ?? '（已隐藏）'}</View>
        )}
        {can && !full && (
          <ActionButton
            small
            kind="secondary"
            label={`查看完整${REVEAL_FIELD_LABELS[field]}（需说明理由）`}
            testId={`reveal-${field}`}
            onTap={() => {
              setDone(undefined);
              setAction({ kind: 'reveal', field });
            }}
          >
            查看完整
          </ActionButton>
        )}
      </View>
    );
  }

  const body = (staff: StaffProfile) => {
    if (!caseNo) return <ErrorNotice message="没有指定办件编号，请从办件查询进入。" />;
    if (error) return <ErrorNotice message={error} onRetry={() => void load()} />;
    if (!view) return <Loading />;
    return (
      <View>
        {done && (
          <View className="notice notice--info" role="status" data-testid="done-notice">
            <View className="notice__text">✓ {done}</View>
          </View>
        )}
        <View className="panel" data-testid="case-summary" data-status={view.status}>
          <Pairs
            rows={[
              { label: '办件编号', value: view.caseNo },
              { label: '办理状态', value: view.statusLabel },
              { label: '申请人', value: who('name', view.applicantName) },
              { label: '身份证号', value: who('idNumber', view.idNumber) },
              { label: '手机号', value: who('phone', view.phone) },
              ...(view.revealable.includes('mailingAddress')
                ? [{ label: '社保卡邮寄地址', value: who('mailingAddress', undefined) }]
                : []),
              { label: '所在地区', value: view.regionName },
              {
                label: '办理渠道',
                value: `${CHANNEL_LABELS[view.channel]}${
                  view.clerkId ? `（受理人 ${view.clerkName ? `${view.clerkName} ` : ''}${view.clerkId}）` : ''
                }`,
              },
              { label: '提交时间', value: chinaDateTime(view.createdAt) },
              ...(view.completedAt ? [{ label: '办结时间', value: chinaDateTime(view.completedAt) }] : []),
              ...(view.postage
                ? [
                    {
                      label: '社保卡邮寄费',
                      value: `${(view.postage.amountFen / 100).toFixed(2)} 元，${
                        view.postage.refunded
                          ? `已退款（${view.postage.refundNo ?? ''}）`
                          : view.postage.paid
                            ? '已支付'
                            : '未支付'
                      }`,
                    },
                  ]
                : []),
              ...(view.rating
                ? [
                    {
                      label: '好差评',
                      value: `${view.rating.score} 分${view.rating.comment ? `：${view.rating.comment}` : ''}`,
                    },
                  ]
                : []),
            ]}
          />
          <View className="row">
            <ActionButton small kind="secondary" onTap={() => void load()} testId="refresh">
              刷新
            </ActionButton>
            <ActionButton small kind="secondary" onTap={() => switchStaffPage(STAFF_ROUTES.cases)}>
              返回办件查询
            </ActionButton>
          </View>
        </View>

        <SectionTitle>六个事项</SectionTitle>
        <View className="table" role="table" aria-label="各事项办理情况" data-testid="matters">
          <HeadRow
            columns={[
              '事项',
              '部门',
              '状态',
              { label: '原因或最近一次错误', wide: true },
              { label: '尝试次数', narrow: true },
              { label: '业务编号', wide: true },
              '操作',
            ]}
          />
          {view.matters.map((m) => (
            <View key={m.id} className="table__row" role="row" data-matter={m.id} data-state={m.state}>
              <Cell label="事项">{m.name}</Cell>
              <Cell label="部门">{m.department}</Cell>
              <Cell label="状态">
                <View className={`state state--${m.state}`}>
                  {STATE_SIGNS[m.state] ?? ''} {m.stateLabel}
                </View>
              </Cell>
              <Cell label="原因或最近一次错误" wide>
                {m.cause && <View>{m.cause}</View>}
                {m.lastError && <View data-testid={`last-error-${m.id}`}>最近一次错误：{m.lastError}</View>}
                {!m.cause && !m.lastError && '—'}
              </Cell>
              <Cell label="尝试次数" narrow>
                {m.attempts}
              </Cell>
              <Cell label="业务编号" wide>
                <Refs refs={m.refs} />
              </Cell>
              <View className="table__cell" role="cell">
                {m.canRetry && (
                  <ActionButton
                    small
                    label={`重新提交${m.name}`}
                    testId={`retry-${m.id}`}
                    onTap={() => {
                      setDone(undefined);
                      setAction({ kind: 'retry', matter: m });
                    }}
                  >
                    重新提交
                  </ActionButton>
                )}
                {m.canSettle && staff.role === 'supervisor' && (
                  <ActionButton
                    small
                    kind="secondary"
                    label={`${m.name}：登记人工处理结果`}
                    testId={`settle-${m.id}`}
                    onTap={() => {
                      setDone(undefined);
                      setOutcome('done');
                      setReference('');
                      setAction({ kind: 'settle', matter: m });
                    }}
                  >
                    登记处理结果
                  </ActionButton>
                )}
              </View>
            </View>
          ))}
        </View>

        {view.matters.some(trackedMatterOf) && (
          <View>
            <SectionTitle>社保卡邮寄和档案转递进度（人社部门实时查询）</SectionTitle>
            <View className="panel" data-testid="tracking">
              {view.matters.map((m) => {
                const tracked = trackedMatterOf(m);
                return tracked ? (
                  <TrackingPanel key={m.id} matter={tracked} state={tracking.state} onRetry={tracking.reload} />
                ) : null;
              })}
            </View>
          </View>
        )}

        {view.offlineNotes.length > 0 && (
          <View className="card card--attention">
            <View className="card__title">需要到窗口办理</View>
            {view.offlineNotes.map((n) => (
              <View key={n} className="text">
                {n}
              </View>
            ))}
          </View>
        )}

        <View className="columns">
          <View>
            <SectionTitle>办理记录</SectionTitle>
            <View className="panel" role="list" data-testid="timeline">
              {view.timeline.length === 0 && <View className="text--muted">暂无记录</View>}
              {[...view.timeline].reverse().map((e, i) => (
                <View key={`${e.at}-${i}`} className="text" role="listitem" data-testid="timeline-entry">
                  <View className="timeline__meta">
                    {chinaDateTime(e.at)} · {e.author}
                  </View>
                  {e.matter && !e.text.startsWith(e.matter) ? `${e.matter}：` : ''}
                  {e.text}
                </View>
              ))}
            </View>
          </View>
          <View>
            <SectionTitle>工作人员备注</SectionTitle>
            <View className="panel" data-testid="notes">
              {view.notes.length === 0 && <View className="text--muted">还没有备注</View>}
              {view.notes.map((n, i) => (
                <View key={`${n.at}-${i}`} className="text" data-testid="note">
                  <View className="timeline__meta">
                    {chinaDateTime(n.at)} · {staffLabel(n)}
                  </View>
                  {n.text}
                </View>
              ))}
              <TextField
                id="note"
                type="textarea"
                label="添加备注（会记入审计日志）"
                value={note}
                maxLength={500}
                onChange={setNote}
                error={noteError}
              />
              <ActionButton onTap={() => void addNote()} busy={noteBusy} testId="add-note">
                保存备注
              </ActionButton>
            </View>
          </View>
        </View>

        {action?.kind === 'reveal' && (
          <ReasonDialog
            id="reveal-dialog"
            title={`查看完整${REVEAL_FIELD_LABELS[action.field]}`}
            explanation="完整信息只在确有需要时查看（例如核对来电人身份）。查看人、时间和理由会记入审计日志。"
            choices={REVEAL_REASONS}
            noteRequiredFor="other"
            confirmLabel="确认查看"
            onConfirm={confirm}
            onCancel={() => setAction(undefined)}
          />
        )}
        {action?.kind === 'retry' && (
          <ReasonDialog
            id="retry-dialog"
            title={`重新提交“${action.matter.name}”`}
            explanation={`该事项已转人工处理${action.matter.lastError ? `（最近一次错误：${action.matter.lastError}）` : ''}。确认部门系统已恢复后再重新提交。`}
            confirmLabel="确认重新提交"
            onConfirm={confirm}
            onCancel={() => setAction(undefined)}
          />
        )}
        {action?.kind === 'settle' && (
          <ReasonDialog
            id="settle-dialog"
            title={`登记“${action.matter.name}”的处理结果`}
            explanation="线下办结的，填写部门业务编号；不予办理的，理由会告知群众。"
            confirmLabel="确认登记"
            extra={
              <SettleFields
                outcome={outcome}
                setOutcome={setOutcome}
                reference={reference}
                setReference={setReference}
                error={referenceError}
              />
            }
            onConfirm={confirm}
            onCancel={() => setAction(undefined)}
          />
        )}
      </View>
    );
  };

  return (
    <StaffPage title={`办件详情 ${caseNo}`} roles={['agent', 'supervisor']} current={STAFF_ROUTES.case}>
      {body}
    </StaffPage>
  );
}
