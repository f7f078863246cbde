import type { ReadResult, WriteEntry } from '../../lib/stores/Store.js';
import { startChildStore, type ChildStore } from '../setup/childProcessStore.js';
import {
  testClusterNodes,
  testClusterStore,
  testRedisStore,
  testRedisUrl,
  uniqueNamespace,
} from '../setup/testStores.js';

const entry = (tags: string[]): WriteEntry<string> => ({
  payload: '"from a process"',
  tags,
  createdAt: Date.now(),
  ttl: 60_000,
  grace: 0,
  error: false,
});

describe('two Node processes sharing one Redis', () => {
  let child: ChildStore;
  beforeAll(async () => {
    child = await startChildStore(testRedisUrl());
  }, 30_000);
  afterAll(() => child?.close());

  it("an invalidation in another process is seen by this process's next read", async () => {
    const store = testRedisStore();
    const ns = uniqueNamespace('proc');
    await store.set(ns, 'k', entry(['user:1']));
    expect((await store.get(ns, 'k')).hit).toBe(true);
    const done = await child.request<{ ok: boolean; pid: number }>({
      op: 'invalidate',
      ns,
      tags: ['user:1'],
      mode: 'drop',
    });
    expect(done.pid).not.toBe(process.pid);
    expect((await store.get(ns, 'k')).hit).toBe(false);
    await store.close();
  });

  it('a computation in another process that straddles an invalidation here is not written', async () => {
    const store = testRedisStore();
    const ns = uniqueNamespace('proc');
    const miss = await child.request<ReadResult<string>>({ op: 'get', ns, key: 'k' });
    expect(miss.hit).toBe(false);
    await store.invalidate(ns, ['user:1'], 'drop');
    const epoch = miss.hit ? undefined : miss.epoch;
    expect(await child.request<boolean>({ op: 'set', ns, key: 'k', entry: entry(['user:1']), epoch })).toBe(
      false,
    );
    expect((await store.get(ns, 'k')).hit).toBe(false);
    await store.close();
  });

  it('an entry written by another process is a hit here, with its tags', async () => {
    const store = testRedisStore();
    const ns = uniqueNamespace('proc');
    expect(await child.request<boolean>({ op: 'set', ns, key: 'k', entry: entry(['a', 'b']) })).toBe(true);
    const hit = await store.get(ns, 'k');
    expect(hit).toMatchObject({ hit: true, payload: '"from a process"', tags: ['a', 'b'] });
    await store.close();
  });
});

describe('two Node processes sharing one Redis Cluster', () => {
  it("an invalidation in another process is seen by this process's next read", async () => {
    const child = await startChildStore(`redis-cluster://${testClusterNodes().join(',')}`);
    const store = testClusterStore();
    try {
      const ns = uniqueNamespace('proc');
      for (let i = 0; i < 20; i++) await store.set(ns, `k${i}`, entry(['user:1']));
      await child.request({ op: 'invalidate', ns, tags: ['user:1'], mode: 'drop' });
      for (let i = 0; i < 20; i++) expect((await store.get(ns, `k${i}`)).hit).toBe(false);
    } finally {
      await store.close();
      await child.close();
    }
  }, 30_000);
});
