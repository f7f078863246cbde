/**
 * Contract cases: computations that straddle invalidations (the epoch rules).
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { expectHit, expectMiss, type ContractCase } from '../contractKit.js';

/**
 * Writes are refused when a tag or the key was invalidated after the computation started.
 */
export const raceCases: readonly ContractCase[] = [
  {
    id: 'races.straddle-drop',
    group: 'races',
    title: 'a write that straddles a drop invalidation of its tag is refused',
    async run({ store, ns, entry }) {
      const epoch = expectMiss(await store.get(ns, 'k'));
      await store.invalidate(ns, ['user:1'], 'drop');
      assert.equal(await store.set(ns, 'k', entry(['user:1']), epoch), false);
      expectMiss(await store.get(ns, 'k'), 'the refused write left nothing');
    },
  },
  {
    id: 'races.straddle-stale',
    group: 'races',
    title: 'a write that straddles a stale invalidation of its tag is refused',
    async run({ store, ns, entry }) {
      const epoch = expectMiss(await store.get(ns, 'k'));
      await store.invalidate(ns, ['user:1'], 'stale');
      assert.equal(await store.set(ns, 'k', entry(['user:1']), epoch), false);
      expectMiss(await store.get(ns, 'k'));
    },
  },
  {
    id: 'races.starts-after',
    group: 'races',
    title: 'a computation that starts after the invalidation is written',
    async run({ store, ns, entry }) {
      await store.invalidate(ns, ['user:1'], 'drop');
      const epoch = expectMiss(await store.get(ns, 'k'));
      assert.equal(await store.set(ns, 'k', entry(['user:1']), epoch), true);
      assert.equal(expectHit(await store.get(ns, 'k')).state, 'fresh');
    },
  },
  {
    id: 'races.other-tag',
    group: 'races',
    title: 'an invalidation of another tag does not refuse the write',
    async run({ store, ns, entry }) {
      const epoch = expectMiss(await store.get(ns, 'k'));
      await store.invalidate(ns, ['user:2'], 'drop');
      assert.equal(await store.set(ns, 'k', entry(['user:1']), epoch), true);
      expectHit(await store.get(ns, 'k'));
    },
  },
  {
    id: 'races.refresh-straddled',
    group: 'races',
    title: 'a refresh that starts from a hit is refused when its tag is invalidated meanwhile',
    async run({ store, ns, entry }) {
      await store.set(ns, 'k', entry(['user:1']));
      const hit = expectHit(await store.get(ns, 'k'));
      await store.invalidate(ns, ['user:1'], 'stale');
      assert.equal(await store.set(ns, 'k', entry(['user:1'], { payload: '"new"' }), hit.epoch), false);
      const after = await store.get(ns, 'k');
      if (after.hit) assert.equal(after.state, 'invalidated');
    },
  },
  {
    id: 'races.refresh-clean',
    group: 'races',
    title: 'a refresh that starts from a hit with no invalidation meanwhile is written',
    async run({ store, ns, entry }) {
      await store.set(ns, 'k', entry(['user:1']));
      const hit = expectHit(await store.get(ns, 'k'));
      assert.equal(await store.set(ns, 'k', entry(['user:1'], { payload: '"new"' }), hit.epoch), true);
      assert.equal(expectHit(await store.get(ns, 'k')).payload, '"new"');
    },
  },
  {
    id: 'races.straddle-delete',
    group: 'races',
    title: 'a write that straddles a delete of its key is refused; an unconditional one is not',
    async run({ store, ns, entry }) {
      const epoch = expectMiss(await store.get(ns, 'k'));
      await store.delete(ns, ['k']);
      assert.equal(await store.set(ns, 'k', entry(), epoch), false);
      expectMiss(await store.get(ns, 'k'));
      assert.equal(await store.set(ns, 'k', entry()), true);
      expectHit(await store.get(ns, 'k'));
    },
  },
  {
    id: 'races.other-key-delete',
    group: 'races',
    title: 'a write that straddles a delete of another key is written',
    async run({ store, ns, entry }) {
      const epoch = expectMiss(await store.get(ns, 'k'));
      await store.delete(ns, ['other']);
      assert.equal(await store.set(ns, 'k', entry(), epoch), true);
    },
  },
  {
    id: 'races.many-tags',
    group: 'races',
    title: 'each of many tags refuses a straddling write',
    async run({ store, ns, entry }) {
      const tags = Array.from({ length: 200 }, (_, i) => `t${i}`);
      const epoch = expectMiss(await store.get(ns, 'k'));
      await store.invalidate(ns, ['t199'], 'drop');
      assert.equal(await store.set(ns, 'k', entry(tags), epoch), false);
    },
  },
];
