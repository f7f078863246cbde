/**
 * `tagcache/testing`: the store contract suite for store authors.
 *
 * @example
 * ```ts
 * import { describeStoreContract } from 'tagcache/testing';
 * describeStoreContract('my store', () => myStore());
 * ```
 *
 * @packageDocumentation
 */
export { describeStoreContract, type StoreFactory } from './describeStoreContract.js';
export { manualTimers, type ManualTimers } from './manualTimers.js';
export {
  makeEntry,
  expectHit,
  expectMiss,
  type StoreContractOptions,
  type StoreCapabilities,
  type StoreCapability,
  type ContractContext,
  type ContractCase,
} from './contractKit.js';
