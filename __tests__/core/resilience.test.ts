import {
  createCache,
  withCache,
  memoryStore,
  invalidateTag,
  type CacheEvent,
  type Store,
} from '../../lib/index.js';
import { manualTimers } from '../../lib/testing/index.js';
import { deferred, flush } from '../helpers/deferred.js';

/**
 * TTL expiry is decided by the memory store's clock (Date.now): the stale-serving tests fake
 * Date (jest's modern timers, promise callbacks and setImmediate left real) and move it.
 */
const useFakeDate = (): void => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
};
const later = (ms: number): void => jest.setSystemTime(Date.now() + ms);

/** A store wrapper whose health the test controls: healthy, failing (throws) or hanging. */
function flakyStore(base: Store = memoryStore()) {
  let mode: 'ok' | 'fail' | 'hang' = 'ok';
  let calls = 0;
  const gate = <T>(op: () => T): T => {
    calls += 1;
    if (mode === 'fail') return Promise.reject(new Error('ECONNREFUSED')) as T;
    if (mode === 'hang') return new Promise(() => {}) as T;
    return op();
  };
  const store: Store = {
    kind: 'flaky',
    holdsValues: base.holdsValues,
    get: (ns, key) => gate(() => base.get(ns, key)),
    set: (ns, key, e, epoch) => gate(() => base.set(ns, key, e, epoch)),
    delete: (ns, keys) => gate(() => base.delete(ns, keys)),
    invalidate: (ns, tags, m) => gate(() => base.invalidate(ns, tags, m)),
    clear: (ns) => gate(() => base.clear(ns)),
    close: () => base.close(),
  };
  return { store, set: (m: typeof mode) => (mode = m), calls: () => calls };
}

