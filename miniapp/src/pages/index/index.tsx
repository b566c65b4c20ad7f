import { View } from '@tarojs/components';
import { MATTERS, STATUTORY_TOTAL_DAYS } from '@flexins/shared';
import { HelpLine } from '../../components/HelpLine';
import { MatterList } from '../../components/MatterList';
import { HOME_TEXT } from '../../text';
import './index.css';

/** The landing page: what the one thing is and which six matters it covers. */
export default function Index() {
  return (
    <View className="home">
      <View className="home__title" role="heading" aria-level="1">
        {HOME_TEXT.title}
      </View>
      <View className="home__intro">{HOME_TEXT.intro(STATUTORY_TOTAL_DAYS)}</View>
      <View className="home__heading" role="heading" aria-level="2">
        {HOME_TEXT.mattersHeading}
      </View>
      <MatterList matters={MATTERS} />
      <HelpLine />
    </View>
  );
}
