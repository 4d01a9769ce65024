export * from './decision';
export * from './caller';
export * from './decide-request';
export * from './decide-response';
export * from './policy-input';
export * from './errors';
export { sortedKeys } from './json';
export { LruCache } from './lru';
