export * from './hrss';
export * from './identity';
export * from './payment';
export * from './medical';
export * from './tax';
export * from './market';
export * from './sms';