describe('fail open', () => {
  it('runs the function when the store fails, with events and no thrown error', async () => {
    const flaky = flakyStore();
    const events: CacheEvent[] = [];
    const cache = createCache({
      store: flaky.store,
      logger: false,
      onEvent: (e) => events.push(e),
      breaker: false,
    });
    let runs = 0;
    const f = withCache(
      async function f() {
        return ++runs;
      },
      { cache },
    );
    flaky.set('fail');
    expect(await f()).toBe(1);
    expect(await f()).toBe(2);
    expect(f.stats().errors).toBeGreaterThanOrEqual(2);
    const errs = events.filter(
      (e): e is Extract<CacheEvent, { type: 'store-error' }> => e.type === 'store-error',
    );
    expect(errs[0]).toMatchObject({ op: 'get', error: { code: 'ERR_STORE' } });
    flaky.set('ok');
    expect(await f()).toBe(3);
    expect(await f()).toBe(3);
  });

  it('times out slow store operations without a timer per operation', async () => {
    const flaky = flakyStore();
    const timers = manualTimers();
    const events: CacheEvent[] = [];
    const cache = createCache({
      store: flaky.store,
      logger: false,
      onEvent: (e) => events.push(e),
      timeout: 50,
      breaker: false,
      timers,
    });
    const f = withCache(
      async function slowStore(i: number) {
        return `computed ${i}`;
      },
      { cache },
    );
    flaky.set('hang');
    let settled = 0;
    const calls = [1, 2, 3, 4, 5].map((i) => f(i).finally(() => (settled += 1)));
    await flush();
    expect(timers.pending()).toBe(1); // one sweep timer for five pending reads
    await timers.advance(49);
    expect(settled).toBe(0); // not before the deadline
    await timers.advance(1);
    expect(await Promise.all(calls)).toEqual([1, 2, 3, 4, 5].map((i) => `computed ${i}`));
    const timeouts = events.filter((e) => e.type === 'store-error' && e.error.code === 'ERR_STORE_TIMEOUT');
    expect(timeouts).toHaveLength(5);
    expect(timers.pending()).toBe(0); // the sweep stops when nothing is pending
  });

  it('a reply before the deadline wins, and a late reply after a timeout is ignored', async () => {
    const base = memoryStore();
    const replies: Array<() => void> = [];
    const store: Store = {
      ...base,
      get: (ns, key) => new Promise((resolve) => replies.push(() => resolve(base.get(ns, key)))),
    };
    const timers = manualTimers();
    const events: CacheEvent[] = [];
    const cache = createCache({
      store,
      logger: false,
      onEvent: (e) => events.push(e),
      timeout: 100,
      breaker: false,
      timers,
    });
    let runs = 0;
    const f = withCache(
      async function slowReply() {
        return ++runs;
      },
      { cache },
    );
    const first = f();
    await timers.advance(60);
    replies.shift()!(); // replied at 60 ms of 100
    expect(await first).toBe(1);
    const second = f();
    await timers.advance(100);
    expect(await second).toBe(2); // timed out: computed without the cache
    replies.shift()!(); // the late reply changes nothing
    await flush();
    expect(events.filter((e) => e.type === 'store-error').map((e) => (e as { op: string }).op)).toEqual([
      'get',
    ]);
  });

  it('opens the circuit after repeated failures, skips the store, half-opens and closes', async () => {
    const flaky = flakyStore();
    const events: CacheEvent[] = [];
    const timers = manualTimers();
    const cache = createCache({
      store: flaky.store,
      logger: false,
      onEvent: (e) => events.push(e),
      breaker: { failures: 3, resetAfter: 100 },
      timers,
    });
    const f = withCache(
      async function guarded(i: number) {
        return i;
      },
      { cache },
    );
    flaky.set('fail');
    for (let i = 0; i < 3; i++) await f(i); // get fails each time; no write without an epoch
    expect(cache.circuit()).toBe('open');
    const before = flaky.calls();
    for (let i = 0; i < 20; i++) expect(await f(i)).toBe(i);
    await timers.advance(99);
    expect(await f(0)).toBe(0);
    expect(flaky.calls()).toBe(before); // the store was not touched while open
    await timers.advance(1);
    flaky.set('ok');
    await f(1); // the probe succeeds
    expect(cache.circuit()).toBe('closed');
    expect(events.filter((e) => e.type === 'circuit').map((e) => (e as { state: string }).state)).toEqual([
      'open',
      'half-open',
      'closed',
    ]);
  });

  it('a failed probe reopens the circuit for another resetAfter, and only one probe goes at a time', async () => {
    const flaky = flakyStore();
    const events: CacheEvent[] = [];
    const timers = manualTimers();
    const cache = createCache({
      store: flaky.store,
      logger: false,
      onEvent: (e) => events.push(e),
      breaker: { failures: 1, resetAfter: 100 },
      timers,
    });
    const f = withCache(
      async function probed(i: number) {
        return i;
      },
      { cache },
    );
    flaky.set('fail');
    await f(0);
    expect(cache.circuit()).toBe('open');
    await timers.advance(100);
    flaky.set('hang');
    const before = flaky.calls();
    const probe = f(1); // the probe hangs: the circuit is half-open
    expect(await f(2)).toBe(2); // a second call is not let through while the probe runs
    expect(flaky.calls()).toBe(before + 1);
    expect(cache.circuit()).toBe('half-open');
    await timers.advance(1000); // the probe times out (default timeout 1 s): open again
    expect(await probe).toBe(1);
    expect(cache.circuit()).toBe('open');
    await timers.advance(99);
    expect(cache.circuit()).toBe('open');
    flaky.set('ok');
    await f(3); // still open: skipped
    expect(flaky.calls()).toBe(before + 1);
    await timers.advance(1);
    await f(4);
    expect(cache.circuit()).toBe('closed');
    expect(events.filter((e) => e.type === 'circuit').map((e) => (e as { state: string }).state)).toEqual([
      'open',
      'half-open',
      'open',
      'half-open',
      'closed',
    ]);
  });

  it('rejects invalidation when the store is down (so the caller knows)', async () => {
    const flaky = flakyStore();
    const cache = createCache({ store: flaky.store, logger: false, breaker: false });
    flaky.set('fail');
    await expect(invalidateTag('x', { cache })).rejects.toMatchObject({ code: 'ERR_STORE' });
  });

  it('removes undecodable entries and counts them as a miss', async () => {
    const events: CacheEvent[] = [];
    const base = memoryStore();
    // A string store view over the memory store: payloads are strings, so the serializer runs.
    const store: Store = { ...base, holdsValues: false };
    const cache = createCache({ store, logger: false, onEvent: (e) => events.push(e) });
    let runs = 0;
    const f = withCache(
      async function decoded() {
        return { n: ++runs };
      },
      { cache },
    );
    await f();
    store.set('tc', f.keyOf(), {
      payload: 'garbage{',
      tags: [],
      createdAt: Date.now(),
      ttl: 60_000,
      grace: 0,
      error: false,
    });
    expect(await f()).toEqual({ n: 2 });
    expect(events.map((e) => e.type)).toContain('decode-error');
    expect(f.stats().dropped).toBe(1);
    expect(await f()).toEqual({ n: 2 });
  });
});

