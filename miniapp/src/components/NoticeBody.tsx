// 一次告知 as the applicant reads it: the six matters with their limits and
// fees, the conditions, the materials, what is prefilled, what each department
// receives, what is done offline. On the citizen's notice page and on the
// window clerk's screen, shown to the citizen before they consent.
import { View } from '@tarojs/components';
import type { Notice } from '@flexins/shared';
import { Pairs, SectionTitle } from './controls';

export function NoticeBody({ notice }: { notice: Notice }) {
  return (
    <View>
      <View className="text">{notice.intro}</View>
      <View className="text text--muted">告知书版本：{notice.version}</View>

      <SectionTitle>一次办好的六个事项</SectionTitle>
      <View role="list">
        {notice.matters.map((matter, index) => (
          <View key={matter.id} className="card" role="listitem">
            <View className="card__title">
              {index + 1}. {matter.name}
            </View>
            <View className="text">{matter.whatItDoes}</View>
            <Pairs
              rows={[
                { label: '办理部门', value: matter.department },
                { label: '办理时限', value: `立即办理（原来最长 ${matter.statutoryLimitDays} 个工作日）` },
                { label: '费用', value: matter.fee.text },
              ]}
            />
            {matter.conditions.map((condition) => (
              <View key={condition} className="text text--muted">
                条件：{condition}
              </View>
            ))}
          </View>
        ))}
      </View>

      <SectionTitle>所有事项都要满足的条件</SectionTitle>
      {notice.generalConditions.map((condition) => (
        <View key={condition} className="text">
          · {condition}
        </View>
      ))}

      <SectionTitle>{notice.materials.summary}</SectionTitle>
      <View className="text">{notice.materials.explanation}</View>

      <SectionTitle>这些信息自动带出，不用您填</SectionTitle>
      <Pairs rows={notice.prefill.map((p) => ({ label: p.field, value: p.source }))} />

      <SectionTitle>各部门收到您的哪些信息</SectionTitle>
      {Object.values(notice.dataSharing).map((entry) => (
        <View key={entry.recipient} className="card">
          <View className="card__title">{entry.name}</View>
          <View className="text">{entry.fields.map((f) => f.label).join('、')}</View>
          {entry.note && <View className="text text--muted">{entry.note}</View>}
        </View>
      ))}

      <SectionTitle>需要到窗口办理的情况</SectionTitle>
      {notice.offline.map((item) => (
        <View key={item.what} className="card">
          <View className="card__title">{item.what}</View>
          <View className="text">{item.where}</View>
          <View className="text text--muted">{item.note}</View>
        </View>
      ))}
    </View>
  );
}
