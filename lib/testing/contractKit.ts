/**
 * Shared helpers of the store contract suite: the test context and entry builder.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import type { ReadResult, Store, StoreHit, WriteEntry } from '../stores/Store.js';

/**
 * What a store can do beyond the required methods; contract cases that need a capability the
 * store does not declare are skipped visibly (`it.skip`, the capability in the title).
 *
 * @example
 * ```ts
 * const capabilities: StoreCapabilities = { lock: true, keyValue: true }; // lock() and getMany() … info()
 * ```
 */
export interface StoreCapabilities {
  /** The store implements `lock(ns, key, ttl)` (cross-process single flight). */
  readonly lock?: boolean;
  /**
   * The store implements every optional key-value operation: `getMany`, `setMany`, `remove`,
   * `expire`, `scan`, `ping` and `info` (without them, the cache builds what it can from
   * `get`/`set`/`delete`).
   */
  readonly keyValue?: boolean;
  /** The store implements `freshEntry(ns, key)`, the plain hit's synchronous shortcut (in-process stores). */
  readonly freshEntry?: boolean;
  /** The store implements `readInto(ns, key, target)`, `get` handing its result to a target (remote stores). */
  readonly readInto?: boolean;
}

/**
 * A capability some contract cases need (a key of {@link StoreCapabilities}).
 *
 * @example
 * ```ts
 * const needs: StoreCapability[] = ['lock', 'keyValue'];
 * ```
 */
export type StoreCapability = keyof StoreCapabilities;

/**
 * Options of `describeStoreContract`.
 *
 * @example
 * ```ts
 * const opts: StoreContractOptions = { ttlMs: 500, capabilities: { lock: true }, skip: ['timing'] };
 * ```
 */
export interface StoreContractOptions {
  /**
   * What the store can do (default: nothing optional). A case needing a capability not declared
   * here is skipped, visibly; one more case checks the declaration against the store's methods.
   */
  readonly capabilities?: StoreCapabilities;
  /** Base TTL of the timing tests, in ms (they wait about 4× this). Default 300. */
  readonly ttlMs?: number;
  /** Groups of cases to leave out: `timing` (TTL and grace), `lock`, `clear`, `keyValue`. */
  readonly skip?: readonly ('timing' | 'lock' | 'clear' | 'keyValue' | 'freshEntry' | 'readInto')[];
  /** Per-test timeout handed to the runner's `it` (jest, vitest). Default 20,000 ms. */
  readonly timeout?: number;
}

/**
 * What each contract case receives: a fresh store and a namespace no other case uses.
 *
 * @example
 * ```ts
 * const run = async ({ store, ns, entry }: ContractContext) => { await store.set(ns, 'k', entry()); };
 * ```
 */
export interface ContractContext {
  readonly store: Store;
  readonly ns: string;
  /** A second namespace, for isolation checks. */
  readonly otherNs: string;
  readonly ttlMs: number;
  /** A valid entry: payload `"value"`, the given tags, ttl 60 s, no grace. */
  entry(tags?: readonly string[], overrides?: Partial<WriteEntry<unknown>>): WriteEntry<unknown>;
}

/**
 * One case of the contract.
 *
 * @example
 * ```ts
 * const c: ContractCase = { id: 'basics.miss', group: 'basics', title: 'misses', run: async ({ store, ns }) => { await store.get(ns, 'k'); } };
 * ```
 */
export interface ContractCase {
  /** Stable identity of the case (`group.name`), for selecting cases in meta-tests and reports. */
  readonly id: string;
  readonly group:
    | 'basics'
    | 'races'
    | 'invalidation'
    | 'delete'
    | 'clear'
    | 'timing'
    | 'lock'
    | 'keyValue'
    | 'freshEntry'
    | 'readInto';
  readonly title: string;
  /** Capabilities the store must declare for this case to run. */
  readonly needs?: readonly StoreCapability[];
  run(ctx: ContractContext): Promise<void>;
}

/**
 * Builds an entry (the default entry of {@link ContractContext.entry}).
 *
 * @example
 * ```ts
 * makeEntry(['user:1'], { ttl: 1000 });
 * ```
 */
export function makeEntry(
  tags: readonly string[] = [],
  overrides: Partial<WriteEntry<string>> = {},
): WriteEntry<string> {
  return {
    payload: '"value"',
    tags,
    createdAt: Date.now(),
    ttl: 60_000,
    grace: 0,
    error: false,
    ...overrides,
  };
}

/**
 * Asserts a read is a hit and returns it.
 *
 * @example
 * ```ts
 * const hit = expectHit(await store.get(ns, 'k'));
 * ```
 */
export function expectHit(r: ReadResult<unknown>, what = 'expected a hit'): StoreHit<unknown> {
  assert.equal(r.hit, true, what);
  return r as StoreHit<unknown>;
}

/**
 * Asserts a read is a miss and returns its epoch.
 *
 * @example
 * ```ts
 * const epoch = expectMiss(await store.get(ns, 'k'));
 * ```
 */
export function expectMiss(r: ReadResult<unknown>, what = 'expected a miss'): number {
  assert.equal(r.hit, false, what);
  assert.ok(!r.hit);
  assert.equal(typeof r.epoch, 'number', 'a miss carries a numeric epoch');
  assert.ok(Number.isFinite(r.epoch), 'the epoch is finite');
  return r.epoch;
}

/**
 * Waits `ms` milliseconds.
 */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
