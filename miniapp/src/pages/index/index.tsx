import { View } from '@tarojs/components';
import { useEffect } from 'react';
import { MATTERS, STATUTORY_TOTAL_DAYS } from '@flexins/shared';
import { ActionButton } from '../../components/controls';
import { HelpLine } from '../../components/HelpLine';
import { MatterList } from '../../components/MatterList';
import { Page } from '../../components/Page';
import { applyHostRequest } from '../../services/elderly';
import { go, pageParams, ROUTES } from '../../services/nav';
import { HOME_TEXT } from '../../text';
import './index.css';

/** The landing page: what the one thing is and which six matters it covers. */
export default function Index() {
  const params = pageParams();
  useEffect(() => applyHostRequest(params), []);
  // Back from the cashier after paying at a service window on one's own phone: say what happened and what next.
  const fromWindow = params.from === 'window' && params.orderId;
  const windowPayment = HOME_TEXT.windowPayment;
  return (
    <Page title={HOME_TEXT.title}>
      {fromWindow && (
        <View className="notice notice--info" role="status" data-testid="window-payment-return">
          <View className="notice__text">
            {params.status === 'paid'
              ? windowPayment.paid
              : params.status === 'cancelled'
                ? windowPayment.cancelled
                : windowPayment.other}
          </View>
        </View>
      )}
      <View className="home__intro">{HOME_TEXT.intro(STATUTORY_TOTAL_DAYS)}</View>
      <ActionButton onTap={() => go(ROUTES.entry)} testId="start">
        {HOME_TEXT.start}
      </ActionButton>
      <View className="home__heading" role="heading" aria-level={2}>
        {HOME_TEXT.mattersHeading}
      </View>
      <MatterList matters={MATTERS} />
      <HelpLine />
    </Page>
  );
}
