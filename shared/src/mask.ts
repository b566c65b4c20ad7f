/**
 * Masking (脱敏) for staff views and logs. One place, so every screen and
 * every log line hides the same digits.
 */

/** `640104199001011234` → `640104********1234` (region code and last four kept). */
export function maskIdNumber(id: string): string {
  if (id.length <= 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** `13812345678` → `138****5678`. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** `张三` → `张*`, `欧阳娜娜` → `欧***`. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

// Digit runs that look like a resident ID number (18 chars, last may be X) or a
// mainland mobile number, standing on their own: not inside a run of letters
// and digits, where an opaque id such as `A9f13812345678c…` (random hex) would
// otherwise be taken for a phone and masked — and refused as a rate-limit key.
// Used as the last line of defence in log output.
const ID_NUMBER_PATTERN = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const PHONE_PATTERN = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g;

/** Masks every ID number and mobile number found inside free text. */
export function scrubPersonalData(text: string): string {
  return text.replace(ID_NUMBER_PATTERN, maskIdNumber).replace(PHONE_PATTERN, maskPhone);
}
