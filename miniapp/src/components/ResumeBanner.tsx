import { View } from '@tarojs/components';

/** 继续填写: said when the citizen comes back to the step they left (a return visit or a reload). */
export function ResumeBanner({ text = '已为您恢复上次填写的内容，从这里接着填就行。' }: { text?: string }) {
  return (
    <View className="card card--attention" role="status" data-testid="resume-banner">
      <View className="card__title">继续填写</View>
      <View className="text">{text}</View>
    </View>
  );
}
