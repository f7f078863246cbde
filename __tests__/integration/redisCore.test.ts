import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import {
  createCache,
  withCache,
  redisStore,
  redisClusterStore,
  invalidateTag,
  invalidateEntity,
  entity,
  addTags,
  type Cache,
  type CacheEvent,
  type Store,
} from '../../lib/index.js';
import { deferred } from '../helpers/deferred.js';
import {
  REDIS_URL_ENV,
  CLUSTER_NODES_ENV,
  startRedisServer,
  type RedisServer,
} from '../setup/redisServers.js';

const url = (): string => {
  const u = process.env[REDIS_URL_ENV];
  if (!u) throw new Error(`${REDIS_URL_ENV} is not set: run through jest (global setup starts redis-server)`);
  return u;
};
let nsCounter = 0;
const ns = () => `core-${process.pid}-${++nsCounter}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const open: Cache[] = [];
const cacheOn = (namespace: string, extra: Parameters<typeof createCache>[0] = {}) => {
  const c = createCache({ store: redisStore({ url: url() }), namespace, logger: false, ...extra });
  open.push(c);
  return c;
};
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
});

describe('withCache on Redis', () => {
  it('returns rich values faithfully', async () => {
    const cache = cacheOn(ns());
    const value = {
      at: new Date('2024-05-06T07:08:09Z'),
      m: new Map([['k', new Set([1n])]]),
      u: undefined,
      n: null,
      nan: NaN,
    };
    let runs = 0;
    const f = withCache(
      async function rich() {
        runs += 1;
        return value;
      },
      { cache },
    );
    await f();
    const hit = await f();
    expect(runs).toBe(1);
    expect(hit).toEqual(value);
    expect(hit.at).toBeInstanceOf(Date);
    expect(hit.m.get('k')).toEqual(new Set([1n]));
    expect('u' in hit).toBe(true);
  });

  it('two caches on separate clients act as two processes: an invalidation in one is seen by the other', async () => {
    const namespace = ns();
    const a = cacheOn(namespace);
    const b = cacheOn(namespace);
    let version = 1;
    const make = (cache: Cache) =>
      withCache(
        async function sharedUser(id: number) {
          return { id, version };
        },
        { cache, entities: entity('user') },
      );
    const inA = make(a);
    const inB = make(b);
    expect(await inA(1)).toEqual({ id: 1, version: 1 });
    version = 2;
    expect(await inB(1)).toEqual({ id: 1, version: 1 }); // shared entry
    await invalidateEntity('user', 1, { cache: a });
    expect(await inB(1)).toEqual({ id: 1, version: 2 });
  });

  it('refuses a straddling computation in another process', async () => {
    const namespace = ns();
    const a = cacheOn(namespace);
    const b = cacheOn(namespace);
    const gate = deferred<void>();
    const started = deferred<void>();
    let version = 1;
    const slowInA = withCache(
      async function item() {
        const v = version;
        started.resolve();
        await gate.promise;
        return v;
      },
      { cache: a, tags: ['item'] },
    );
    const inB = withCache(
      async function item() {
        return version;
      },
      { cache: b, tags: ['item'] },
    );
    const running = slowInA();
    await started.promise; // A read its epoch and runs (no sleep: the first read also connects)
    version = 2;
    await invalidateTag('item', { cache: b });
    gate.resolve();
    expect(await running).toBe(1);
    expect(await inB()).toBe(2);
    expect(await slowInA.peek()).toBe(2);
  });

  it('propagates nested tags on an inner hit, across processes', async () => {
    const namespace = ns();
    const a = cacheOn(namespace);
    const b = cacheOn(namespace);
    const inner = (cache: Cache) =>
      withCache(
        async function profile(id: number) {
          addTags(`user:${id}`);
          return { id };
        },
        { cache },
      );
    await inner(a)(1); // inner entry written by process A
    let outerRuns = 0;
    const outer = withCache(
      async function page(id: number) {
        outerRuns += 1;
        return { p: await inner(b)(id) }; // inner hit in process B
      },
      { cache: b },
    );
    await outer(1);
    await invalidateTag('user:1', { cache: a });
    await outer(1);
    expect(outerRuns).toBe(2);
  });

  it('serves stale with mode: stale and staleWhileRevalidate', async () => {
    const cache = cacheOn(ns());
    let v = 1;
    const f = withCache(
      async function catalogue() {
        return v;
      },
      { cache, tags: ['catalogue'], staleWhileRevalidate: '1m' },
    );
    await f();
    v = 2;
    await invalidateTag('catalogue', { cache, mode: 'stale' });
    expect(await f()).toBe(1);
    await sleep(50);
    expect(await f()).toBe(2);
    v = 3;
    await invalidateTag('catalogue', { cache });
    expect(await f()).toBe(3);
  });

  it('serves expired entries with staleIfError and staleWhileRevalidate, and refreshes ahead', async () => {
    const events: CacheEvent[] = [];
    const cache = cacheOn(ns(), { onEvent: (e) => events.push(e) });
    let fail = false;
    let runs = 0;
    const sie = withCache(
      async function sieOnRedis() {
        runs += 1;
        if (fail) throw new Error('upstream down');
        return runs;
      },
      { cache, ttl: 50, staleIfError: '1m' },
    );
    expect(await sie()).toBe(1);
    await sleep(120);
    fail = true;
    expect(await sie()).toBe(1);
    expect(events.some((e) => e.type === 'stale-hit' && e.reason === 'error')).toBe(true);

    let n = 0;
    const swr = withCache(
      async function swrOnRedis() {
        return ++n;
      },
      { cache, ttl: 50, staleWhileRevalidate: '1m' },
    );
    expect(await swr()).toBe(1);
    await sleep(120);
    expect(await swr()).toBe(1); // stale, refreshing
    await sleep(50);
    expect(await swr()).toBe(2);

    let m = 0;
    const ahead = withCache(
      async function aheadOnRedis() {
        return ++m;
      },
      { cache, ttl: 600, refreshAhead: 0.5 },
    );
    expect(await ahead()).toBe(1);
    await sleep(400);
    expect(await ahead()).toBe(1); // in the last half: served, refresh started
    await sleep(50);
    expect(await ahead()).toBe(2);
  });

  it('works on the Redis Cluster', async () => {
    const nodes = process.env[CLUSTER_NODES_ENV]!.split(',');
    const cache = createCache({
      store: redisClusterStore({ rootNodes: nodes.map((h) => ({ url: `redis://${h}` })) }),
      namespace: ns(),
      logger: false,
    });
    open.push(cache);
    let runs = 0;
    const f = withCache(
      async function clustered(i: number) {
        runs += 1;
        return { i };
      },
      { cache, tags: (i) => [`group:${i % 3}`] },
    );
    for (let i = 0; i < 30; i++) await f(i);
    for (let i = 0; i < 30; i++) await f(i);
    expect(runs).toBe(30);
    await invalidateTag('group:1', { cache });
    for (let i = 0; i < 30; i++) await f(i);
    expect(runs).toBe(40);
  });
});

