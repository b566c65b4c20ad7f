// Node-only helpers shared by the BFF and the department simulators. Not part
// of the mini-app's bundle (it imports '@flexins/shared', never this).
export * from './gateway';
export * from './gateway-client';
export * from './logger';
export * from './validation';
export * from './sequence';
