/**
 * Contract cases: tag invalidation, `drop` and `stale`.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { expectHit, expectMiss, type ContractCase } from '../contractKit.js';

/**
 * Invalidation reaches exactly the entries carrying the tags, whatever their number.
 */
export const invalidationCases: readonly ContractCase[] = [
  {
    id: 'invalidation.drop',
    group: 'invalidation',
    title: 'drop invalidation removes every entry carrying the tag and only those',
    async run({ store, ns, entry }) {
      for (let i = 0; i < 50; i++) await store.set(ns, `in${i}`, entry(['shared', `own:${i}`]));
      for (let i = 0; i < 10; i++) await store.set(ns, `out${i}`, entry([`own:${i}`]));
      await store.invalidate(ns, ['shared'], 'drop');
      for (let i = 0; i < 50; i++) expectMiss(await store.get(ns, `in${i}`), `in${i} carries the tag`);
      for (let i = 0; i < 10; i++) expectHit(await store.get(ns, `out${i}`), `out${i} does not`);
    },
  },
  {
    id: 'invalidation.stale',
    group: 'invalidation',
    title: 'stale invalidation keeps entries, reported as invalidated',
    async run({ store, ns, entry }) {
      await store.set(ns, 'k', entry(['user:1'], { payload: '"old"' }));
      await store.set(ns, 'other', entry(['user:2']));
      await store.invalidate(ns, ['user:1'], 'stale');
      const hit = expectHit(await store.get(ns, 'k'), 'a stale invalidation keeps the entry');
      assert.equal(hit.state, 'invalidated');
      assert.equal(hit.payload, '"old"');
      assert.equal(expectHit(await store.get(ns, 'other')).state, 'fresh');
    },
  },
  {
    id: 'invalidation.drop-after-stale',
    group: 'invalidation',
    title: 'a drop after a stale invalidation removes the entry',
    async run({ store, ns, entry }) {
      await store.set(ns, 'k', entry(['user:1']));
      await store.invalidate(ns, ['user:1'], 'stale');
      await store.invalidate(ns, ['user:1'], 'drop');
      expectMiss(await store.get(ns, 'k'));
    },
  },
  {
    id: 'invalidation.written-after',
    group: 'invalidation',
    title: 'entries written after an invalidation are fresh',
    async run({ store, ns, entry }) {
      await store.set(ns, 'k', entry(['user:1']));
      await store.invalidate(ns, ['user:1'], 'drop');
      await store.set(ns, 'k', entry(['user:1'], { payload: '"new"' }));
      await store.set(ns, 'k2', entry(['user:1']));
      const hit = expectHit(await store.get(ns, 'k'));
      assert.equal(hit.payload, '"new"');
      assert.equal(hit.state, 'fresh');
      assert.equal(expectHit(await store.get(ns, 'k2')).state, 'fresh');
    },
  },
  {
    id: 'invalidation.several-tags',
    group: 'invalidation',
    title: 'several tags invalidated at once',
    async run({ store, ns, entry }) {
      await store.set(ns, 'a', entry(['ta']));
      await store.set(ns, 'b', entry(['tb']));
      await store.set(ns, 'c', entry(['tc']));
      await store.invalidate(ns, ['ta', 'tb'], 'drop');
      expectMiss(await store.get(ns, 'a'));
      expectMiss(await store.get(ns, 'b'));
      expectHit(await store.get(ns, 'c'));
    },
  },
  {
    id: 'invalidation.no-tags',
    group: 'invalidation',
    title: 'invalidating no tags changes nothing',
    async run({ store, ns, entry }) {
      await store.set(ns, 'k', entry(['t']));
      const epoch = expectMiss(await store.get(ns, 'absent'));
      await store.invalidate(ns, [], 'drop');
      expectHit(await store.get(ns, 'k'));
      assert.equal(await store.set(ns, 'absent', entry(['t']), epoch), true);
    },
  },
  {
    id: 'invalidation.many-tags',
    group: 'invalidation',
    title: 'an entry with 200 tags is dropped by any one of them',
    async run({ store, ns, entry }) {
      const tags = Array.from({ length: 200 }, (_, i) => `tag:${i}`);
      await store.set(ns, 'many', entry(tags));
      assert.equal(expectHit(await store.get(ns, 'many')).tags.length, 200);
      await store.invalidate(ns, ['tag:150'], 'drop');
      expectMiss(await store.get(ns, 'many'));
    },
  },
  {
    id: 'invalidation.untagged',
    group: 'invalidation',
    title: 'untagged entries are never reached by invalidations',
    async run({ store, ns, entry }) {
      await store.set(ns, 'plain', entry());
      await store.invalidate(ns, ['anything'], 'drop');
      await store.invalidate(ns, ['anything'], 'stale');
      assert.equal(expectHit(await store.get(ns, 'plain')).state, 'fresh');
    },
  },
];
