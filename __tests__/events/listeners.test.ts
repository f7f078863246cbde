import { createCache, invalidateTag, withCache, type CacheEvent, type CallInfo } from '../../lib/index.js';
import { runtimeOf } from '../../lib/core/runtime.js';
import { deferred } from '../helpers/deferred.js';

/** Events and `onCall` carry the full stored key: `keyOf` behind the cache version. */
const full = (cache: { version: string }, key: string): string => `${cache.version}:${key}`;

describe('cache.on(type, listener)', () => {
  it('delivers events of its type to several listeners and unsubscribes', async () => {
    const cache = createCache({ logger: false });
    const f = withCache(async (n: number) => n * 2, { name: 'double', cache, tags: ['t'] });
    const hits: string[] = [];
    const misses: string[] = [];
    const all: string[] = [];
    const offHit = cache.on('hit', (e) => hits.push(e.key));
    cache.on('hit', (e) => hits.push(`again ${e.key}`));
    cache.on('miss', (e) => misses.push(e.key));
    const offAll = cache.on('*', (e) => all.push(e.type));
    await f(1);
    await f(1);
    expect(misses).toEqual([full(cache, f.keyOf(1))]);
    expect(hits).toEqual([full(cache, f.keyOf(1)), `again ${full(cache, f.keyOf(1))}`]);
    expect(all).toEqual(['miss', 'compute', 'write', 'hit']);
    offHit();
    offHit(); // a second call does nothing
    offAll();
    await f(1);
    expect(hits).toEqual([
      full(cache, f.keyOf(1)),
      `again ${full(cache, f.keyOf(1))}`,
      `again ${full(cache, f.keyOf(1))}`,
    ]);
    expect(all).toHaveLength(4);
  });

  it('times hits, misses and computations, and gives the TTL left on hits', async () => {
    const cache = createCache({ logger: false, ttl: '1m' });
    const f = withCache(async (n: number) => n, { name: 'timed', cache });
    const events: CacheEvent[] = [];
    cache.on('*', (e) => events.push(e));
    await f(1);
    await f(1);
    const [miss, compute, write, hit] = events;
    expect(miss).toMatchObject({
      type: 'miss',
      name: 'timed',
      key: full(cache, f.keyOf(1)),
      durationMs: expect.any(Number),
    });
    expect(compute).toMatchObject({ type: 'compute', ok: true, durationMs: expect.any(Number) });
    expect(write).toMatchObject({ type: 'write', ttl: 60_000, durationMs: expect.any(Number) });
    expect(hit).toMatchObject({ type: 'hit', durationMs: expect.any(Number) });
    expect((hit as { ttl: number }).ttl).toBeGreaterThan(0);
    expect((hit as { ttl: number }).ttl).toBeLessThanOrEqual(60_000);
  });

  it('reports a throwing listener once, keeps it subscribed, and never fails the call', async () => {
    const lines: string[] = [];
    const cache = createCache({ logger: { warn: (l) => lines.push(l) } });
    let calls = 0;
    cache.on('hit', () => {
      calls += 1;
      throw new Error('listener bug');
    });
    const f = withCache(async (n: number) => n, { name: 'f', cache });
    await f(1);
    expect(await f(1)).toBe(1);
    expect(await f(1)).toBe(1);
    expect(calls).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('a listener of "hit" events threw (listener bug)');
  });

  it('keeps onEvent beside the listeners', async () => {
    const seen: string[] = [];
    const cache = createCache({ logger: false, onEvent: (e) => seen.push(`onEvent ${e.type}`) });
    cache.on('invalidate', (e) => seen.push(`on ${e.tags.join(',')}`));
    await invalidateTag('a', { cache });
    expect(seen).toEqual(['onEvent invalidate', 'on a']);
  });

  it('builds no event while nobody listens (the hub is inactive), and counts stats anyway', async () => {
    const cache = createCache({ logger: false });
    const hub = cache[runtimeOf].events;
    const f = withCache(async (n: number) => n, { name: 'quiet', cache });
    expect(hub.active).toBe(false);
    const off = cache.on('hit', () => {});
    expect(hub.active).toBe(true);
    off();
    expect(hub.active).toBe(false);
    await f(1);
    await f(1);
    expect(f.stats()).toMatchObject({ hits: 1, misses: 1, calls: 1, writes: 1 });
  });

  it('records a refused write when an invalidation wins the race', async () => {
    const cache = createCache({ logger: false });
    const gate = deferred<number>();
    const f = withCache(() => gate.promise, { name: 'slow', cache, tags: ['slow'] });
    const refused: string[] = [];
    cache.on('write-refused', (e) => refused.push(e.key));
    const running = f();
    await new Promise((r) => setImmediate(r));
    await invalidateTag('slow', { cache });
    gate.resolve(1);
    await running;
    expect(refused).toEqual([full(cache, f.keyOf())]);
    expect(f.stats().refusedWrites).toBe(1);
  });
});

describe('onCall', () => {
  it('receives hit, key, args, value and duration of every call', async () => {
    const cache = createCache({ logger: false });
    const calls: CallInfo<[id: number], string>[] = [];
    const f = withCache(async (id: number) => `user ${id}`, {
      name: 'getUser',
      cache,
      onCall: (c) => calls.push(c),
    });
    await f(7);
    await f(7);
    expect(calls).toEqual([
      {
        hit: false,
        stale: false,
        key: full(cache, f.keyOf(7)),
        args: [7],
        value: 'user 7',
        error: undefined,
        durationMs: expect.any(Number),
      },
      {
        hit: true,
        stale: false,
        key: full(cache, f.keyOf(7)),
        args: [7],
        value: 'user 7',
        error: undefined,
        durationMs: expect.any(Number),
      },
    ]);
  });

  it('gets the error of a rejected call, and a throwing onCall is reported once', async () => {
    const lines: string[] = [];
    const cache = createCache({ logger: { warn: (l) => lines.push(l) } });
    const seen: unknown[] = [];
    const boom = new Error('db down');
    const f = withCache(
      async (n: number): Promise<number> => {
        if (n < 0) throw boom;
        return n;
      },
      {
        name: 'g',
        cache,
        onCall: (c) => {
          seen.push(c.error ?? c.value);
          throw new Error('callback bug');
        },
      },
    );
    await expect(f(-1)).rejects.toBe(boom);
    expect(await f(1)).toBe(1);
    expect(seen).toEqual([boom, 1]);
    expect(lines).toEqual([expect.stringContaining('onCall of g threw (callback bug)')]);
  });

  it('is checked at wrap time', () => {
    expect(() => withCache(async () => 1, { name: 'x', onCall: 'yes' as never })).toThrow(/onCall/);
  });
});
