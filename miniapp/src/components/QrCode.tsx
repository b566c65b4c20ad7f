import { Image, View } from '@tarojs/components';
import qrcode from 'qrcode-generator';

/**
 * A QR code drawn here, not fetched: qrcode-generator (no dependencies, no
 * DOM, no eval) encodes the text and gives a GIF data URL, which an <img> on
 * H5 and Taro's Image in the mini-program both show.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const src = qr.createDataURL(6, 4);
  return (
    <View className="qr">
      {process.env.TARO_ENV === 'h5' ? (
        <img className="qr__image" src={src} alt={label} data-modules={qr.getModuleCount()} />
      ) : (
        <Image className="qr__image" src={src} aria-label={label} mode="aspectFit" />
      )}
    </View>
  );
}
