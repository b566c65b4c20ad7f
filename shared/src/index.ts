export * from './errors';
export * from './mask';
export * from './matters';
export * from './validation-messages';
export * from './regions';
export * from './id-number';
export * from './policy';
export * from './contracts';
