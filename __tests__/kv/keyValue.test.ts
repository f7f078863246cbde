import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCache,
  fileStore,
  invalidateTag,
  memoryStore,
  nullStore,
  withCache,
  type Cache,
  type Store,
} from '../../lib/index.js';
import { testClusterStore, testRedisStore, uniqueNamespace } from '../setup/testStores.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const stores: [string, () => Store][] = [
  ['memory', () => memoryStore()],
  [
    'file',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tagcache-kv-'));
      dirs.push(dir);
      return fileStore({ dir });
    },
  ],
  ['redis', () => testRedisStore()],
  ['redis, 8 groups', () => testRedisStore({ groups: 8 })],
  ['cluster', () => testClusterStore()],
];

const collect = async (it: AsyncIterable<string>): Promise<string[]> => {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out.sort();
};

describe.each(stores)('key-value API on %s', (_label, makeStore) => {
  let store: Store;
  let cache: Cache;
  let namespace: string;
  beforeEach(() => {
    store = makeStore();
    namespace = uniqueNamespace('kv');
    cache = createCache({ store, namespace, logger: false, timeout: '10s' });
  });
  afterEach(() => cache.close());

  it('set, get, getEntry (a cached undefined is not a miss), has, ttl, expire, delete', async () => {
    const when = new Date('2024-01-02T03:04:05Z');
    await cache.set('user:1', { when, tags: new Set(['a']) }, { ttl: '1m' });
    await cache.set('nothing', undefined);
    expect(await cache.get('user:1')).toEqual({ when, tags: new Set(['a']) });
    expect(((await cache.get<{ when: Date }>('user:1')) as { when: Date }).when).toBeInstanceOf(Date);
    expect(await cache.getEntry('nothing')).toMatchObject({ value: undefined, tags: [] });
    expect(await cache.getEntry('absent')).toBeUndefined();
    expect([await cache.has('user:1'), await cache.has('absent')]).toEqual([true, false]);
    const left = (await cache.ttl('user:1')) as number;
    expect(left > 50_000 && left <= 60_000).toBe(true);
    expect(await cache.expire('user:1', '1h')).toBe(true);
    expect((await cache.ttl('user:1')) as number).toBeGreaterThan(3_500_000);
    expect(await cache.expire('absent', '1h')).toBe(false);
    expect(await cache.ttl('absent')).toBeUndefined();
    expect(await cache.delete(['user:1', 'nothing', 'absent'])).toBe(2);
    expect(await cache.get('user:1')).toBeUndefined();
    expect(await cache.delete('user:1')).toBe(0);
  });

  it('set keys take part in tag invalidation; a version bump hides them', async () => {
    await cache.set('post:1', 'p1', { tags: ['post:1', 'posts'] });
    await cache.set('post:2', 'p2', { tags: ['posts'] });
    await cache.set('other', 'o');
    await invalidateTag('post:1', { cache });
    expect(await cache.getMany(['post:1', 'post:2', 'other'])).toEqual([undefined, 'p2', 'o']);
    await cache.invalidateTags(['posts']);
    expect(await cache.get('post:2')).toBeUndefined();
    const v2 = createCache({ store, namespace, version: 2, logger: false, timeout: '10s' });
    expect(await v2.get('other')).toBeUndefined();
    expect(await collect(v2.keys())).toEqual([]);
  });

  it('getMany and setMany keep the order and the values', async () => {
    const items = Array.from({ length: 50 }, (_, i) => ({
      key: `n:${i}`,
      value: { i },
      tags: [`n:${i % 2}`],
    }));
    await cache.setMany(items);
    const keys = ['n:3', 'missing', 'n:0', 'n:49'];
    expect(await cache.getMany(keys)).toEqual([{ i: 3 }, undefined, { i: 0 }, { i: 49 }]);
    await cache.invalidateTags(['n:1']);
    const all = await cache.getMany(items.map((x) => x.key));
    expect(all.filter((v) => v !== undefined)).toHaveLength(25);
  });

  it('keys(pattern) and deletePattern see this cache only, and the entries of wrapped functions', async () => {
    const other = createCache({ store, namespace: namespace + ':other', logger: false, timeout: '10s' });
    const getUser = withCache(
      async function getUser(id: number) {
        return { id };
      },
      { cache },
    );
    await getUser(7);
    await cache.setMany([
      { key: 'user:1', value: 1 },
      { key: 'user:2', value: 2 },
      { key: 'post:1', value: 3 },
    ]);
    await other.set('user:9', 9);
    expect(await collect(cache.keys('user:*'))).toEqual(['user:1', 'user:2']);
    expect(await collect(cache.keys())).toEqual([getUser.keyOf(7), 'post:1', 'user:1', 'user:2'].sort());
    expect(await cache.deletePattern('user:*')).toBe(2);
    expect(await cache.getMany(['user:1', 'user:2', 'post:1'])).toEqual([undefined, undefined, 3]);
    expect(await other.get('user:9')).toBe(9);
  });

  it('one keyspace: a wrapped function entry is read and deleted by its key', async () => {
    let runs = 0;
    const getUser = withCache(
      async function getUser(id: number) {
        runs += 1;
        return { id, runs };
      },
      { cache, tags: (id) => [`user:${id}`] },
    );
    await getUser(1);
    expect(await cache.get(getUser.keyOf(1))).toEqual({ id: 1, runs: 1 });
    expect((await cache.getEntry(getUser.keyOf(1)))?.tags).toEqual(
      expect.arrayContaining(['user:1', '@fn:getUser']),
    );
    await cache.set(getUser.keyOf(2), { id: 2, runs: 0 });
    expect(await getUser(2)).toEqual({ id: 2, runs: 0 });
    expect(await cache.delete(getUser.keyOf(1))).toBe(1);
    expect(await getUser(1)).toEqual({ id: 1, runs: 2 });
  });

  it('ping measures a round trip; info names the store', async () => {
    expect(await cache.ping()).toBeGreaterThanOrEqual(0);
    await cache.set('k', 1);
    const info = await cache.info();
    expect(info.store).toBe(store.kind);
    if (store.kind.startsWith('redis')) expect(info.server?.['redis_version']).toMatch(/^\d+\./);
    else expect(info.entries).toBe(1);
  });
});

