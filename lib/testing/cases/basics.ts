/**
 * Contract cases: reads and writes.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { expectHit, expectMiss, type ContractCase } from '../contractKit.js';

/**
 * Hits, misses, payloads and metadata.
 */
export const basicCases: readonly ContractCase[] = [
  {
    id: 'basics.miss-epoch',
    group: 'basics',
    title: 'a miss carries the epoch to write at',
    async run({ store, ns }) {
      expectMiss(await store.get(ns, 'absent'));
    },
  },
  {
    id: 'basics.write-then-hit',
    group: 'basics',
    title: 'a write after a miss is then a fresh hit with its payload, tags, createdAt and epoch',
    async run({ store, ns, entry }) {
      const epoch = expectMiss(await store.get(ns, 'k'));
      const e = entry(['user:1', 'post:2'], { createdAt: 1_700_000_000_123 });
      assert.equal(await store.set(ns, 'k', e, epoch), true);
      const hit = expectHit(await store.get(ns, 'k'));
      assert.deepEqual(hit.payload, e.payload);
      assert.deepEqual([...hit.tags].sort(), ['post:2', 'user:1']);
      assert.equal(hit.createdAt, 1_700_000_000_123);
      assert.equal(hit.state, 'fresh');
      assert.equal(hit.error, false);
      assert.ok(hit.ttl > 0 && hit.ttl <= 60_000, `ttl left ${hit.ttl} within (0, 60000]`);
      assert.ok(Number.isFinite(hit.epoch), 'a hit carries the group epoch');
    },
  },
  {
    id: 'basics.unconditional-write',
    group: 'basics',
    title: 'a write without an epoch is unconditional and overwrites',
    async run({ store, ns, entry }) {
      assert.equal(await store.set(ns, 'k', entry([], { payload: '"one"' })), true);
      assert.equal(await store.set(ns, 'k', entry([], { payload: '"two"' })), true);
      assert.equal(expectHit(await store.get(ns, 'k')).payload, '"two"');
    },
  },
  {
    id: 'basics.error-flag',
    group: 'basics',
    title: 'a cached error keeps its error flag',
    async run({ store, ns, entry }) {
      await store.set(ns, 'k', entry([], { error: true, payload: '{"message":"boom"}' }));
      const hit = expectHit(await store.get(ns, 'k'));
      assert.equal(hit.error, true);
      assert.equal(hit.payload, '{"message":"boom"}');
    },
  },
  {
    id: 'basics.payload-fidelity',
    group: 'basics',
    title: 'payloads round-trip exactly: empty, unicode, control characters, 1 MB',
    async run({ store, ns, entry }) {
      const payloads = ['', 'héllo wörld ✓ 𝄞 日本', '\u0000\r\n\t"\\', 'x'.repeat(1 << 20)];
      for (const [i, payload] of payloads.entries()) await store.set(ns, `p${i}`, entry([], { payload }));
      for (const [i, payload] of payloads.entries())
        assert.equal(expectHit(await store.get(ns, `p${i}`)).payload, payload);
    },
  },
  {
    id: 'basics.separators',
    group: 'basics',
    title: 'keys and tags may contain separators, braces and glob characters',
    async run({ store, ns, entry }) {
      const key = 'a{b}|c:d*?[x]\\ é';
      await store.set(ns, key, entry(['t}{|:*?', 'user:1']));
      await store.set(ns, 'a{b}|c:d', entry(['user:10']));
      assert.deepEqual([...expectHit(await store.get(ns, key)).tags].sort(), ['t}{|:*?', 'user:1']);
      await store.invalidate(ns, ['user:1'], 'drop');
      expectMiss(await store.get(ns, key));
      expectHit(await store.get(ns, 'a{b}|c:d'), 'tag user:10 is not user:1');
    },
  },
  {
    id: 'basics.independent-keys',
    group: 'basics',
    title: 'keys are independent of each other',
    async run({ store, ns, entry }) {
      await store.set(ns, 'a', entry([], { payload: 'A' }));
      await store.set(ns, 'b', entry([], { payload: 'B' }));
      assert.equal(expectHit(await store.get(ns, 'a')).payload, 'A');
      assert.equal(expectHit(await store.get(ns, 'b')).payload, 'B');
      expectMiss(await store.get(ns, 'c'));
    },
  },
  {
    id: 'basics.close-idempotent',
    group: 'basics',
    title: 'close is idempotent',
    async run({ store }) {
      await store.close();
      await store.close();
    },
  },
];

/**
 * The plain hit's shortcut of in-process stores (`Store.freshEntry`).
 */
export const freshEntryCases: readonly ContractCase[] = [
  {
    id: 'freshEntry.agrees-with-get',
    group: 'freshEntry',
    needs: ['freshEntry'],
    title:
      'freshEntry answers as a fresh get: the entry while fresh, undefined once absent, invalidated, stale or deleted',
    async run({ store, ns, entry }) {
      const fresh = (key: string): { payload: unknown; error: boolean } | undefined => {
        const got: unknown = store.freshEntry?.(ns, key);
        assert.ok(!(got instanceof Promise), 'freshEntry answers synchronously');
        return got as { payload: unknown; error: boolean } | undefined;
      };
      assert.equal(fresh('absent'), undefined);
      await store.set(ns, 'a', entry(['t:a'], { payload: '"A"' }));
      await store.set(ns, 'b', entry(['t:b'], { payload: '"B"', error: true }));
      await store.set(ns, 'c', entry([], { payload: '"C"' }));
      await store.set(ns, 'd', entry(['t:d'], { payload: '"D"' }));
      // A store may have no quick answer before a read (a tier filled by reads); after a fresh
      // read it must give the entry, as get would.
      for (const k of ['a', 'b', 'c', 'd']) assert.equal(expectHit(await store.get(ns, k)).state, 'fresh');
      assert.equal(fresh('a')?.payload, '"A"');
      assert.equal(fresh('c')?.payload, '"C"');
      assert.equal(fresh('b')?.error, true);
      await store.invalidate(ns, ['t:a'], 'drop');
      await store.invalidate(ns, ['t:d'], 'stale');
      await store.delete(ns, ['c']);
      assert.equal(fresh('a'), undefined, 'an invalidated entry');
      assert.equal(fresh('d'), undefined, 'a stale entry (get calls it invalidated)');
      assert.equal(fresh('c'), undefined, 'a deleted entry');
      assert.equal(fresh('b')?.payload, '"B"', 'an untouched entry is still fresh');
      assert.equal(expectHit(await store.get(ns, 'd')).state, 'invalidated');
    },
  },
];
