import {
  addTags,
  createCache,
  entity,
  invalidateEntity,
  invalidateTag,
  memoryStore,
  withBatch,
  withCache,
  type Cache,
} from '../../lib/index.js';
import { deferred, flush } from '../helpers/deferred.js';
import { commandOf, monitorNode } from '../setup/monitor.js';
import { testClusterStore, testRedisStore, testRedisUrl, uniqueNamespace } from '../setup/testStores.js';

interface User {
  readonly id: number;
  readonly name: string;
}

const caches: Cache[] = [];
afterAll(() => Promise.all(caches.map((c) => c.close())));

function usersLoader(cache: Cache, missing: Set<number> = new Set()) {
  const calls: number[][] = [];
  const getUsers = withBatch(
    async function users(ids: readonly number[]) {
      calls.push([...ids]);
      return new Map(ids.filter((id) => !missing.has(id)).map((id) => [id, { id, name: `u${id}` } as User]));
    },
    { cache, tags: (id) => [`user:${id}`], entities: entity('user') },
  );
  return { getUsers, calls };
}

describe.each([
  ['memory', () => memoryStore()],
  ['redis', () => testRedisStore()],
  ['cluster', () => testClusterStore()],
] as const)('withBatch on %s', (_label, makeStore) => {
  let cache: Cache;
  beforeEach(() => {
    cache = createCache({
      store: makeStore(),
      namespace: uniqueNamespace('batch'),
      logger: false,
      timeout: '10s',
    });
    caches.push(cache);
  });

  it('many(ids) calls fn once with only the missing ids, in the order of the ids', async () => {
    const { getUsers, calls } = usersLoader(cache, new Set([4]));
    expect(await getUsers.many([1, 2])).toEqual([
      { id: 1, name: 'u1' },
      { id: 2, name: 'u2' },
    ]);
    expect(await getUsers.many([3, 2, 4, 1, 3])).toEqual([
      { id: 3, name: 'u3' },
      { id: 2, name: 'u2' },
      undefined,
      { id: 1, name: 'u1' },
      { id: 3, name: 'u3' },
    ]);
    expect(calls).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(await getUsers.many([1, 2, 3])).toHaveLength(3);
    expect(calls).toHaveLength(2);
    expect(await getUsers.many([4])).toEqual([undefined]); // not returned: not cached
    expect(calls).toEqual([[1, 2], [3, 4], [4]]);
  });

  it('tags and entities apply per id', async () => {
    const { getUsers, calls } = usersLoader(cache);
    await getUsers.many([1, 2, 3]);
    await invalidateTag('user:2', { cache });
    await invalidateEntity('user', 3, { cache });
    await getUsers.many([1, 2, 3]);
    expect(calls).toEqual([
      [1, 2, 3],
      [2, 3],
    ]);
    await getUsers.invalidateAll();
    await getUsers.many([1]);
    expect(calls.at(-1)).toEqual([1]);
  });

  it('batches the single calls of one tick into one fn call; entries are shared with many()', async () => {
    const { getUsers, calls } = usersLoader(cache);
    const users = await Promise.all([getUsers(1), getUsers(2), getUsers(1), getUsers(3)]);
    expect(users.map((u) => u?.id)).toEqual([1, 2, 1, 3]);
    expect(calls).toEqual([[1, 2, 3]]);
    expect(await getUsers(2)).toEqual({ id: 2, name: 'u2' });
    expect(await cache.get(getUsers.keyOf(2))).toEqual({ id: 2, name: 'u2' });
    expect(calls).toHaveLength(1);
  });
});

describe('withBatch: races, nesting and costs', () => {
  const cache = createCache({ store: memoryStore(), namespace: 'batch-mem', logger: false, timeout: '10s' });

  it('a batch that straddles an invalidation of one id does not write that id', async () => {
    const gate = deferred<void>();
    let runs = 0;
    const load = withBatch(
      async function slow(ids: readonly number[]) {
        runs += 1;
        await gate.promise;
        return ids.map((id) => id * 10);
      },
      { cache, tags: (id) => [`n:${id}`] },
    );
    const first = load.many([1, 2]);
    await flush();
    await invalidateTag('n:1', { cache });
    gate.resolve();
    expect(await first).toEqual([10, 20]);
    expect(await load.many([1, 2])).toEqual([10, 20]);
    expect(runs).toBe(2);
    expect(load.stats()).toMatchObject({ refusedWrites: 1, hits: 1 });
  });

  it('joins a batch already running for the same ids; addTags inside fn tag every id; results propagate', async () => {
    const gate = deferred<void>();
    const seen: number[][] = [];
    const load = withBatch(
      async function tagged(ids: readonly number[]) {
        seen.push([...ids]);
        addTags('all-items');
        await gate.promise;
        return ids.map((id) => ({ id }));
      },
      { cache },
    );
    const a = load.many([1, 2]);
    await flush();
    const b = load.many([2, 3]);
    await flush();
    gate.resolve();
    await Promise.all([a, b]);
    expect(seen).toEqual([[1, 2], [3]]);
    const page = withCache(
      async function listPage() {
        return load.many([1, 3]);
      },
      { cache },
    );
    await page();
    expect((await page.peekEntry())?.tags).toEqual(expect.arrayContaining(['all-items', '@fn:tagged']));
    await invalidateTag('all-items', { cache });
    expect(await page.peekEntry()).toBeUndefined();
  });

  it('reads every id in one command and writes the missing ones in one on Redis (MONITOR)', async () => {
    const ns = uniqueNamespace('batchcmd');
    const redis = createCache({ store: testRedisStore(), namespace: ns, logger: false, timeout: '10s' });
    caches.push(redis);
    const mon = await monitorNode(testRedisUrl());
    try {
      const { getUsers } = usersLoader(redis);
      await getUsers.many([0]); // scripts loaded
      await getUsers.many(Array.from({ length: 50 }, (_, i) => i));
      await mon.sync();
      mon.reset();
      await getUsers.many(Array.from({ length: 100 }, (_, i) => i));
      await mon.sync();
      expect(mon.sent(ns).map(commandOf)).toEqual(['EVALSHA', 'EVALSHA']);
    } finally {
      await mon.stop();
    }
  });
});
