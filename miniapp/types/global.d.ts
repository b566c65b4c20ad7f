/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.jpg';
declare module '*.svg';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    /** The platform being built: 'h5' is served by the BFF, 'weapp' is the mini-program. */
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | 'harmony' | 'rn';
    /** The mini-program's appid, if set in an env file. */
    TARO_APP_ID?: string;
  }
}