describe('key-value API on the null store', () => {
  it('keeps nothing: every read misses, writes are dropped, keys are empty', async () => {
    const cache = createCache({ store: nullStore(), logger: false, timeout: '10s' });
    await cache.set('k', 1);
    await cache.setMany([{ key: 'a', value: 1 }]);
    expect([
      await cache.get('k'),
      await cache.has('k'),
      await cache.ttl('k'),
      await cache.expire('k', 1000),
    ]).toEqual([undefined, false, undefined, false]);
    expect(await cache.getMany(['a', 'b'])).toEqual([undefined, undefined]);
    expect(await cache.delete(['a'])).toBe(0);
    expect(await cache.deletePattern('*')).toBe(0);
    expect(await collect(cache.keys())).toEqual([]);
    let runs = 0;
    expect(await cache.getOrSet('k', async () => ++runs)).toBe(1);
    expect(await cache.getOrSet('k', async () => ++runs)).toBe(2);
    expect(await cache.info()).toEqual({ store: 'null', entries: 0 });
  });
});

describe('key-value API: bad input', () => {
  it('rejects empty keys and a single string given as tags', async () => {
    const cache = createCache({ store: memoryStore(), logger: false, timeout: '10s' });
    await expect(cache.get('')).rejects.toThrow(/key/);
    await expect(cache.set('k', 1, { tags: 'user:1' as unknown as string[] })).rejects.toThrow(/one string/);
    await expect(cache.getOrSet('k', async () => 1, { ttl: 'soon' })).rejects.toThrow(/ttl/);
  });
});
