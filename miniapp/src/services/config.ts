/**
 * Where the BFF is. The H5 build is served by the BFF itself, so its calls are
 * same-origin; the mini-program needs the address (TARO_APP_API_BASE in an env
 * file, see Taro's mode env files).
 */
export const API_BASE: string =
  process.env.TARO_ENV === 'h5' ? '' : (process.env.TARO_APP_API_BASE ?? 'http://127.0.0.1:3000');
