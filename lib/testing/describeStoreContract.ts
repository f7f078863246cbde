/**
 * The store contract suite, for anyone writing a {@link Store}.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../stores/Store.js';
import { basicCases } from './cases/basics.js';
import { invalidationCases } from './cases/invalidation.js';
import { keyValueCases } from './cases/keyValue.js';
import { lifecycleCases } from './cases/lifecycle.js';
import { raceCases } from './cases/races.js';
import { makeEntry, type ContractCase, type StoreContractOptions } from './contractKit.js';

/**
 * Makes a fresh store for one case (each case closes its store at the end).
 *
 * @example
 * ```ts
 * const make: StoreFactory = () => memoryStore();
 * ```
 */
export type StoreFactory = () => Store | Promise<Store>;

interface Runner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeout?: number): void;
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
const ALL_CASES: readonly ContractCase[] = [
  ...basicCases,
  ...raceCases,
  ...invalidationCases,
  ...lifecycleCases,
  ...keyValueCases,
];

async function runCase(c: ContractCase, makeStore: StoreFactory, ttlMs: number): Promise<void> {
  const store = await makeStore();
  const id = randomUUID().slice(0, 8);
  try {
    await c.run({ store, ns: `contract:${id}`, otherNs: `contract:${id}:other`, ttlMs, entry: makeEntry });
  } finally {
    await store.close();
  }
}

/**
 * Declares the store contract as tests of the running test framework (global `describe`/`it`:
 * jest, mocha, vitest with globals), with `node:assert` assertions. It covers hits and misses,
 * payload fidelity, the epoch rules that refuse writes straddling an invalidation or a delete,
 * `drop` vs `stale` invalidation, delete markers, TTL and grace states, clear, namespace
 * isolation, entries with many tags, and locks when the store has them.
 *
 * @example
 * ```ts
 * // myStore.test.ts
 * import { describeStoreContract } from 'tagcache/testing';
 * import { myStore } from '../src/myStore';
 *
 * describeStoreContract('myStore', () => myStore({ url: process.env.MY_URL }));
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
  describe(`store contract: ${name}`, () => {
    for (const c of ALL_CASES) {
      if (skip.has(c.group)) continue;
      it(`${c.group}: ${c.title}`, () => runCase(c, makeStore, ttlMs), timeout);
    }
  });
}
