/** An ISO instant as Beijing time, `2026-11-29 17:42`, whatever the phone's time zone. */
export function chinaDateTime(iso: string): string {
  const shifted = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`;
}
