/**
 * The store contract suite, for anyone writing a {@link Store}.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../stores/Store.js';
import { basicCases, freshEntryCases, readIntoCases } from './cases/basics.js';
import { invalidationCases } from './cases/invalidation.js';
import { keyValueCases } from './cases/keyValue.js';
import { lifecycleCases } from './cases/lifecycle.js';
import { raceCases } from './cases/races.js';
import assert from 'node:assert/strict';
import {
  makeEntry,
  type ContractCase,
  type StoreCapabilities,
  type StoreCapability,
  type StoreContractOptions,
} from './contractKit.js';

/**
 * Makes a fresh store for one case (each case closes its store at the end).
 *
 * @example
 * ```ts
 * const make: StoreFactory = () => memoryStore();
 * ```
 */
export type StoreFactory = () => Store | Promise<Store>;

type TestFn = (name: string, body: () => Promise<void>, timeout?: number) => void;

interface Runner {
  describe(name: string, body: () => void): void;
  it: TestFn & { skip?: TestFn };
}

function runner(): Runner {
  const g = globalThis as { describe?: unknown; it?: unknown };
  if (typeof g.describe !== 'function' || typeof g.it !== 'function') {
    throw new Error(
      'describeStoreContract needs the global describe() and it() of a test runner (jest, mocha, vitest with globals: true)',
    );
  }
  return g as unknown as Runner;
}

/** Every case of the contract, in order. */
export const ALL_CASES: readonly ContractCase[] = [
  ...basicCases,
  ...raceCases,
  ...invalidationCases,
  ...lifecycleCases,
  ...keyValueCases,
  ...freshEntryCases,
  ...readIntoCases,
];

/** Declares a skipped test: visible in the runner's report, never a pass. */
function skipCase(it: Runner['it'], title: string): void {
  if (typeof it.skip !== 'function')
    throw new Error(
      'describeStoreContract needs it.skip() of the test runner to skip cases that need a capability the store lacks',
    );
  it.skip(title, async () => {});
}

async function runCase(contractCase: ContractCase, makeStore: StoreFactory, ttlMs: number): Promise<void> {
  const store = await makeStore();
  const id = randomUUID().slice(0, 8);
  try {
    await contractCase.run({
      store,
      ns: `contract:${id}`,
      otherNs: `contract:${id}:other`,
      ttlMs,
      entry: makeEntry,
    });
  } finally {
    await store.close();
  }
}

/** The methods each capability stands for: a store declaring it must have all of them. */
const CAPABILITY_METHODS: Readonly<Record<StoreCapability, readonly (keyof Store)[]>> = {
  lock: ['lock'],
  keyValue: ['getMany', 'setMany', 'remove', 'expire', 'scan', 'ping', 'info'],
  freshEntry: ['freshEntry'],
  readInto: ['readInto'],
};

/** Why `store` and the declaration of `capability` disagree, or undefined when they agree. */
function capabilityMismatch(
  store: Store,
  capability: StoreCapability,
  declared: boolean,
): string | undefined {
  const methods = CAPABILITY_METHODS[capability];
  const has = methods.filter((m) => typeof store[m] === 'function');
  const lacks = methods.filter((m) => typeof store[m] !== 'function');
  const list = (ms: readonly string[]): string => ms.map((m) => `${m}()`).join(', ');
  if (declared && lacks.length > 0)
    return `capabilities.${capability} is declared but the store has no ${list(lacks)}`;
  if (declared || has.length === 0) return undefined;
  if (lacks.length > 0)
    return `the store has ${list(has)} but not ${list(lacks)}: the ${capability} capability needs all of them (implement them, or skip: ['${capability}'])`;
  return `the store has ${list(has)}: declare capabilities: { ${capability}: true } (or skip: ['${capability}'])`;
}

/** Fails when the store's declared capabilities and its methods disagree (a skip must never hide a real capability). */
async function checkCapabilities(
  makeStore: StoreFactory,
  declared: StoreCapabilities,
  skipped: ReadonlySet<string>,
): Promise<void> {
  const store = await makeStore();
  try {
    for (const capability of Object.keys(CAPABILITY_METHODS) as StoreCapability[]) {
      if (skipped.has(capability)) continue;
      const mismatch = capabilityMismatch(store, capability, declared[capability] === true);
      if (mismatch !== undefined) assert.fail(mismatch);
    }
  } finally {
    await store.close();
  }
}

/**
 * Declares the store contract as tests of the running test framework (global `describe`/`it`:
 * jest, mocha, vitest with globals), with `node:assert` assertions. It covers hits and misses,
 * payload fidelity, the epoch rules that refuse writes straddling an invalidation or a delete,
 * `drop` vs `stale` invalidation, delete markers, TTL and grace states, clear, namespace
 * isolation, entries with many tags, locks when the store declares `capabilities: { lock: true }`,
 * and the key-value operations (`getMany` … `info`) when it declares `keyValue: true` (cases
 * needing a capability the store does not declare are declared with `it.skip`, naming it).
 *
 * @example
 * ```ts
 * // myStore.test.ts
 * import { describeStoreContract } from 'tagcache/testing';
 * // myStore: your store's factory, e.g. import { myStore } from '../src/myStore';
 *
 * describeStoreContract('myStore', () => myStore({ url: process.env.MY_URL }), {
 *   capabilities: { lock: true, keyValue: true },
 * });
 * ```
 */
export function describeStoreContract(
  name: string,
  makeStore: StoreFactory,
  options: StoreContractOptions = {},
): void {
  const { describe, it } = runner();
  const ttlMs = options.ttlMs ?? 300;
  const skip = new Set<string>(options.skip ?? []);
  const timeout = options.timeout ?? 20_000;
  const capabilities = options.capabilities ?? {};
  describe(`store contract: ${name}`, () => {
    it(
      'capabilities: the declared capabilities match the store',
      () => checkCapabilities(makeStore, capabilities, skip),
      timeout,
    );
    for (const c of ALL_CASES) {
      if (skip.has(c.group)) continue;
      const missing = (c.needs ?? []).filter((capability) => capabilities[capability] !== true);
      if (missing.length === 0) it(`${c.group}: ${c.title}`, () => runCase(c, makeStore, ttlMs), timeout);
      else skipCase(it, `${c.group}: ${c.title} (needs capability: ${missing.join(', ')})`);
    }
  });
}
