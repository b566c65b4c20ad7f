import { View } from '@tarojs/components';
import { CURRENT_POLICY, formatYuan, isAllowedBaseGrade, monthlyPremium } from '@flexins/shared';
import { Pairs } from './controls';

/**
 * What the chosen grade costs, live: the same figures and rounding the tax
 * system assesses with (shared/src/policy.ts).
 */
export function PremiumCalculator({ grade, months }: { grade: number | undefined; months: number | undefined }) {
  if (grade === undefined || !isAllowedBaseGrade(grade)) {
    return <View className="text text--muted">选好档次后，这里会算出每月要交多少钱。</View>;
  }
  const premium = monthlyPremium(grade);
  const rows = [
    { label: '养老保险缴费基数（每月）', value: `${formatYuan(premium.baseFen)} 元` },
    { label: '养老保险（每月）', value: `${formatYuan(premium.pensionFen)} 元` },
    { label: '医疗保险（每月）', value: `${formatYuan(premium.medicalFen)} 元` },
    { label: '每月合计', value: `${formatYuan(premium.totalFen)} 元` },
    ...(months ? [{ label: `第一次缴 ${months} 个月，共`, value: `${formatYuan(premium.totalFen * months)} 元` }] : []),
  ];
  return (
    <View className="card" aria-live="polite" data-testid="premium-calculator">
      <View className="card__title">每月要交多少钱（{CURRENT_POLICY.year} 年标准）</View>
      <Pairs rows={rows} />
      <View className="text text--muted">以税务部门核定的金额为准。</View>
    </View>
  );
}
