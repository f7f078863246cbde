import { basicCases } from '../../lib/testing/cases/basics.js';
import { invalidationCases } from '../../lib/testing/cases/invalidation.js';
import { lifecycleCases } from '../../lib/testing/cases/lifecycle.js';
import { raceCases } from '../../lib/testing/cases/races.js';
import { keyValueCases } from '../../lib/testing/cases/keyValue.js';
import { describeStoreContract, makeEntry, type ContractCase } from '../../lib/testing/index.js';
import type { ReadResult, Store, WriteEntry } from '../../lib/stores/Store.js';

/** A store that caches but ignores epochs and tags: what the contract must catch. */
function naiveStore(): Store {
  const map = new Map<string, WriteEntry<unknown>>();
  const get = (ns: string, key: string): ReadResult<unknown> => {
    const e = map.get(ns + '\u0000' + key);
    if (!e) return { hit: false, epoch: 0 };
    return {
      hit: true,
      payload: e.payload,
      tags: e.tags,
      createdAt: e.createdAt,
      ttl: e.ttl,
      state: 'fresh',
      error: e.error,
      epoch: 0,
    };
  };
  return Object.freeze({
    kind: 'naive',
    holdsValues: true,
    get,
    set: (ns: string, key: string, entry: WriteEntry<unknown>) => (map.set(ns + '\u0000' + key, entry), true),
    delete: (ns: string, keys: readonly string[]) => keys.forEach((k) => map.delete(ns + '\u0000' + k)),
    invalidate: () => undefined,
    clear: () => map.clear(),
    close: () => Promise.resolve(),
  });
}

async function outcome(c: ContractCase): Promise<'pass' | 'fail'> {
  const store = naiveStore();
  try {
    await c.run({ store, ns: 'ns', otherNs: 'other', ttlMs: 50, entry: makeEntry });
    return 'pass';
  } catch {
    return 'fail';
  }
}

describe('describeStoreContract', () => {
  it('catches a store that ignores epochs and tags', async () => {
    const mustFail = [...raceCases, ...invalidationCases].filter(
      (c) =>
        !/no tags|untagged|another tag|another key|no invalidation|starts after|written after/.test(c.title),
    );
    const results = await Promise.all(mustFail.map(async (c) => [c.title, await outcome(c)] as const));
    expect(results.filter(([, r]) => r === 'pass').map(([t]) => t)).toEqual([]);
  });

  it('passes that store where the contract does not involve clocks', async () => {
    const neutral = basicCases.filter((c) => !/separators/.test(c.title));
    for (const c of neutral) expect([c.title, await outcome(c)]).toEqual([c.title, 'pass']);
  });

  it('declares one test per case under one describe, honouring skip and timeout', () => {
    const declared: { name: string; timeout?: number }[] = [];
    const g = globalThis as Record<string, unknown>;
    const saved = { describe: g['describe'], it: g['it'] };
    g['describe'] = (_name: string, body: () => void) => body();
    g['it'] = (name: string, _fn: unknown, timeout?: number) =>
      declared.push({ name, ...(timeout === undefined ? {} : { timeout }) });
    try {
      describeStoreContract('x', () => naiveStore(), { skip: ['timing', 'lock'], timeout: 1234 });
    } finally {
      Object.assign(g, saved);
    }
    const all = [...basicCases, ...raceCases, ...invalidationCases, ...lifecycleCases, ...keyValueCases];
    const expected = all.filter((c) => c.group !== 'timing' && c.group !== 'lock');
    expect(declared.map((d) => d.name)).toEqual(expected.map((c) => `${c.group}: ${c.title}`));
    expect(declared.every((d) => d.timeout === 1234)).toBe(true);
  });

  it('says what it needs when there is no test runner', () => {
    const g = globalThis as Record<string, unknown>;
    const saved = g['describe'];
    g['describe'] = undefined;
    try {
      expect(() => describeStoreContract('x', () => naiveStore())).toThrow(/global describe\(\) and it\(\)/);
    } finally {
      g['describe'] = saved;
    }
  });
});
