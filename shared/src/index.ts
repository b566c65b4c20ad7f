export * from './errors';
export * from './mask';
export * from './matters';
export * from './validation-messages';
