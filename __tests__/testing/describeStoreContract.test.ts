import { ALL_CASES } from '../../lib/testing/describeStoreContract.js';
import {
  describeStoreContract,
  makeEntry,
  type ContractCase,
  type StoreContractOptions,
} from '../../lib/testing/index.js';
import type { ReadResult, ReadTarget, Store, WriteEntry } from '../../lib/stores/Store.js';
import { memoryStore } from '../../lib/stores/memoryStore.js';
import { derivedOps } from '../../lib/stores/storeOps.js';

/** The cases a store that ignores epochs and tags must fail, by identity. */
const MUST_FAIL_ON_NAIVE_STORE = [
  'races.straddle-drop',
  'races.straddle-stale',
  'races.refresh-straddled',
  'races.straddle-delete',
  'races.many-tags',
  'invalidation.drop',
  'invalidation.stale',
  'invalidation.drop-after-stale',
  'invalidation.several-tags',
  'invalidation.many-tags',
];

/** The cases that do not involve clocks or tags, which that store passes. */
const PASS_ON_NAIVE_STORE = [
  'basics.miss-epoch',
  'basics.write-then-hit',
  'basics.unconditional-write',
  'basics.error-flag',
  'basics.payload-fidelity',
  'basics.independent-keys',
  'basics.close-idempotent',
];