describe('stale serving', () => {
  beforeEach(useFakeDate);
  afterEach(() => jest.useRealTimers());

  it('staleWhileRevalidate serves the stale value and refreshes once in the background', async () => {
    const events: CacheEvent[] = [];
    const cache = createCache({ store: memoryStore(), logger: false, onEvent: (e) => events.push(e) });
    let runs = 0;
    const gate = deferred<void>();
    const f = withCache(
      async function swr() {
        runs += 1;
        if (runs === 2) await gate.promise;
        return runs;
      },
      { cache, ttl: 30, staleWhileRevalidate: '1m' },
    );
    expect(await f()).toBe(1);
    later(80);
    expect(await f()).toBe(1); // stale, refresh started
    expect(await f()).toBe(1); // stale, refresh already running: not started twice
    gate.resolve();
    await flush();
    expect(runs).toBe(2);
    expect(await f()).toBe(2);
    expect(events.filter((e) => e.type === 'stale-hit')).toHaveLength(2);
  });

  it('reports background refresh errors as events, never to callers', async () => {
    const events: CacheEvent[] = [];
    const cache = createCache({ store: memoryStore(), logger: false, onEvent: (e) => events.push(e) });
    let runs = 0;
    const f = withCache(
      async function swrFails() {
        runs += 1;
        if (runs > 1) throw new Error('db down');
        return 'v1';
      },
      { cache, ttl: 30, staleWhileRevalidate: '1m' },
    );
    await f();
    later(80);
    expect(await f()).toBe('v1');
    await flush();
    expect(events.some((e) => e.type === 'refresh-error' && (e.error as Error).message === 'db down')).toBe(
      true,
    );
  });

  it('staleIfError serves the expired value when the function throws', async () => {
    const cache = createCache({ store: memoryStore(), logger: false });
    let fail = false;
    const f = withCache(
      async function sie() {
        if (fail) throw new Error('upstream 503');
        return 'good';
      },
      { cache, ttl: 30, staleIfError: '1m' },
    );
    await f();
    later(80);
    fail = true;
    expect(await f()).toBe('good');
    const g = withCache(
      async function noSie() {
        if (fail) throw new Error('upstream 503');
        return 'good';
      },
      { cache, ttl: 30 },
    );
    fail = false;
    await g();
    later(80);
    fail = true;
    await expect(g()).rejects.toThrow('upstream 503');
  });

  it('never serves an invalidated entry stale unless invalidated with mode: stale', async () => {
    const events: CacheEvent[] = [];
    const cache = createCache({ store: memoryStore(), logger: false, onEvent: (e) => events.push(e) });
    let v = 1;
    const f = withCache(
      async function catalog() {
        return v;
      },
      { cache, tags: ['catalog'], staleWhileRevalidate: '1h', staleIfError: '1h' },
    );
    await f();
    v = 2;
    await invalidateTag('catalog', { cache });
    expect(await f()).toBe(2); // dropped: recomputed, not served stale
    v = 3;
    await invalidateTag('catalog', { cache, mode: 'stale' });
    expect(await f()).toBe(2); // marked stale: served while refreshing
    await flush();
    expect(await f()).toBe(3);
    expect(events.some((e) => e.type === 'stale-hit' && e.reason === 'invalidated')).toBe(true);
  });

  it('a stale-marked entry is a miss for functions without stale windows', async () => {
    const cache = createCache({ store: memoryStore(), logger: false });
    let v = 1;
    const f = withCache(
      async function strict() {
        return v;
      },
      { cache, tags: ['t'] },
    );
    await f();
    v = 2;
    await invalidateTag('t', { cache, mode: 'stale' });
    expect(await f()).toBe(2);
  });
});

describe('spread expiry', () => {
  beforeEach(useFakeDate);
  afterEach(() => jest.useRealTimers());

  it('jitter shortens TTLs by up to the fraction', async () => {
    const ttls: number[] = [];
    const cache = createCache({
      store: memoryStore(),
      logger: false,
      onEvent: (e) => e.type === 'write' && ttls.push(e.ttl),
    });
    const f = withCache(
      async function jittered(i: number) {
        return i;
      },
      { cache, ttl: 100_000, jitter: 0.2 },
    );
    for (let i = 0; i < 200; i++) await f(i);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(100_000);
    expect(Math.min(...ttls)).toBeGreaterThanOrEqual(80_000);
    expect(new Set(ttls).size).toBeGreaterThan(50);
  });

  it('refreshAhead refreshes once in the background on a hit near expiry', async () => {
    const cache = createCache({ store: memoryStore(), logger: false });
    let runs = 0;
    const gate = deferred<void>();
    const f = withCache(
      async function ahead() {
        runs += 1;
        if (runs === 2) await gate.promise;
        return runs;
      },
      { cache, ttl: 400, refreshAhead: 0.5 },
    );
    expect(await f()).toBe(1);
    expect(await f()).toBe(1); // early in the TTL: no refresh
    expect(runs).toBe(1);
    later(250); // in the last half of the TTL
    expect(await f()).toBe(1); // served at once, refresh started
    expect(await f()).toBe(1); // refresh still running: not started twice
    expect(runs).toBe(2);
    gate.resolve();
    await flush();
    expect(await f()).toBe(2);
    expect(runs).toBe(2);
  });
});
