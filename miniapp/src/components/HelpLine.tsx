import { Button, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { HELP_LINE_TEXT } from '../text';
import './HelpLine.css';

interface Hotline {
  number: string;
  label: string;
}

function call(phoneNumber: string) {
  // A rejection only means the citizen closed the dialog or the device cannot dial;
  // the numbers stay on screen either way.
  Taro.makePhoneCall({ phoneNumber }).catch(() => undefined);
}

function CallHotline({ number, label }: Hotline) {
  const text = HELP_LINE_TEXT.callButton(number);
  // On H5, Taro's Button is a custom element that screen readers and keyboards treat as
  // plain text; a tel: link is a real control there. Mini-programs have no links.
  if (process.env.TARO_ENV === 'h5') {
    return (
      <a className="help-line__call" href={`tel:${number}`} aria-label={label}>
        {text}
      </a>
    );
  }
  return (
    <Button className="help-line__call" aria-label={label} onClick={() => call(number)}>
      {text}
    </Button>
  );
}

/** The hotlines a citizen can call for help, with a way to dial each. */
export function HelpLine() {
  return (
    <View className="help-line">
      <View className="help-line__text">{HELP_LINE_TEXT.line}</View>
      <View className="help-line__actions">
        {HELP_LINE_TEXT.hotlines.map((hotline) => (
          <CallHotline key={hotline.number} {...hotline} />
        ))}
      </View>
    </View>
  );
}
