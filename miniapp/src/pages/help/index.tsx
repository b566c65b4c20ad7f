import { View } from '@tarojs/components';
import { HRSS_WINDOW, NOTICE, WINDOW_HOURS } from '@flexins/shared';
import { Pairs, SectionTitle } from '../../components/controls';
import { HelpLine } from '../../components/HelpLine';
import { Page } from '../../components/Page';
import { ReportProblem } from '../../components/ReportProblem';

/** Help: whom to call, where the windows are and when they open, what is done offline. */
export default function HelpPage() {
  return (
    <Page title="帮助和咨询" noHelpLink>
      <HelpLine />
      <SectionTitle>咨询电话</SectionTitle>
      <Pairs rows={NOTICE.help.hotlines.map((h) => ({ label: `${h.number} ${h.name}`, value: h.use }))} />
      <SectionTitle>到窗口办理</SectionTitle>
      <View className="text">{NOTICE.help.windows}</View>
      <Pairs
        rows={[
          { label: '人社窗口', value: HRSS_WINDOW },
          { label: '办公时间', value: WINDOW_HOURS },
        ]}
      />
      <SectionTitle>这些情况要到窗口办</SectionTitle>
      {NOTICE.offline.map((item) => (
        <View key={item.what} className="card">
          <View className="card__title">{item.what}</View>
          <View className="text">{item.where}</View>
          <View className="text text--muted">{item.note}</View>
        </View>
      ))}
      <SectionTitle>反映问题</SectionTitle>
      <ReportProblem />
      <SectionTitle>长辈版</SectionTitle>
      <View className="text">点页面右上角的“长辈版”，字和按钮都会变大；再点一次恢复。</View>
    </Page>
  );
}
