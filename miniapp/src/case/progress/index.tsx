import { View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import {
  assessedPremium,
  caseSummary,
  chineseDate,
  formatYuan,
  type CaseView,
  type MatterView,
  type TaxAssessment,
} from '@flexins/shared';
import { ActionButton, ErrorNotice, Loading, Pairs, SectionTitle } from '../../components/controls';
import { MatterProgress } from '../../components/MatterProgress';
import {
  TrackingPanel,
  trackedMatterOf,
  trackingFailureMessage,
  trackingKey,
  useCaseTracking,
} from '../../components/TrackingPanel';
import { Page } from '../../components/Page';
import { PremiumCover } from '../../components/PremiumCover';
import { paymentReturn, payPremium } from '../../platform/payment';
import { api } from '../../services/api';
import { chinaDateTime } from '../../services/format';
import { ApiError, messageOf } from '../../services/http';
import { go, pageParams, replace, ROUTES } from '../../services/nav';

const FIRST_POLL_MS = 1_000;
const MAX_POLL_MS = 8_000;

/** Nothing moves by itself any more: done, waiting for the citizen, refused, or with staff. */
export function atRest(view: CaseView): boolean {
  return view.matters.every(
    (m) =>
      ['delivered', 'decided', 'notNeeded', 'rejected', 'manual'].includes(m.state) ||
      (m.state === 'waiting' && Boolean(m.cause)),
  );
}

function fingerprint(view: CaseView): string {
  return view.matters.map((m) => `${m.state}:${m.attempts}`).join(',') + view.status;
}

/**
 * The first premium, like the postage: what it covers and the amount first,
 * then the cashier (its page or the host's sheet), then the tax system's receipt.
 */
function PremiumPayment({
  view,
  returned,
  onPaid,
}: {
  view: CaseView;
  returned: string | undefined;
  onPaid: (view: CaseView) => void;
}) {
  const premium = view.matters.find((m) => m.id === 'premiumDeclaration');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [said, setSaid] = useState(returned);
  const result = premium?.result as
    { assessment?: TaxAssessment; periodStart?: string; periodEnd?: string; paymentDeadline?: string } | undefined;
  if (premium?.state !== 'decided' || !result?.assessment || !result.periodStart || !result.periodEnd) return null;
  const cover = assessedPremium(result.assessment, result.periodStart, result.periodEnd);

  async function pay() {
    setBusy(true);
    setError(undefined);
    setSaid(undefined);
    try {
      const step = await payPremium(view.caseNo);
      if (step.kind === 'leaving') return;
      if (step.kind === 'cancelled') setSaid(paymentReturn('cancelled', false));
      else onPaid(step.view);
    } catch (err) {
      setError(messageOf(err));
    }
    setBusy(false);
  }

  return (
    <View className="card card--attention" data-testid="premium">
      <View className="card__title">还差一步：缴纳第一笔社会保险费</View>
      <View className="text">
        税务部门已核定，请核对下面的月份和金额。确认后到“我的宁夏”收银台支付，缴费后参保才生效。
      </View>
      <PremiumCover cover={cover} />
      {result.paymentDeadline && (
        <View className="text text--muted">请在 {chineseDate(result.paymentDeadline)} 前缴纳。</View>
      )}
      {said && (
        <View className="text" role="status" data-testid="payment-return">
          {said}
        </View>
      )}
      {error && <ErrorNotice message={error} onRetry={() => void pay()} />}
      <ActionButton onTap={() => void pay()} busy={busy} testId="pay-premium">
        {busy ? '正在打开收银台…' : `确认金额，去支付 ${formatYuan(cover.totalFen)} 元`}
      </ActionButton>
    </View>
  );
}

interface PaidReceipt {
  paidFen?: number;
  paidAt?: string;
  electronicReceipt?: {
    items?: { name: string; amountFen: number }[];
    issuedBy?: string;
    verificationCode?: string;
  };
}

function Receipt({ premium }: { premium: MatterView | undefined }) {
  const receipt = premium?.result?.receipt as PaidReceipt | undefined;
  if (!premium?.refs.receiptNo) return null;
  const e = receipt?.electronicReceipt;
  return (
    <View className="card card--good" data-testid="receipt">
      <View className="card__title">✓ 社会保险费已缴纳</View>
      <Pairs
        rows={[
          { label: '电子缴款凭证号', value: premium.refs.receiptNo },
          ...(receipt?.paidFen ? [{ label: '缴费金额', value: `${formatYuan(receipt.paidFen)} 元` }] : []),
          ...(e?.items ?? []).map((item) => ({ label: item.name, value: `${formatYuan(item.amountFen)} 元` })),
          ...(receipt?.paidAt ? [{ label: '缴费时间', value: chinaDateTime(receipt.paidAt) }] : []),
          ...(e?.issuedBy ? [{ label: '开具单位', value: e.issuedBy }] : []),
          ...(e?.verificationCode ? [{ label: '凭证查验码', value: e.verificationCode }] : []),
        ]}
      />
    </View>
  );
}

/** Progress and results: every matter live (polling with back-off), the first premium, the certificate. */
export default function ProgressPage() {
  const [view, setView] = useState<CaseView>();
  const [error, setError] = useState<string>();
  const [polling, setPolling] = useState(true);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const delay = useRef(FIRST_POLL_MS);
  const last = useRef('');
  const caseNo = useRef(pageParams().caseNo);
  // Back from the cashier with ?orderId=…&status=…: say what happened, and enter a paid premium.
  const [returned, setReturned] = useState<string>();
  const back = useRef(pageParams());

  async function refresh() {
    if (timer.current) clearTimeout(timer.current);
    try {
      let next: CaseView | null;
      if (caseNo.current) next = await api.case(caseNo.current);
      else next = (await api.currentCase()).application;
      if (!next) return replace(ROUTES.notice);
      caseNo.current = next.caseNo;
      if (back.current.orderId) next = await afterCashier(next);
      setError(undefined);
      show(next);
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'signedOut') return replace(ROUTES.entry);
      setError(messageOf(err));
      // Keep trying in the background, slower.
      schedule(Math.min(delay.current * 2, MAX_POLL_MS));
    }
  }

  /** Once, on coming back from the cashier: a cancel is said; a payment is entered with the tax system. */
  async function afterCashier(view: CaseView): Promise<CaseView> {
    const { status } = back.current;
    back.current = {};
    const premium = view.matters.find((m) => m.id === 'premiumDeclaration');
    // The cashier's notification may have entered the payment before the page is back: still say it worked.
    if (status === 'paid' && premium?.state === 'delivered') {
      setReturned(paymentReturn(status, true));
      return view;
    }
    if (status !== 'paid' || premium?.state !== 'decided') {
      if (premium?.state === 'decided') setReturned(paymentReturn(status, false));
      return view;
    }
    try {
      const paid = await api.confirmPremium(view.caseNo);
      setReturned(paymentReturn(status, true));
      return paid;
    } catch (err) {
      setReturned(paymentReturn(status, false));
      setError(messageOf(err));
      return view;
    }
  }

  function schedule(ms: number) {
    delay.current = ms;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void refresh(), ms);
  }

  function show(next: CaseView) {
    setView(next);
    const print = fingerprint(next);
    const changed = print !== last.current;
    last.current = print;
    // Paid but not yet shown as completed (the completion is written just after the payment):
    // keep looking, or the page would stop one step short.
    const paidNotDone = next.status === 'awaitingPayment' && !next.matters.some((m) => m.state === 'decided');
    if (atRest(next) && next.status !== 'processing' && !paidNotDone) {
      setPolling(false);
      return;
    }
    setPolling(true);
    // Something moved: look again soon; nothing moved: look less often.
    schedule(changed ? FIRST_POLL_MS : Math.min(Math.round(delay.current * 1.5), MAX_POLL_MS));
  }

  useEffect(() => {
    void refresh();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  // Asked when the page shows a delivered card or archive matter, and when one turns delivered — not on every poll.
  const tracking = useCaseTracking(
    view ? trackingKey(view.caseNo, view.matters) : '',
    () => api.tracking(view!.caseNo),
    (err) => trackingFailureMessage(err, messageOf),
  );

  if (!view) {
    return (
      <Page title="办理进度">
        {error ? <ErrorNotice message={error} onRetry={() => void refresh()} /> : <Loading />}
      </Page>
    );
  }

  const premium = view.matters.find((m) => m.id === 'premiumDeclaration');
  return (
    <Page title="办理进度和结果">
      <View className="card" role="status" data-testid="case-status" data-status={view.status}>
        <View className="card__title">{view.statusLabel}</View>
        <View className="case-summary" data-testid="case-summary">
          {caseSummary(view.matters.map((m) => m.state))}
        </View>
        <Pairs
          rows={[
            { label: '申请编号', value: view.caseNo },
            { label: '申请人', value: view.applicantName },
            { label: '提交时间', value: chinaDateTime(view.createdAt) },
            ...(view.postage
              ? [
                  {
                    label: '邮寄费',
                    value: `${formatYuan(view.postage.amountFen)} 元，${view.postage.refunded ? '已退回' : view.postage.paid ? '已支付' : '未支付'}`,
                  },
                ]
              : []),
          ]}
        />
        <View className="status-line">{polling ? '页面会自动刷新，不用一直点' : '已是最新情况'}</View>
      </View>
      {error && <ErrorNotice message={error} onRetry={() => void refresh()} />}
      {view.offlineNotes.map((note) => (
        <View key={note} className="notice notice--info">
          <View className="notice__text">{note}</View>
        </View>
      ))}
      {returned && premium?.state === 'delivered' && (
        <View className="notice notice--info" role="status" data-testid="payment-return">
          <View className="notice__text">{returned}</View>
        </View>
      )}
      <PremiumPayment key={returned ?? ''} view={view} returned={returned} onPaid={show} />
      <Receipt premium={premium} />

      {view.status === 'completed' && (
        <View className="card card--good">
          <View className="card__title">✓ 六个事项已全部办结</View>
          <ActionButton onTap={() => go(ROUTES.certificate, { caseNo: view.caseNo })} testId="certificate">
            查看办结凭证（二维码）
          </ActionButton>
          {view.rating ? (
            <View className="text">您已评价：{view.rating.score} 星，谢谢！</View>
          ) : (
            <ActionButton kind="secondary" onTap={() => go(ROUTES.rating, { caseNo: view.caseNo })} testId="rate">
              评价这次服务
            </ActionButton>
          )}
        </View>
      )}

      <SectionTitle>六个事项</SectionTitle>
      <View role="list">
        {view.matters.map((matter) => {
          const tracked = trackedMatterOf(matter);
          return (
            <MatterProgress
              key={matter.id}
              matter={matter}
              tracking={tracked && <TrackingPanel matter={tracked} state={tracking.state} onRetry={tracking.reload} />}
            />
          );
        })}
      </View>

      <SectionTitle>办理记录</SectionTitle>
      <View role="list">
        {[...view.timeline].reverse().map((event, i) => (
          <View key={`${event.at}-${i}`} className="pairs__row" role="listitem">
            <View className="pairs__label">{chinaDateTime(event.at).slice(11)}</View>
            <View className="pairs__value">{event.text}</View>
          </View>
        ))}
      </View>
      {!polling && (
        <ActionButton kind="secondary" onTap={() => void refresh()}>
          刷新
        </ActionButton>
      )}
      <ActionButton kind="secondary" onTap={() => go(ROUTES.messages)} testId="messages">
        查看消息
      </ActionButton>
    </Page>
  );
}
