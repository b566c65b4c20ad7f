// The certified ID photo (公安部门认证的证件照) the platform shares for the
// social security card: a small PNG per person, made from the person's key
// so it is the same on every start — a plain background and a head-and-
// shoulders silhouette, 90×110 px, a few hundred bytes. Built with zlib only.
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

export const PHOTO_WIDTH = 90;
export const PHOTO_HEIGHT = 110;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

type Rgb = readonly [number, number, number];

/** HSL (h in degrees, s and l in 0…1) to 8-bit RGB. */
function hsl(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** An RGB PNG, 8 bits per channel, no filtering. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The person's photo and the day it was certified, both derived from the key. */
export function certifiedPhoto(personKey: string): {
  contentType: 'image/png';
  base64: string;
  certifiedAt: string;
} {
  const digest = createHash('sha256').update(`identity-photo:${personKey}`).digest();
  const hue = digest.readUInt16BE(0) % 360;
  const background = hsl(hue, 0.45, 0.82);
  const figure = hsl(hue, 0.25, 0.32);
  const cx = PHOTO_WIDTH / 2;
  const png = encodePng(PHOTO_WIDTH, PHOTO_HEIGHT, (x, y) => {
    const head = (x - cx) ** 2 / 18 ** 2 + (y - 44) ** 2 / 22 ** 2 <= 1;
    const shoulders = y >= 72 && (x - cx) ** 2 / 40 ** 2 + (y - 112) ** 2 / 38 ** 2 <= 1;
    return head || shoulders ? figure : background;
  });
  // Certified some day between 2018-01-01 and about 2024-10.
  const day = new Date(Date.UTC(2018, 0, 1) + (digest.readUInt16BE(2) % 2500) * 86_400_000);
  return { contentType: 'image/png', base64: png.toString('base64'), certifiedAt: day.toISOString().slice(0, 10) };
}
