// Runs first in the mini-program bundle, before Taro numbers component attributes.
import { mergeInternalComponents } from '@tarojs/shared';
import components from './components';

mergeInternalComponents(components);