describe('resilience on a Redis that dies and comes back', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.destroy();
  });

  it('fails open fast while Redis is down and resumes caching by itself when it is back', async () => {
    const events: CacheEvent[] = [];
    const cache = createCache({
      store: redisStore({ url: server.url }, { onError: () => {} }),
      namespace: ns(),
      logger: false,
      timeout: 200,
      breaker: { failures: 3, resetAfter: 300 },
      onEvent: (e) => events.push(e),
    });
    open.push(cache);
    let runs = 0;
    const f = withCache(
      async function resilient() {
        return ++runs;
      },
      { cache },
    );
    expect(await f()).toBe(1);
    expect(await f()).toBe(1);
    await server.stop();
    const started = Date.now();
    for (let i = 0; i < 20; i++) await f();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(5000);
    expect(runs).toBe(21);
    expect(cache.circuit()).toBe('open');
    const types = events.map((e) => (e.type === 'circuit' ? `circuit:${e.state}` : e.type));
    expect(types).toContain('store-error');
    expect(types).toContain('circuit:open');
    await server.start();
    let resumed = false;
    for (let i = 0; i < 100 && !resumed; i++) {
      await sleep(100);
      const before = runs;
      await f();
      await f();
      resumed = cache.circuit() === 'closed' && runs === before + 1;
    }
    expect(resumed).toBe(true);
    expect(events.filter((e) => e.type === 'circuit').map((e) => (e as { state: string }).state)).toEqual(
      expect.arrayContaining(['open', 'half-open', 'closed']),
    );
  });
});

