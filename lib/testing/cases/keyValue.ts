/**
 * Contract cases: the optional key-value operations (`getMany`, `setMany`, `remove`, `expire`,
 * `scan`, `ping`, `info`). A store without one of them passes its cases (the cache falls back to
 * `get`/`set`/`delete`); a store with it must follow the same clock rules as the basic ones.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { expectHit, expectMiss, type ContractCase } from '../contractKit.js';
import type { Store } from '../../stores/Store.js';

async function collect(store: Store, ns: string, pattern: string): Promise<string[]> {
  const out: string[] = [];
  const scan = store.scan;
  if (scan === undefined) return out;
  for await (const batch of scan(ns, pattern)) out.push(...batch);
  return out.sort();
}

/**
 * The key-value cases.
 */
export const keyValueCases: readonly ContractCase[] = [
  {
    id: 'keyValue.get-many',
    group: 'keyValue',
    title: 'getMany reads every key in order, as get would (hits, misses, invalidated entries)',
    async run({ store, ns, entry }) {
      if (store.getMany === undefined) return;
      await store.set(ns, 'a', entry(['t:a'], { payload: '"A"' }));
      await store.set(ns, 'b', entry(['t:b'], { payload: '"B"' }));
      await store.set(ns, 'c', entry([], { payload: '"C"' }));
      await store.invalidate(ns, ['t:b'], 'drop');
      const keys = ['c', 'missing', 'a', 'b', ...Array.from({ length: 40 }, (_, i) => `x${i}`)];
      const reads = await store.getMany(ns, keys);
      assert.equal(reads.length, keys.length);
      assert.equal(expectHit(reads[0] as never).payload, '"C"');
      expectMiss(reads[1] as never);
      const a = expectHit(reads[2] as never);
      assert.equal(a.payload, '"A"');
      assert.deepEqual([...a.tags], ['t:a']);
      assert.equal(a.state, 'fresh');
      expectMiss(reads[3] as never, 'an entry whose tag was invalidated is a miss');
      for (const r of reads.slice(4)) expectMiss(r);
    },
  },
  {
    id: 'keyValue.set-many',
    group: 'keyValue',
    title: 'setMany writes every item; an item whose epoch predates an invalidation of its tag is refused',
    async run({ store, ns, entry }) {
      if (store.setMany === undefined) return;
      const epoch = expectMiss(await store.get(ns, 'late'));
      await store.invalidate(ns, ['t:late'], 'drop');
      const items = Array.from({ length: 30 }, (_, i) => ({
        key: `k${i}`,
        entry: entry([`t:${i % 3}`], { payload: `"v${i}"` }),
      }));
      const written = await store.setMany(ns, [...items, { key: 'late', entry: entry(['t:late']), epoch }]);
      assert.deepEqual(written, [...items.map(() => true), false]);
      for (const { key } of items.slice(0, 5))
        assert.equal(expectHit(await store.get(ns, key)).payload, `"v${key.slice(1)}"`);
      expectMiss(await store.get(ns, 'late'));
    },
  },
  {
    id: 'keyValue.remove',
    group: 'keyValue',
    title: 'remove counts the entries it removed and refuses writes of computations started before it',
    async run({ store, ns, entry }) {
      if (store.remove === undefined) return;
      await store.set(ns, 'a', entry());
      await store.set(ns, 'b', entry());
      const epoch = expectMiss(await store.get(ns, 'c'));
      assert.equal(await store.remove(ns, ['a', 'b', 'c', 'a']), 2);
      expectMiss(await store.get(ns, 'a'));
      assert.equal(
        await store.set(ns, 'c', entry(), epoch),
        false,
        'a write that started before the remove is refused',
      );
      assert.equal(await store.remove(ns, ['a']), 0);
    },
  },
  {
    id: 'keyValue.expire',
    group: 'keyValue',
    title: 'expire gives an entry new freshness, and refuses absent or invalidated entries',
    async run({ store, ns, entry }) {
      if (store.expire === undefined) return;
      await store.set(ns, 'k', entry(['t:k'], { ttl: 2000 }));
      assert.equal(await store.expire(ns, 'k', 120_000), true);
      const hit = expectHit(await store.get(ns, 'k'));
      assert.ok(hit.ttl > 60_000 && hit.ttl <= 120_000, `ttl left ${hit.ttl} after expire(120 s)`);
      assert.equal(hit.state, 'fresh');
      assert.equal(await store.expire(ns, 'absent', 1000), false);
      await store.invalidate(ns, ['t:k'], 'drop');
      assert.equal(await store.expire(ns, 'k', 120_000), false, 'an invalidated entry is not revived');
      expectMiss(await store.get(ns, 'k'));
    },
  },
  {
    id: 'keyValue.scan-glob',
    group: 'keyValue',
    title: 'scan yields the keys matching a glob, of this namespace only',
    async run({ store, ns, otherNs, entry }) {
      if (store.scan === undefined) return;
      for (const k of ['user:1', 'user:2', 'user:10', 'post:1', 'a*b', 'axb'])
        await store.set(ns, k, entry());
      await store.set(otherNs, 'user:3', entry());
      assert.deepEqual(await collect(store, ns, 'user:*'), ['user:1', 'user:10', 'user:2']);
      assert.deepEqual(await collect(store, ns, 'user:?'), ['user:1', 'user:2']);
      assert.deepEqual(await collect(store, ns, 'a\\*b'), ['a*b']);
      assert.deepEqual(await collect(store, ns, '*'), [
        'a*b',
        'axb',
        'post:1',
        'user:1',
        'user:10',
        'user:2',
      ]);
      await store.delete(ns, ['user:1']);
      assert.deepEqual(await collect(store, ns, 'user:*'), ['user:10', 'user:2']);
    },
  },
  {
    id: 'keyValue.scan-batches',
    group: 'keyValue',
    title: 'scan goes through many keys in bounded batches',
    async run({ store, ns, entry }) {
      if (store.scan === undefined || store.setMany === undefined) return;
      await store.setMany(
        ns,
        Array.from({ length: 1500 }, (_, i) => ({ key: `n:${i}`, entry: entry() })),
      );
      const seen = new Set<string>();
      let batches = 0;
      for await (const batch of store.scan(ns, 'n:*')) {
        batches += 1;
        for (const k of batch) seen.add(k);
      }
      assert.equal(seen.size, 1500);
      assert.ok(batches >= 2, `expected several batches, got ${batches}`);
    },
  },
  {
    id: 'keyValue.ping-info',
    group: 'keyValue',
    title: 'ping resolves and info describes the store',
    async run({ store, ns, entry }) {
      await store.set(ns, 'k', entry());
      if (store.ping !== undefined) await store.ping();
      if (store.info === undefined) return;
      const info = await store.info(ns);
      assert.equal(typeof info, 'object');
      if (info.entries !== undefined) assert.ok(info.entries >= 1, `entries ${info.entries}`);
      if (info.bytes !== undefined) assert.ok(info.bytes >= 0);
    },
  },
];
