/**
 * Where each matter of a case stands (事项办理状态). The four stages of the
 * work plan — 受理 → 审核 → 决定 → 送达 (二、（二）: 受理—审核—决定—送达) —
 * plus the states a linked, retried process needs around them. Labels and
 * explanations are what the citizen, the clerk and the hotline agent read.
 */
import type { CaseStatus } from './views/common';

export type MatterState =
  | 'notNeeded' // 无需办理
  | 'waiting' // 等待前序事项
  | 'accepted' // 受理
  | 'reviewing' // 审核
  | 'retrying' // 正在重试
  | 'decided' // 决定（如已核定，待缴费）
  | 'delivered' // 送达（办结）
  | 'manual' // 人工处理中
  | 'rejected'; // 不予办理

/** The work plan's four stages, in order. */
export type MatterStage = 'accepted' | 'reviewing' | 'decided' | 'delivered';

export const MATTER_STAGES: readonly { stage: MatterStage; label: string }[] = [
  { stage: 'accepted', label: '受理' },
  { stage: 'reviewing', label: '审核' },
  { stage: 'decided', label: '决定' },
  { stage: 'delivered', label: '送达' },
];

export interface MatterStateInfo {
  state: MatterState;
  label: string;
  /** One plain sentence for the citizen. */
  explanation: string;
  /** Nothing more happens to the matter by itself or by staff. */
  final: boolean;
  /** The stage a progress bar shows; null when the matter is outside the four stages. */
  stage: MatterStage | null;
}

export const MATTER_STATES: readonly MatterStateInfo[] = [
  {
    state: 'waiting',
    label: '等待前序事项',
    explanation: '要等前面的事项办好才能开始，比如社保卡要等养老保险登记办好，不用您操作。',
    final: false,
    stage: null,
  },
  {
    state: 'accepted',
    label: '已受理',
    explanation: '申请已经收到，正在交给负责的部门。',
    final: false,
    stage: 'accepted',
  },
  {
    state: 'reviewing',
    label: '审核中',
    explanation: '负责的部门正在审核办理，一般几秒钟就有结果。',
    final: false,
    stage: 'reviewing',
  },
  {
    state: 'retrying',
    label: '正在重试',
    explanation: '部门系统暂时没有回应，系统会自动再试，不会重复办理，也不会重复收费。',
    final: false,
    stage: 'reviewing',
  },
  {
    state: 'manual',
    label: '人工处理中',
    explanation: '系统没能自动办好，已转给工作人员处理，办好后会通知您；着急可拨打 12333。',
    final: false,
    stage: 'reviewing',
  },
  {
    state: 'decided',
    label: '已办理，待您操作',
    explanation: '部门已经办好，还需要您做最后一步，比如缴纳第一笔社保费。',
    final: false,
    stage: 'decided',
  },
  {
    state: 'delivered',
    label: '已办结',
    explanation: '已经办好，结果可以在这里查看。',
    final: true,
    stage: 'delivered',
  },
  {
    state: 'notNeeded',
    label: '无需办理',
    explanation: '您不需要办这一项，比如已经有宁夏社保卡的，不用再申领。',
    final: true,
    stage: null,
  },
  {
    state: 'rejected',
    label: '不予办理',
    explanation: '这一项没能办理，原因和可以怎么办写在下面；有疑问可拨打 12333 或 12345。',
    final: true,
    stage: 'decided',
  },
];

export const MATTER_STATE_LABELS: Readonly<Record<MatterState, string>> = Object.fromEntries(
  MATTER_STATES.map((s) => [s.state, s.label]),
) as Record<MatterState, string>;

export const FINAL_MATTER_STATES: readonly MatterState[] = MATTER_STATES.filter((s) => s.final).map((s) => s.state);

export function matterStateInfo(state: MatterState): MatterStateInfo {
  const info = MATTER_STATES.find((s) => s.state === state);
  if (!info) throw new Error(`unknown matter state ${state}`);
  return info;
}

export function isFinalMatterState(state: MatterState): boolean {
  return FINAL_MATTER_STATES.includes(state);
}

/** What a whole case's status is called, to citizens and staff alike. */
export const CASE_STATUS_LABELS: Readonly<Record<CaseStatus, string>> = {
  processing: '办理中',
  awaitingPayment: '待缴纳首期社会保险费',
  completed: '已办结',
};

/**
 * A case in one line, the first thing its progress page says:
 * `已办结 5/6，待缴费 1` (decided is the premium assessed and waiting for the
 * citizen's payment; then with staff, refused, not needed, under way).
 */
export function caseSummary(states: readonly MatterState[]): string {
  const count = (...wanted: MatterState[]) => states.filter((s) => wanted.includes(s)).length;
  const parts: [string, number][] = [
    ['待缴费', count('decided')],
    ['人工处理中', count('manual')],
    ['不予办理', count('rejected')],
    ['无需办理', count('notNeeded')],
    ['办理中', count('waiting', 'accepted', 'reviewing', 'retrying')],
  ];
  const head = `已办结 ${count('delivered')}/${states.length}`;
  return [head, ...parts.filter(([, n]) => n > 0).map(([label, n]) => `${label} ${n}`)].join('，');
}
