import {
  createCache,
  withCache,
  memoryStore,
  invalidateTag,
  TimeoutError,
  errors,
  InvalidOptionsError,
  type CacheEvent,
  type Store,
} from '../../lib/index.js';
import { manualTimers } from '../../lib/testing/index.js';
import { deferred, flush, type Deferred } from '../helpers/deferred.js';
import { testRedisStore, uniqueNamespace } from '../setup/testStores.js';

/** A function whose calls after the first wait for `gate` (replaced per test), counting versions. */
function slowSource() {
  let version = 0;
  let gate: Deferred<void> | undefined;
  let entered = deferred<void>();
  return {
    fn: async function slowSource(id: number) {
      version += 1;
      const mine = version;
      entered.resolve();
      if (gate !== undefined) await gate.promise;
      return { id, version: mine };
    },
    block: () => {
      gate = deferred<void>();
      entered = deferred<void>();
    },
    release: () => gate?.resolve(),
    /** Resolves once a call made after `block()` runs the function (its timeouts are armed then). */
    entered: () => entered.promise,
  };
}

/** Resolves at the next `write` event of the cache. */
function writes() {
  let next = deferred<void>();
  return {
    onEvent: (e: CacheEvent) => {
      if (e.type === 'write') {
        next.resolve();
        next = deferred<void>();
      }
    },
    next: () => next.promise,
  };
}

const STORES: ReadonlyArray<readonly [string, () => Store]> = [
  ['memory', () => memoryStore()],
  ['redis', () => testRedisStore()],
];

describe.each(STORES)('softTimeout and hardTimeout (%s)', (_label, makeStore) => {
  const open = (onEvent?: (e: CacheEvent) => void) => {
    const timers = manualTimers();
    const cache = createCache({
      store: makeStore(),
      namespace: uniqueNamespace('deadlines'),
      timers,
      logger: false,
      ...(onEvent === undefined ? {} : { onEvent }),
    });
    return { cache, timers };
  };

  it('softTimeout serves the stale value and lets the computation finish and be cached', async () => {
    const w = writes();
    const { cache, timers } = open(w.onEvent);
    const src = slowSource();
    const f = withCache(src.fn, { cache, tags: 't', staleIfError: '1h', softTimeout: 100 });
    await f(1);
    await invalidateTag('t', { cache, mode: 'stale' }); // servable stale, as an expired entry in its window
    src.block();
    const call = f(1);
    await src.entered();
    await timers.advance(100);
    expect(await call).toEqual({ id: 1, version: 1 });
    expect(f.stats().staleHits).toBe(1);
    const written = w.next();
    src.release();
    await written;
    expect(await f(1)).toEqual({ id: 1, version: 2 });
    await cache.close();
  });

  it('the background computation after a softTimeout stays race-free: an invalidation refuses its write', async () => {
    const refused = deferred<void>();
    const { cache, timers } = open((e) => e.type === 'write-refused' && refused.resolve());
    const src = slowSource();
    const f = withCache(src.fn, { cache, tags: 't', staleIfError: '1h', softTimeout: 100 });
    await f(1);
    await invalidateTag('t', { cache, mode: 'stale' });
    src.block();
    const call = f(1);
    await src.entered();
    await timers.advance(100);
    expect(await call).toEqual({ id: 1, version: 1 });
    await invalidateTag('t', { cache }); // while the background computation (version 2) runs
    src.release();
    await refused.promise;
    src.block();
    src.release();
    expect(await f(1)).toEqual({ id: 1, version: 3 });
    await cache.close();
  });

  it('hardTimeout rejects with TimeoutError; the computation still finishes and is cached', async () => {
    const w = writes();
    const { cache, timers } = open(w.onEvent);
    const src = slowSource();
    const f = withCache(src.fn, { cache, hardTimeout: 500 });
    src.block();
    const call = f(1);
    const rejected = call.then(
      () => undefined,
      (e: unknown) => e,
    );
    let settled = false;
    void rejected.then(() => (settled = true));
    await src.entered();
    await timers.advance(499);
    expect(settled).toBe(false);
    await timers.advance(1);
    const error = await rejected;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(errors.TimeoutError);
    expect(error).toMatchObject({ code: 'ERR_TIMEOUT', timeout: 500 });
    const written = w.next();
    src.release();
    await written;
    expect(await f(1)).toEqual({ id: 1, version: 1 });
    expect(f.stats()).toMatchObject({ hits: 1, calls: 1 });
    await cache.close();
  });

  it('a refresh that throws falls back to the cached value with staleIfError, and rejects without', async () => {
    const { cache } = open();
    let fail = false;
    const source = async function flaky(id: number) {
      if (fail) throw new Error('db down');
      return { id };
    };
    const withFallback = withCache(source, { cache, name: 'withFallback', staleIfError: '10m' });
    const without = withCache(source, { cache, name: 'without' });
    await withFallback(1);
    await without(1);
    fail = true;
    expect(await withFallback.refresh(1)).toEqual({ id: 1 });
    await expect(without.refresh(1)).rejects.toThrow('db down');
    await cache.close();
  });
});

describe('softTimeout on an expired entry (memory store, faked Date)', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('serves the value expired within its grace window; without a stale value it waits', async () => {
    const timers = manualTimers();
    const cache = createCache({ store: memoryStore(), timers, logger: false });
    const src = slowSource();
    const f = withCache(src.fn, { cache, ttl: '1s', staleIfError: '1m', softTimeout: 100 });
    await f(1);
    jest.setSystemTime(Date.now() + 2000);
    src.block();
    const call = f(1);
    await timers.advance(100);
    expect(await call).toEqual({ id: 1, version: 1 });
    let settled = false;
    const fresh = f(2).then((v) => ((settled = true), v)); // no entry: nothing stale to serve
    await timers.advance(1000);
    expect(settled).toBe(false);
    src.release();
    expect(await fresh).toEqual({ id: 2, version: 3 });
    await flush();
  });

  it('checks the options at wrap time', () => {
    const fn = async function opts() {
      return 1;
    };
    expect(() => withCache(fn, { softTimeout: 100 })).toThrow(/softTimeout.*staleIfError/);
    expect(() => withCache(fn, { softTimeout: 500, hardTimeout: 100, staleIfError: '1m' })).toThrow(
      InvalidOptionsError,
    );
    expect(() => withCache(fn, { hardTimeout: 'soon' as never })).toThrow(/hardTimeout/);
  });
});