describe('cross-process single flight (lock)', () => {
  it('runs the function once for concurrent misses across two caches on separate clients', async () => {
    const namespace = ns();
    const a = cacheOn(namespace);
    const b = cacheOn(namespace);
    let runs = 0;
    const make = (cache: Cache) =>
      withCache(
        async function locked() {
          runs += 1;
          await sleep(150);
          return 'value';
        },
        { cache, lock: { ttl: '5s', wait: '5s' } },
      );
    const fa = make(a);
    const fb = make(b);
    const results = await Promise.all([fa(), fb(), fa(), fb()]);
    expect(results).toEqual(['value', 'value', 'value', 'value']);
    expect(runs).toBe(1);
  });

  it('a waiter that finds the lock freed re-reads instead of running the function again', async () => {
    const namespace = ns();
    const slowReads = (store: Store): Store =>
      Object.freeze({
        ...store,
        get: async (n: string, k: string) => {
          const r = await store.get(n, k);
          await sleep(30); // a busy process: the holder writes and releases meanwhile
          return r;
        },
      });
    let runs = 0;
    const make = (cache: Cache) =>
      withCache(
        async function raced() {
          runs += 1;
          await sleep(100);
          return 'v';
        },
        { cache, lock: { ttl: '5s', wait: '5s' } },
      );
    for (let round = 0; round < 5; round++) {
      const a = createCache({
        store: slowReads(redisStore({ url: url() })),
        namespace: `${namespace}-${round}`,
        logger: false,
      });
      const b = createCache({
        store: slowReads(redisStore({ url: url() })),
        namespace: `${namespace}-${round}`,
        logger: false,
      });
      open.push(a, b);
      await Promise.all([make(a)(), make(b)()]);
    }
    expect(runs).toBe(5);
  });

  it('takes over when the lock holder died (the lock expires)', async () => {
    const namespace = ns();
    const cache = cacheOn(namespace);
    const lock = await cache.store.lock!(namespace, '1:orphan:', 300); // a holder that never releases
    expect(lock).toBeDefined();
    let runs = 0;
    const f = withCache(
      async function orphan() {
        return ++runs;
      },
      { cache, lock: { ttl: '5s', wait: '5s' } },
    );
    const started = Date.now();
    expect(await f()).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('computes anyway after lock.wait when the holder keeps the lock', async () => {
    const namespace = ns();
    const events: CacheEvent[] = [];
    const cache = cacheOn(namespace, { onEvent: (e) => events.push(e) });
    await cache.store.lock!(namespace, '1:stuck:', 10_000); // a holder that is alive but slow
    let runs = 0;
    const f = withCache(
      async function stuck() {
        return ++runs;
      },
      { cache, lock: { ttl: '10s', wait: 200 } },
    );
    const started = Date.now();
    expect(await f()).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(events.map((e) => e.type)).toEqual(['miss', 'lock-wait', 'compute', 'write']);
    expect(events[1]).toMatchObject({ type: 'lock-wait', outcome: 'timeout' });
  });

  it('runs the function once for a stampede across two Node processes', async () => {
    const namespace = ns();
    const worker = join(__dirname, 'fixtures', 'lockWorker.ts');
    const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const run = () => promisify(execFile)(tsx, [worker, url(), namespace, '50'], { timeout: 60_000 });
    const control = createClient({ url: url() });
    control.on('error', () => {});
    await control.connect();
    try {
      const both = Promise.all([run(), run()]);
      await sleep(1500); // both workers connected and waiting
      await control.set(`${namespace}:go`, '1');
      const outputs = await both;
      const pids = outputs.flatMap((o) => JSON.parse(o.stdout) as number[]);
      expect(pids).toHaveLength(100);
      expect(new Set(pids).size).toBe(1);
      expect(await control.get(`${namespace}:runs`)).toBe('1');
    } finally {
      await control.quit();
    }
  }, 90_000);
});
