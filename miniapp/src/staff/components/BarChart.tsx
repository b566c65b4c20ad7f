import { View } from '@tarojs/components';

export interface Bar {
  label: string;
  value: number;
  /** The figure as read aloud and printed beside the bar, e.g. "12 件". */
  text: string;
  tone?: 'normal' | 'good' | 'bad' | 'attention';
}

/**
 * Horizontal bars in plain CSS, each with its figure printed beside it: the
 * printed rows are the text equivalent, and the chart's name says what it shows.
 */
export function BarChart({
  id,
  title,
  bars,
  empty = '暂无数据',
}: {
  id: string;
  title: string;
  bars: readonly Bar[];
  empty?: string;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <View className="chart" role="figure" aria-labelledby={`${id}-title`} data-testid={id}>
      <View id={`${id}-title`} className="chart__title">
        {title}
      </View>
      {bars.length === 0 && <View className="text text--muted">{empty}</View>}
      <View role="list">
        {bars.map((bar) => (
          <View key={bar.label} className="chart__row" role="listitem" aria-label={`${bar.label}：${bar.text}`}>
            <View className="chart__label">{bar.label}</View>
            <View className="chart__track" aria-hidden="true">
              <View
                className={`chart__bar chart__bar--${bar.tone ?? 'normal'}`}
                style={{ width: `${Math.round((bar.value / max) * 100)}%` }}
              />
            </View>
            <View className="chart__value">{bar.text}</View>
          </View>
        ))}
      </View>
    </View>
  );
}
