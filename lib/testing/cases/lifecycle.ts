/**
 * Contract cases: delete, clear, namespaces, TTL and grace, locks.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { expectHit, expectMiss, sleep, type ContractCase } from '../contractKit.js';
import type { Store } from '../../stores/Store.js';

/** The store's `lock`, which a store declaring the `lock` capability must have. */
function lockOf(store: Store): NonNullable<Store['lock']> {
  assert.equal(typeof store.lock, 'function', "the store declares the 'lock' capability but has no lock()");
  return store.lock!.bind(store);
}

/**
 * Entry lifecycle: removal, namespaces, expiry, locks.
 */
export const lifecycleCases: readonly ContractCase[] = [
  {
    id: 'delete.keys',
    group: 'delete',
    title: 'delete removes the given keys and leaves the others',
    async run({ store, ns, entry }) {
      for (const k of ['a', 'b', 'c']) await store.set(ns, k, entry());
      await store.delete(ns, ['a', 'b', 'never-written']);
      await store.delete(ns, []);
      expectMiss(await store.get(ns, 'a'));
      expectMiss(await store.get(ns, 'b'));
      expectHit(await store.get(ns, 'c'));
    },
  },
  {
    id: 'clear.namespace',
    group: 'clear',
    title: 'clear removes every entry of the namespace and nothing else',
    async run({ store, ns, otherNs, entry }) {
      for (let i = 0; i < 20; i++) await store.set(ns, `k${i}`, entry([`t${i}`]));
      await store.set(otherNs, 'k0', entry());
      await store.clear(ns);
      for (let i = 0; i < 20; i++) expectMiss(await store.get(ns, `k${i}`));
      expectHit(await store.get(otherNs, 'k0'), 'another namespace is untouched');
      assert.equal(await store.set(ns, 'k0', entry()), true, 'the namespace is usable after clear');
      expectHit(await store.get(ns, 'k0'));
    },
  },
  {
    id: 'clear.straddling-write',
    group: 'clear',
    title: 'a write that started before clear is refused',
    async run({ store, ns, entry }) {
      const epoch = expectMiss(await store.get(ns, 'k'));
      await store.clear(ns);
      assert.equal(await store.set(ns, 'k', entry(), epoch), false);
    },
  },
  {
    id: 'basics.namespace-isolation',
    group: 'basics',
    title: 'namespaces are isolated: keys, tags and deletes',
    async run({ store, ns, otherNs, entry }) {
      await store.set(ns, 'k', entry(['user:1'], { payload: 'A' }));
      await store.set(otherNs, 'k', entry(['user:1'], { payload: 'B' }));
      assert.equal(expectHit(await store.get(ns, 'k')).payload, 'A');
      assert.equal(expectHit(await store.get(otherNs, 'k')).payload, 'B');
      await store.invalidate(ns, ['user:1'], 'drop');
      expectMiss(await store.get(ns, 'k'));
      assert.equal(expectHit(await store.get(otherNs, 'k')).state, 'fresh');
      await store.delete(otherNs, ['k']);
      expectMiss(await store.get(otherNs, 'k'));
    },
  },
  {
    id: 'timing.grace-expired',
    group: 'timing',
    title: 'past its ttl but within grace an entry is expired, with ttl <= 0',
    async run({ store, ns, entry, ttlMs }) {
      await store.set(ns, 'k', entry([], { ttl: ttlMs, grace: ttlMs * 3 }));
      assert.equal(expectHit(await store.get(ns, 'k')).state, 'fresh');
      await sleep(ttlMs * 1.6);
      const hit = expectHit(await store.get(ns, 'k'), 'kept during grace');
      assert.equal(hit.state, 'expired');
      assert.ok(hit.ttl <= 0, `ttl left ${hit.ttl} <= 0`);
    },
  },
  {
    id: 'timing.past-grace',
    group: 'timing',
    title: 'past ttl + grace an entry is a miss; without grace, past its ttl',
    async run({ store, ns, entry, ttlMs }) {
      await store.set(ns, 'graced', entry([], { ttl: ttlMs, grace: ttlMs }));
      await store.set(ns, 'plain', entry([], { ttl: ttlMs }));
      await sleep(ttlMs * 1.5);
      expectMiss(await store.get(ns, 'plain'));
      await sleep(ttlMs * 1.5);
      expectMiss(await store.get(ns, 'graced'));
    },
  },
  {
    id: 'timing.invalidated-not-expired',
    group: 'timing',
    title: 'an invalidated entry within its ttl stays invalidated, not expired',
    async run({ store, ns, entry, ttlMs }) {
      await store.set(ns, 'k', entry(['t'], { ttl: ttlMs * 10, grace: ttlMs * 10 }));
      await store.invalidate(ns, ['t'], 'stale');
      assert.equal(expectHit(await store.get(ns, 'k')).state, 'invalidated');
    },
  },
  {
    id: 'lock.exclusive',
    group: 'lock',
    title: 'a lock is exclusive until released',
    needs: ['lock'],
    async run({ store, ns }) {
      const lock = lockOf(store);
      const first = await lock(ns, 'k', 10_000);
      assert.ok(first, 'the first taker gets the lock');
      assert.equal(await lock(ns, 'k', 10_000), undefined, 'a second taker does not');
      assert.ok(await lock(ns, 'other', 10_000), 'other keys have their own lock');
      await first.release();
      await first.release();
      const again = await lock(ns, 'k', 10_000);
      assert.ok(again, 'free again after release');
      await again.release();
    },
  },
  {
    id: 'lock.expiry',
    group: 'lock',
    title: 'a lock expires after its ttl, and a stale holder cannot release the new one',
    needs: ['lock'],
    async run({ store, ns, ttlMs }) {
      const lock = lockOf(store);
      const old = await lock(ns, 'k', ttlMs);
      assert.ok(old);
      await sleep(ttlMs * 2);
      const next = await lock(ns, 'k', 10_000);
      assert.ok(next, 'the expired lock can be taken');
      await old.release();
      assert.equal(await lock(ns, 'k', 10_000), undefined, "the old holder's release did not free it");
      await next.release();
    },
  },
];
