import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { go, ROUTES } from '../services/nav';
import { setElderlyMode, useElderlyMode } from '../services/elderly';
import { ActionButton } from './controls';
import './ui.css';

/** Every page: its title as the first heading, the 长辈版 switch and the way to help. */
export function Page({ title, children, noHelpLink }: { title: string; children: ReactNode; noHelpLink?: boolean }) {
  const elderly = useElderlyMode();
  return (
    <View className={`page${elderly ? ' page--elderly' : ''}`} data-elderly={elderly ? 'on' : 'off'}>
      <View className="page__bar">
        <ActionButton
          small
          kind="secondary"
          label={elderly ? '长辈版已开启，点按关闭' : '开启长辈版（大字体）'}
          onTap={() => setElderlyMode(!elderly)}
          testId="elderly-toggle"
        >
          {elderly ? '✓ 长辈版' : '长辈版'}
        </ActionButton>
        {!noHelpLink && (
          <ActionButton small kind="secondary" label="帮助和咨询电话" onTap={() => go(ROUTES.help)}>
            帮助
          </ActionButton>
        )}
      </View>
      <View className="page__title" role="heading" aria-level={1}>
        {title}
      </View>
      {children}
    </View>
  );
}
