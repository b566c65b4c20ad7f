// What the first premium covers — the months, pension and medical each month,
// the total — said the same way before submitting (an estimate from the
// chosen grade) and before paying (the tax system's assessment).
import { chineseMonth, formatYuan, type PremiumCover as Cover } from '@flexins/shared';
import { Pairs } from './controls';

export function PremiumCover({ cover }: { cover: Cover }) {
  const period =
    cover.periodStart === cover.periodEnd
      ? chineseMonth(cover.periodStart)
      : `${chineseMonth(cover.periodStart)}至${chineseMonth(cover.periodEnd)}`;
  return (
    <Pairs
      rows={[
        { label: '缴费月份', value: `${period}，共 ${cover.months} 个月` },
        { label: '养老保险', value: `每月 ${formatYuan(cover.pensionFen)} 元` },
        { label: '医疗保险', value: `每月 ${formatYuan(cover.medicalFen)} 元` },
        { label: '每月合计', value: `${formatYuan(cover.monthlyTotalFen)} 元` },
        { label: '合计', value: `${formatYuan(cover.totalFen)} 元` },
      ]}
    />
  );
}
