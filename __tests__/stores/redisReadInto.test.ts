/**
 * `Store.readInto` on Redis through the public entry: the cache reads a Redis store through it
 * (the deadline's target takes the reply, no promise of the store's own), a read past its
 * deadline fails open and its late reply is dropped, and a warm hit creates no more promises of
 * tagcache's own than the four it needs (flush, reply handler, deadline, answer).
 */
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { createClient } from 'redis';
import { createCache, withCache, type Cache, type CacheEvent } from '../../lib/index.js';
import { redisStore } from '../../lib/redis.js';
import type { ReadResult, ReadTarget, Store } from '../../lib/stores/Store.js';
import { replyGate, type ReplyGate } from '../setup/replyGate.js';
import { testRedisUrl, uniqueNamespace } from '../setup/testStores.js';

/** A Redis store whose `get` and `readInto` calls are counted. */
function countedStore(url: string): { store: Store<string>; calls: { get: number; readInto: number } } {
  const inner = redisStore({ url });
  const calls = { get: 0, readInto: 0 };
  const store: Store<string> = Object.freeze({
    ...inner,
    get: (ns: string, key: string) => {
      calls.get += 1;
      return inner.get(ns, key);
    },
    readInto: (ns: string, key: string, target: ReadTarget<ReadResult<string>>) => {
      calls.readInto += 1;
      inner.readInto(ns, key, target);
    },
  });
  return { store, calls };
}

describe('readInto on Redis', () => {
  let cache: Cache | undefined;
  afterEach(async () => {
    await cache?.close();
    cache = undefined;
  });

  it('the cache reads through readInto: hits and misses never call get', async () => {
    const { store, calls } = countedStore(testRedisUrl());
    cache = createCache({ store, namespace: uniqueNamespace('read-into'), logger: false });
    await cache.ready(); // before the first connection, an operation waits for it and then uses get
    let runs = 0;
    const f = withCache(async (id: number) => ({ id, run: ++runs }), { name: 'f', cache, tags: ['t'] });
    expect(await f(1)).toEqual({ id: 1, run: 1 });
    for (let i = 0; i < 5; i++) expect(await f(1)).toEqual({ id: 1, run: 1 });
    expect(await f(2)).toEqual({ id: 2, run: 2 });
    expect(calls).toEqual({ get: 0, readInto: 7 });
  });

  it("a computation runs in its own caller's async context, though its read shared a batch with another caller's", async () => {
    cache = createCache({
      store: redisStore({ url: testRedisUrl() }),
      namespace: uniqueNamespace('read-into-als'),
      logger: false,
    });
    await cache.ready();
    const request = new AsyncLocalStorage<string>();
    const seen: Record<string, string | undefined> = {};
    const f = withCache(
      async (id: string) => {
        seen[id] = request.getStore();
        return id;
      },
      { name: 'als', cache },
    );
    // Three callers in one tick: their reads go in one batch, flushed from the first one's turn.
    const calls = ['a', 'b', 'c'].map((id) => request.run(`request ${id}`, () => f(id)));
    expect(await Promise.all(calls)).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual({ a: 'request a', b: 'request b', c: 'request c' });
  });

  describe('past the deadline', () => {
    let gate: ReplyGate;
    beforeAll(async () => {
      gate = await replyGate(testRedisUrl());
    });
    afterAll(() => gate.close());

    it('joined reads past their deadline fail open with a timeout each; the late reply is dropped', async () => {
      const events: CacheEvent[] = [];
      cache = createCache({
        store: redisStore({ url: gate.url }),
        namespace: uniqueNamespace('read-into-late'),
        logger: false,
        timeout: 150,
        breaker: false,
        onEvent: (e) => events.push(e),
      });
      let runs = 0;
      const f = withCache(async () => ++runs, { name: 'late', cache });
      expect(await f()).toBe(1);
      expect(await f()).toBe(1);
      gate.hold();
      // Two calls in one tick: one read of the key, two deadlines.
      const both = Promise.all([f(), f()]);
      await gate.held();
      const answers = await both; // the deadlines passed while Redis's answer was held
      // Each failed open and computed (a call whose epoch is unknown never joins a flight).
      expect([...answers].sort()).toEqual([2, 3]);
      const timeouts = events.filter((e) => e.type === 'store-error' && e.error.code === 'ERR_STORE_TIMEOUT');
      expect(timeouts.map((e) => (e as { op: string }).op)).toEqual(['get', 'get']);
      gate.release();
      await new Promise((r) => setTimeout(r, 50)); // the held reply arrives now, for nobody
      expect(runs).toBe(3);
      // The cache reads on normally: the entry is still the first one (a failed-open computation,
      // whose epoch is unknown, does not write).
      expect(await f()).toBe(1);
      expect(events.filter((e) => e.type === 'store-error')).toHaveLength(2);
    });
  });

  it('a warm hit creates at most four promises of its own beyond the node-redis command', async () => {
    const url = testRedisUrl();
    const client = createClient({ url });
    await client.connect();
    cache = createCache({
      store: redisStore({ url }),
      namespace: uniqueNamespace('read-into-promises'),
      logger: false,
    });
    const f = withCache(async (k: string) => ({ k }), { name: 'p', cache });
    await f('x');
    await f('x');
    let promises = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'PROMISE') promises += 1;
      },
    });
    const perCall = async (call: () => Promise<unknown>): Promise<number> => {
      await call();
      hook.enable();
      promises = 0;
      for (let i = 0; i < 50; i++) await call();
      hook.disable();
      return promises / 50;
    };
    try {
      const command = await perCall(() => client.sendCommand(['MGET', 'read-into:a', 'read-into:b']));
      const hit = await perCall(() => f('x'));
      // Before readInto: 6 (the read batch's promise and the deadline's reply handler besides).
      expect(hit - command).toBeLessThanOrEqual(4);
    } finally {
      hook.disable();
      await client.quit();
    }
  });
});
