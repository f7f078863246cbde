import {
  createCache,
  getMetrics,
  invalidateTag,
  memoryStore,
  resetMetrics,
  withCache,
  type Store,
} from '../../lib/index.js';
import { deferred } from '../helpers/deferred.js';

/** A memory store whose reads fail while `failing` is set. */
function failingReads(base: Store = memoryStore()) {
  const state = { failing: false };
  const store: Store = {
    ...base,
    kind: 'failing-reads',
    get: (ns, key) => (state.failing ? Promise.reject(new Error('ECONNREFUSED')) : base.get(ns, key)),
  };
  return { store, state };
}

describe('getMetrics / resetMetrics', () => {
  beforeEach(() => resetMetrics());

  it('counts per function, per cache and in total, with the hit ratio and compute time', async () => {
    const users = createCache({ name: 'm-users', metrics: true, logger: false });
    const posts = createCache({ name: 'm-posts', metrics: true, logger: false });
    const getUser = withCache(async (id: number) => ({ id }), { name: 'getUser', cache: users, tags: ['u'] });
    const getPost = withCache(async (id: number) => ({ id }), { name: 'getPost', cache: posts });
    await getUser(1);
    await getUser(1);
    await getUser(1);
    await getUser(2);
    await getPost(1);
    const m = getMetrics();
    const u = m.caches['m-users']?.functions['getUser'];
    expect(u).toMatchObject({ hits: 2, misses: 2, writes: 2, staleHits: 0, refusedWrites: 0, hitRatio: 0.5 });
    expect(u?.computeTime.count).toBe(2);
    expect(u?.computeTime.sumMs).toBeGreaterThanOrEqual(0);
    expect(u?.computeTime.buckets.at(-1)).toEqual({ le: Infinity, count: 2 });
    expect(m.caches['m-users']).toMatchObject({ hits: 2, misses: 2, errors: 0, invalidations: 0 });
    expect(m.caches['m-posts']).toMatchObject({ hits: 0, misses: 1, hitRatio: 0 });
    expect(m.total.hits).toBeGreaterThanOrEqual(2);
    await invalidateTag('u', { cache: users });
    await getUser.invalidate(2);
    const after = getMetrics().caches['m-users'];
    expect(after?.invalidations).toBe(2);
    expect(after?.functions['getUser']?.invalidations).toBe(1);
  });

  it('counts stale hits, refused writes, compute errors and store errors', async () => {
    const { store, state } = failingReads();
    const cache = createCache({ name: 'm-misc', metrics: true, logger: false, store, breaker: false });
    const gate = deferred<number>();
    const slow = withCache(() => gate.promise, { name: 'slow', cache, tags: ['slow'] });
    const running = slow();
    await new Promise((r) => setImmediate(r));
    await invalidateTag('slow', { cache });
    gate.resolve(1);
    await running;
    const failing = withCache(
      async (): Promise<number> => {
        throw new Error('no');
      },
      { name: 'failing', cache },
    );
    await expect(failing()).rejects.toThrow('no');
    const stale = withCache(async () => 1, { name: 'stale', cache, tags: ['s'], staleWhileRevalidate: '1m' });
    await stale();
    await invalidateTag('s', { cache, mode: 'stale' });
    await stale();
    state.failing = true;
    await stale();
    const m = getMetrics().caches['m-misc'];
    expect(m?.functions['slow']).toMatchObject({ refusedWrites: 1, writes: 0 });
    expect(m?.functions['failing']).toMatchObject({ computeErrors: 1, misses: 1 });
    expect(m?.functions['stale']?.staleHits).toBe(1);
    expect(m?.errors).toBe(1);
    expect(m?.refusedWrites).toBe(1);
  });

  it('resets every metric but leaves stats() alone; caches without metrics are not listed', async () => {
    const cache = createCache({ name: 'm-reset', metrics: true, logger: false });
    const plain = createCache({ name: 'm-plain', logger: false });
    const f = withCache(async (n: number) => n, { name: 'f', cache });
    const g = withCache(async (n: number) => n, { name: 'g', cache: plain });
    await f(1);
    await f(1);
    await g(1);
    expect(getMetrics().caches['m-plain']).toBeUndefined();
    resetMetrics();
    expect(getMetrics().caches['m-reset']).toMatchObject({ hits: 0, misses: 0, functions: {} });
    expect(f.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('estimates percentiles within the observed range', async () => {
    const cache = createCache({ name: 'm-pct', metrics: true, logger: false });
    const f = withCache(async (n: number) => n, { name: 'f', cache });
    for (let i = 0; i < 20; i += 1) await f(i);
    const t = getMetrics().caches['m-pct']?.functions['f']?.computeTime;
    expect(t?.count).toBe(20);
    expect(t?.p50Ms).toBeGreaterThanOrEqual(t?.minMs ?? NaN);
    expect(t?.p99Ms).toBeLessThanOrEqual(t?.maxMs ?? NaN);
    expect(t?.p50Ms).toBeLessThanOrEqual(t?.p95Ms ?? NaN);
  });
});
