import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { formatYuan, MATTER_STAGES, type MatterView } from '@flexins/shared';
import { CARD_STATUS_LABELS, REF_LABELS, STATE_SIGNS } from '../text';
import { Pairs } from './controls';

const STAGE_ORDER = MATTER_STAGES.map((s) => s.stage);

/** The four stages 受理 → 审核 → 决定 → 送达, each said as done or not in words. */
function Stages({ matter }: { matter: MatterView }) {
  if (!matter.stage) return null;
  const reached = STAGE_ORDER.indexOf(matter.stage);
  return (
    <View className="stages" aria-label={`办理环节：已到“${MATTER_STAGES[reached]?.label ?? ''}”`}>
      {MATTER_STAGES.map((s, i) => (
        <View key={s.stage} className={`stages__step${i <= reached ? ' stages__step--done' : ''}`}>
          {i <= reached ? '✓' : '○'} {s.label}
        </View>
      ))}
    </View>
  );
}

function fen(value: unknown): string | undefined {
  return typeof value === 'number' ? `${formatYuan(value)} 元` : undefined;
}

/**
 * The results worth showing beside the numbers, in words. With `tracked`, the
 * card's progress and mail number come live from HRSS (the tracking panel),
 * not from what was true at acceptance.
 */
function resultRows(matter: MatterView, tracked: boolean): { label: string; value: string }[] {
  const r = matter.result ?? {};
  const rows: { label: string; value: string | undefined }[] = [];
  switch (matter.id) {
    case 'archiveTransfer':
      rows.push({ label: '档案接收机构', value: r.receivingCentre as string | undefined });
      rows.push({ label: '说明', value: r.note as string | undefined });
      break;
    case 'pensionRegistration':
      rows.push({ label: '养老保险缴费基数（每月）', value: fen(r.baseFen) });
      rows.push({ label: '养老保险（每月）', value: fen(r.monthlyPensionFen) });
      break;
    case 'socialSecurityCard': {
      const card = r.electronicCard as { eCardNo?: string; issuedAt?: string } | undefined;
      if (!tracked) {
        rows.push({
          label: '实体卡进度',
          value: CARD_STATUS_LABELS[String(r.cardStatus)] ?? (r.cardStatus as string | undefined),
        });
        rows.push({
          label: '邮件号',
          value: (r.trackingNo as string | undefined) ?? (matter.state === 'delivered' ? '寄出后显示' : undefined),
        });
      }
      rows.push({ label: '电子社保卡', value: card?.eCardNo ? `已领取（${card.eCardNo}），可以马上使用` : undefined });
      break;
    }
    case 'medicalRegistration':
      rows.push({
        label: '办理方式',
        value: r.kind === 'change' ? '变更登记' : r.kind === 'new' ? '新参保登记' : undefined,
      });
      rows.push({ label: '医保待遇开始日期', value: r.coverageStartsOn as string | undefined });
      rows.push({ label: '医疗保险（每月）', value: fen(r.monthlyMedicalFen) });
      break;
    case 'premiumDeclaration': {
      const a = r.assessment as { totalFen?: number; pensionFen?: number; medicalFen?: number } | undefined;
      rows.push({
        label: '缴费月份',
        value: r.periodStart ? `${String(r.periodStart)} 至 ${String(r.periodEnd ?? r.periodStart)}` : undefined,
      });
      rows.push({ label: '养老保险', value: fen(a?.pensionFen) });
      rows.push({ label: '医疗保险', value: fen(a?.medicalFen) });
      rows.push({ label: '应缴合计', value: fen(a?.totalFen) });
      rows.push({ label: '缴费截止日期', value: r.paymentDeadline as string | undefined });
      break;
    }
    default:
  }
  return rows.filter((row): row is { label: string; value: string } => Boolean(row.value));
}

/**
 * One matter: its state in words and a sign, the stages, why it waits or
 * stopped, and every number; `tracking`, when given, is what happened after
 * (the card's post, the archive's transfer) and goes last.
 */
export function MatterProgress({ matter, tracking }: { matter: MatterView; tracking?: ReactNode }) {
  const results = resultRows(matter, Boolean(tracking));
  const numbers = Object.entries(matter.refs).map(([key, value]) => ({ label: REF_LABELS[key] ?? key, value }));
  const attention = matter.state === 'manual' || matter.state === 'retrying' || matter.state === 'rejected';
  return (
    <View
      className={`card matter${attention ? ' card--attention' : matter.state === 'delivered' ? ' card--good' : ''}`}
      role="listitem"
      data-matter={matter.id}
      data-state={matter.state}
    >
      <View className="card__title">{matter.name}</View>
      <View className="text text--muted">{matter.department}</View>
      <View className="matter__state">
        {STATE_SIGNS[matter.state] ?? ''} {matter.stateLabel}
      </View>
      <Stages matter={matter} />
      <View className="text">{matter.explanation}</View>
      {matter.cause && <View className="text">原因：{matter.cause}</View>}
      {matter.state === 'manual' && (
        <View className="text">接下来：工作人员会接手办理，办好后会发消息通知您，不用重新申请；着急可拨打 12333。</View>
      )}
      {(numbers.length > 0 || results.length > 0) && <Pairs rows={[...numbers, ...results]} />}
      {tracking}
    </View>
  );
}
