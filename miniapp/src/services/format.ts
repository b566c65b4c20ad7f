/** An ISO instant as Beijing time, `2026-11-29 17:42`, whatever the phone's time zone (one helper, in shared). */
export { chinaDateTime } from '@flexins/shared';
