/**
 * The short read of lib/stores/redis/reader.ts: a known key whose entry was written at the group
 * epoch the reader last saw is read with `MGET entry epoch` (no markers); when the reply shows
 * the group epoch moved (another process invalidated), the key is read again with the full `MGET`
 * and its markers judged, so nothing an invalidation condemned is served.
 */
import { redisStore, type RedisStore } from '../../lib/redis.js';
import { makeEntry } from '../../lib/testing/index.js';
import { commandOf, monitorNode, type Monitor } from '../setup/monitor.js';
import { testRedisUrl, uniqueNamespace } from '../setup/testStores.js';

const TAGS = ['user:1', 'post:2', 'feed'];

/** The keys of each `MGET` a MONITOR line list shows (`"MGET" "k1" "k2"` → 2). */
const mgetKeys = (lines: string[]): number[] =>
  lines.filter((l) => commandOf(l) === 'MGET').map((l) => (l.match(/"(?:[^"\\]|\\.)*"/g)?.length ?? 1) - 1);

let mon: Monitor;
let reading: RedisStore;
/** Another process, as far as `reading` can tell: its own connection and reader. */
let other: RedisStore;
let ns: string;

beforeAll(async () => {
  mon = await monitorNode(testRedisUrl());
});
afterAll(() => mon.stop());
beforeEach(async () => {
  ns = uniqueNamespace('short');
  reading = redisStore({ url: testRedisUrl() });
  other = redisStore({ url: testRedisUrl() });
  await Promise.all([reading.ready(), other.ready()]);
});
afterEach(async () => {
  await reading.close();
  await other.close();
});

/** What `reading` sent for the namespace while `run` ran: the key count of each `MGET`, in order. */
async function mgetsDuring(run: () => Promise<unknown>): Promise<number[]> {
  await mon.sync();
  mon.reset();
  await run();
  await mon.sync();
  return mgetKeys(mon.sent(ns));
}

/** Writes `key` through `reading` and reads it once (the reader learns its epoch). */
async function known(key: string, tags = TAGS): Promise<void> {
  await reading.set(ns, key, makeEntry(tags));
  expect((await reading.get(ns, key)).hit).toBe(true);
}

it('a hit of an entry written at the group epoch reads the entry and the epoch only', async () => {
  await known('k');
  const keys = await mgetsDuring(async () => {
    const r = await reading.get(ns, 'k');
    expect(r.hit && r.state === 'fresh' && r.tags).toEqual(TAGS);
  });
  expect(keys).toEqual([2]);
});

it("another process's drop is seen: the short MGET finds the epoch moved, the full one a miss", async () => {
  await known('k');
  await other.invalidate(ns, ['post:2'], 'drop');
  const keys = await mgetsDuring(async () => expect((await reading.get(ns, 'k')).hit).toBe(false));
  expect(keys).toEqual([2, 2 + TAGS.length]);
});

it("another process's stale invalidation is seen: an invalidated hit", async () => {
  await known('k');
  await other.invalidate(ns, ['feed'], 'stale');
  const keys = await mgetsDuring(async () => {
    const r = await reading.get(ns, 'k');
    expect(r.hit && r.state).toBe('invalidated');
  });
  expect(keys).toEqual([2, 2 + TAGS.length]);
});

it('once the reader saw the epoch move, an older entry is read with the full MGET at once', async () => {
  await known('a');
  await known('b');
  await other.invalidate(ns, ['unrelated'], 'drop');
  expect(await mgetsDuring(async () => expect((await reading.get(ns, 'a')).hit).toBe(true))).toEqual([
    2,
    2 + TAGS.length,
  ]);
  expect(await mgetsDuring(async () => expect((await reading.get(ns, 'b')).hit).toBe(true))).toEqual([
    2 + TAGS.length,
  ]);
  // Rewritten at the new epoch and read once: short again.
  await known('b');
  expect(await mgetsDuring(() => reading.get(ns, 'b'))).toEqual([2]);
});

it("the store's own invalidation, delete and clear tell the reader the new epoch", async () => {
  await known('a');
  await known('b');
  await known('c');
  await reading.invalidate(ns, ['unrelated'], 'stale');
  expect(await mgetsDuring(() => reading.get(ns, 'a'))).toEqual([2 + TAGS.length]);
  await reading.delete(ns, ['other']);
  expect(await mgetsDuring(() => reading.get(ns, 'b'))).toEqual([2 + TAGS.length]);
  await reading.clear(ns);
  expect(await mgetsDuring(async () => expect((await reading.get(ns, 'c')).hit).toBe(false))).toEqual([
    2 + TAGS.length,
  ]);
});

it('an entry without tags reads the same two keys as ever', async () => {
  await known('plain', []);
  expect(await mgetsDuring(() => reading.get(ns, 'plain'))).toEqual([2]);
  await other.invalidate(ns, ['x'], 'drop');
  expect(await mgetsDuring(async () => expect((await reading.get(ns, 'plain')).hit).toBe(true))).toEqual([2]);
});