const caseById = (id: string): ContractCase => {
  const found = ALL_CASES.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no contract case ${id}`);
  return found;
};

/** Declares the suite with a fake runner and returns what it declared. */
function declare(
  store: () => Store,
  options: StoreContractOptions,
): { name: string; skipped: boolean; timeout?: number; run: () => Promise<void> }[] {
  const declared: { name: string; skipped: boolean; timeout?: number; run: () => Promise<void> }[] = [];
  const g = globalThis as Record<string, unknown>;
  const saved = { describe: g['describe'], it: g['it'] };
  const it = (name: string, run: () => Promise<void>, timeout?: number) =>
    declared.push({ name, skipped: false, run, ...(timeout === undefined ? {} : { timeout }) });
  it.skip = (name: string, run: () => Promise<void>) => declared.push({ name, skipped: true, run });
  g['describe'] = (_name: string, body: () => void) => body();
  g['it'] = it;
  try {
    describeStoreContract('x', store, options);
  } finally {
    Object.assign(g, saved);
  }
  return declared;
}

/** The naive store with a lock() that grants every request (so the lock cases can fail). */
function naiveStoreWithLock(): Store {
  return Object.freeze({ ...naiveStore(), lock: async () => ({ release: async () => undefined }) });
}

/** The naive store with some key-value operations (getMany, setMany), not all of them. */
function naiveStoreWithSomeKeyValue(): Store {
  const base = naiveStore();
  return Object.freeze({ ...base, ...derivedOpsOf(base, ['getMany', 'setMany']) });
}

/** The naive store with every key-value operation (built from its basic ones). */
function naiveStoreWithKeyValue(): Store {
  const base = naiveStore();
  return Object.freeze({
    ...base,
    ...derivedOpsOf(base, ['getMany', 'setMany', 'remove']),
    expire: () => false,
    scan: async function* (): AsyncGenerator<readonly string[]> {},
    ping: () => undefined,
    info: () => ({}),
  });
}

function derivedOpsOf(store: Store, names: readonly ('getMany' | 'setMany' | 'remove')[]): Partial<Store> {
  const ops = derivedOps(store);
  return Object.fromEntries(names.map((n) => [n, ops[n]]));
}

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

async function outcome(c: ContractCase, store: Store = naiveStore()): Promise<'pass' | 'fail'> {
  try {
    await c.run({ store, ns: 'ns', otherNs: 'other', ttlMs: 50, entry: makeEntry });
    return 'pass';
  } catch {
    return 'fail';
  }
}

describe('describeStoreContract', () => {
  it('every case has a unique id', () => {
    const ids = ALL_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('catches a store that ignores epochs and tags', async () => {
    const results = await Promise.all(
      MUST_FAIL_ON_NAIVE_STORE.map(async (id) => [id, await outcome(caseById(id))] as const),
    );
    expect(results.filter(([, r]) => r === 'pass').map(([id]) => id)).toEqual([]);
  });

  it('passes that store where the contract does not involve clocks', async () => {
    for (const id of PASS_ON_NAIVE_STORE) expect([id, await outcome(caseById(id))]).toEqual([id, 'pass']);
  });

  it('the lock cases fail on a lock that is not exclusive, instead of passing vacuously', async () => {
    const lockCases = ALL_CASES.filter((c) => c.needs?.includes('lock'));
    expect(lockCases.map((c) => c.id)).toEqual(['lock.exclusive', 'lock.expiry']);
    for (const c of lockCases) {
      expect([c.id, await outcome(c, naiveStoreWithLock())]).toEqual([c.id, 'fail']);
      expect([c.id, await outcome(c, naiveStore())]).toEqual([c.id, 'fail']); // declared but missing: fails
    }
  });

  it('the keyValue cases fail on a store that declares keyValue but lacks the operations, instead of passing vacuously', async () => {
    const kvCases = ALL_CASES.filter((c) => c.group === 'keyValue');
    expect(kvCases.length).toBe(7);
    for (const c of kvCases) {
      expect([c.id, c.needs]).toEqual([c.id, ['keyValue']]);
      expect([c.id, await outcome(c, naiveStore())]).toEqual([c.id, 'fail']);
    }
    // …and some of them catch operations that ignore the clocks (the naive store's).
    const caught = [];
    for (const c of kvCases) if ((await outcome(c, naiveStoreWithKeyValue())) === 'fail') caught.push(c.id);
    expect(caught).toEqual(
      expect.arrayContaining(['keyValue.get-many', 'keyValue.set-many', 'keyValue.expire']),
    );
  });

  it('the readInto case passes for a readInto that agrees with get, and fails for one that does not or answers twice', async () => {
    const [c] = ALL_CASES.filter((x) => x.group === 'readInto');
    expect(c?.needs).toEqual(['readInto']);
    const withReadInto = (
      readInto: (store: Store, ns: string, key: string, target: ReadTarget<ReadResult<unknown>>) => void,
    ): Store => {
      const base = memoryStore();
      return Object.freeze({
        ...base,
        readInto: (ns: string, key: string, t: ReadTarget<ReadResult<unknown>>) => readInto(base, ns, key, t),
      });
    };
    const agreeing = withReadInto((store, ns, key, t) => {
      Promise.resolve(store.get(ns, key)).then(
        (r) => t.replied(r),
        (e: unknown) => t.failed(e),
      );
    });
    expect(await outcome(c as ContractCase, agreeing)).toBe('pass');
    const firstReadOnly = new Map<string, ReadResult<unknown>>();
    const stale = withReadInto((store, ns, key, t) => {
      const known = firstReadOnly.get(key);
      if (known !== undefined) return t.replied(known);
      void Promise.resolve(store.get(ns, key)).then((r) => {
        firstReadOnly.set(key, r);
        t.replied(r);
      });
    });
    expect(await outcome(c as ContractCase, stale)).toBe('fail');
    const twice = withReadInto((store, ns, key, t) => {
      void Promise.resolve(store.get(ns, key)).then((r) => {
        t.replied(r);
        setTimeout(() => t.replied(r), 5);
      });
    });
    expect(await outcome(c as ContractCase, twice)).toBe('fail');
  });

  it('declares one test per case under one describe, honouring skip and timeout', () => {
    const skip = ['timing', 'lock', 'keyValue', 'freshEntry', 'readInto'] as const;
    const declared = declare(() => naiveStore(), { skip, timeout: 1234 });
    const expected = ALL_CASES.filter((c) => !(skip as readonly string[]).includes(c.group));
    expect(declared.map((d) => d.name)).toEqual([
      'capabilities: the declared capabilities match the store',
      ...expected.map((c) => `${c.group}: ${c.title}`),
    ]);
    expect(declared.every((d) => d.timeout === 1234 && !d.skipped)).toBe(true);
  });

  it('skips cases needing an undeclared capability visibly, naming it', () => {
    const declared = declare(() => naiveStore(), {});
    const skipped = declared.filter((d) => d.skipped).map((d) => d.name);
    expect(skipped).toEqual([
      'lock: a lock is exclusive until released (needs capability: lock)',
      'lock: a lock expires after its ttl, and a stale holder cannot release the new one (needs capability: lock)',
      ...ALL_CASES.filter((c) => c.group === 'keyValue').map(
        (c) => `keyValue: ${c.title} (needs capability: keyValue)`,
      ),
      ...ALL_CASES.filter((c) => c.group === 'freshEntry').map(
        (c) => `freshEntry: ${c.title} (needs capability: freshEntry)`,
      ),
      ...ALL_CASES.filter((c) => c.group === 'readInto').map(
        (c) => `readInto: ${c.title} (needs capability: readInto)`,
      ),
    ]);
    const inProcessSkips = skipped.filter((name) => /^(freshEntry|readInto): /.test(name));
    const withKeyValue = declare(() => naiveStoreWithKeyValue(), { capabilities: { keyValue: true } });
    expect(withKeyValue.filter((d) => d.skipped).map((d) => d.name)).toEqual([
      ...skipped.slice(0, 2),
      ...inProcessSkips,
    ]);
    const withLock = declare(() => naiveStoreWithLock(), { capabilities: { lock: true } });
    expect(withLock.filter((d) => d.skipped).map((d) => d.name)).toEqual(skipped.slice(2));
    expect(withLock.map((d) => d.name)).toContain('lock: a lock is exclusive until released');
  });

  it('fails the capability check when the declaration and the store disagree', async () => {
    const check = (store: () => Store, options: StoreContractOptions) => declare(store, options)[0]!.run();
    await expect(check(() => naiveStoreWithLock(), {})).rejects.toThrow(
      /declare capabilities: \{ lock: true \}/,
    );
    await expect(check(() => naiveStore(), { capabilities: { lock: true } })).rejects.toThrow(/no lock\(\)/);
    await expect(
      check(() => naiveStoreWithLock(), { capabilities: { lock: true } }),
    ).resolves.toBeUndefined();
    await expect(check(() => naiveStoreWithLock(), { skip: ['lock'] })).resolves.toBeUndefined();
    await expect(check(() => naiveStoreWithKeyValue(), {})).rejects.toThrow(
      /declare capabilities: \{ keyValue: true \}/,
    );
    await expect(check(() => naiveStore(), { capabilities: { keyValue: true } })).rejects.toThrow(
      /no getMany\(\), setMany\(\), remove\(\), expire\(\), scan\(\), ping\(\), info\(\)/,
    );
    await expect(check(() => naiveStoreWithSomeKeyValue(), {})).rejects.toThrow(
      /has getMany\(\), setMany\(\) but not remove\(\).*needs all of them/,
    );
    await expect(
      check(() => naiveStoreWithSomeKeyValue(), { capabilities: { keyValue: true } }),
    ).rejects.toThrow(/no remove\(\), expire\(\)/);
    await expect(
      check(() => naiveStoreWithKeyValue(), { capabilities: { keyValue: true } }),
    ).resolves.toBeUndefined();
    await expect(check(() => naiveStoreWithSomeKeyValue(), { skip: ['keyValue'] })).resolves.toBeUndefined();
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
