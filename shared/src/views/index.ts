// The BFF's replies, one declaration each: what it sends and the mini-app reads.
export * from './common';
export * from './citizen';
export * from './staff';
