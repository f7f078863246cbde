/**
 * Contract cases: reads and writes.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { expectHit, expectMiss, type ContractCase } from '../contractKit.js';
import type { ReadResult, Store } from '../../stores/Store.js';

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

/** What a read says, without its remaining TTL (which moves between two reads). */
function readSummary(read: ReadResult<unknown>): unknown {
  if (!read.hit) return { hit: false, epoch: read.epoch };
  const { payload, tags, createdAt, state, error, epoch } = read;
  return { hit: true, payload, tags: [...tags].sort(), createdAt, state, error, epoch };
}

/**
 * `readInto` as a promise; a target handed a second result (a reply after an error, two replies)
 * is counted in `extra`.
 */
function readThrough(store: Store, ns: string, key: string, extra: string[]): Promise<ReadResult<unknown>> {
  const readInto = store.readInto;
  assert.ok(readInto !== undefined, 'the store has readInto');
  return new Promise((resolve, reject) => {
    let results = 0;
    const once = (what: string): boolean => {
      results += 1;
      if (results > 1) extra.push(`${key}: ${what} after a first result`);
      return results === 1;
    };
    readInto.call(store, ns, key, {
      replied: (read) => {
        if (once('a reply')) resolve(read);
      },
      failed: (error) => {
        if (once('an error')) reject(error as Error);
      },
    });
  });
}

/**
 * `Store.readInto` (remote stores): `get` handing its result to a target.
 */
export const readIntoCases: readonly ContractCase[] = [
  {
    id: 'readInto.agrees-with-get',
    group: 'readInto',
    needs: ['readInto'],
    title:
      'readInto hands the target what get gives, once: hits, misses, error entries, after invalidation and delete',
    async run({ store, ns, entry }) {
      const extra: string[] = [];
      const agree = async (key: string, why: string): Promise<void> => {
        const through = await readThrough(store, ns, key, extra);
        const got = await store.get(ns, key);
        assert.deepEqual(readSummary(through), readSummary(got), `${key}: ${why}`);
      };
      await agree('absent', 'a miss');
      await store.set(ns, 'a', entry(['t:a'], { payload: '"A"' }));
      await store.set(ns, 'b', entry(['t:b', 't:shared'], { payload: '"B"', error: true }));
      await store.set(ns, 'c', entry([], { payload: '"C"' }));
      for (const k of ['a', 'b', 'c']) await agree(k, 'a fresh hit');
      await store.invalidate(ns, ['t:a'], 'stale');
      await agree('a', 'an invalidated entry');
      await store.invalidate(ns, ['t:shared'], 'drop');
      await agree('b', 'a dropped entry');
      await store.delete(ns, ['c']);
      await agree('c', 'a deleted entry');
      // Reads started together (a remote store may send them as one batch) each get their result.
      const together = await Promise.all(
        ['a', 'a', 'c', 'absent'].map((k) => readThrough(store, ns, k, extra)),
      );
      assert.deepEqual(together.map(readSummary), [
        readSummary(await store.get(ns, 'a')),
        readSummary(await store.get(ns, 'a')),
        readSummary(await store.get(ns, 'c')),
        readSummary(await store.get(ns, 'absent')),
      ]);
      // …and no target is handed a second result later.
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(extra, []);
    },
  },
];
