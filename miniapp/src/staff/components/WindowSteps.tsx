// The window visit's step bar (受理步骤). A step's number is its place in this
// visit's order, so a visit without the card (no postage step) reads 1 2 3 4 5.
import { View } from '@tarojs/components';

export type WindowStep = 'identity' | 'eligibility' | 'face' | 'postage' | 'form' | 'done';

const STEP_LABELS: Record<WindowStep, string> = {
  identity: '读取身份证',
  eligibility: '申报条件',
  face: '人脸核验',
  postage: '邮寄费',
  form: '填写申请表',
  done: '已提交',
};

/** The steps of this visit, in order: postage only when the card is applied for. */
export function windowStepsOf(withCard: boolean): WindowStep[] {
  return ['identity', 'eligibility', 'face', ...(withCard ? (['postage'] as const) : []), 'form', 'done'];
}

export function WindowSteps({ current, withCard }: { current: WindowStep; withCard: boolean }) {
  const order = windowStepsOf(withCard);
  const at = order.indexOf(current);
  return (
    <View className="steps" role="list" aria-label="受理步骤">
      {order.map((s, i) => (
        <View
          key={s}
          role="listitem"
          aria-current={s === current ? 'step' : undefined}
          className={`steps__step${s === current ? ' steps__step--current' : i < at ? ' steps__step--done' : ''}`}
        >
          {i < at ? '✓ ' : ''}
          {i + 1} {STEP_LABELS[s]}
        </View>
      ))}
    </View>
  );
}
