/**
 * Cache keys: canonical argument strings, the `cacheKey` protocol, and length bounding.
 *
 * @packageDocumentation
 */
export { cacheKey } from './cacheKey.js';
export type { HasCacheKey } from './cacheKey.js';
export { hashKey } from './hashKey.js';
export { stableKey } from './stableKey.js';
