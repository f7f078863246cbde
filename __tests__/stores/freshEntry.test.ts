/**
 * `Store.freshEntry`, the plain hit's shortcut of in-process stores: it must answer exactly as a
 * `get` whose state is `fresh` (generated histories on the memory store, both payload modes), and
 * the cache must take it only when nothing needs more than the value (no listener, no enclosing
 * computation), falling back to `get` for everything else.
 */
import fc from 'fast-check';
import { createCache, memoryStore, withCache, type InvalidationMode, type Store } from '../../lib/index.js';
import { uniqueNamespace } from '../setup/testStores.js';

const KEYS = ['k0', 'k1', 'k2'] as const;
const TAGS = ['t0', 't1'] as const;
const key = fc.constantFrom(...KEYS);
const op = fc.oneof(
  fc.record({
    op: fc.constant('set' as const),
    key,
    tags: fc.subarray([...TAGS]),
    ttl: fc.constantFrom(1, 50, 1_000),
    grace: fc.constantFrom(0, 100),
    error: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('invalidate' as const),
    tags: fc.subarray([...TAGS], { minLength: 1 }),
    mode: fc.constantFrom<InvalidationMode>('drop', 'stale'),
  }),
  fc.record({ op: fc.constant('delete' as const), key }),
  fc.record({ op: fc.constant('clear' as const) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(1, 30, 60, 200) }),
);

describe('memoryStore.freshEntry', () => {
  it.each([false, true])(
    'agrees with a fresh get after every step of a history (liveValues: %s)',
    (liveValues) => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 30 }), (steps) => {
          let t = 1_000_000;
          const store = memoryStore({ liveValues, now: () => t });
          let n = 0;
          for (const step of steps) {
            if (step.op === 'set') {
              n += 1;
              const payload = liveValues ? { n } : `j${n}`;
              store.set('ns', step.key, {
                payload,
                tags: step.tags,
                createdAt: t,
                ttl: step.ttl,
                grace: step.grace,
                error: step.error,
              });
            } else if (step.op === 'invalidate') store.invalidate('ns', step.tags, step.mode);
            else if (step.op === 'delete') store.delete('ns', [step.key]);
            else if (step.op === 'clear') store.clear('ns');
            else t += step.ms;
            for (const k of KEYS) {
              const entry = store.freshEntry('ns', k);
              const read = store.get('ns', k);
              const fresh = read.hit && read.state === 'fresh';
              expect(entry !== undefined).toBe(fresh);
              if (entry !== undefined && read.hit) {
                expect(entry.payload).toBe(read.payload);
                expect(entry.error).toBe(read.error);
              }
            }
          }
        }),
        { numRuns: 150 },
      );
    },
  );
});

/** A memory store whose `get` and `freshEntry` calls are counted (and `freshEntry` can be made to throw). */
function countingStore(): Store & { gets: number; shortcuts: number; breakShortcut: boolean } {
  const inner = memoryStore();
  const counted = {
    ...inner,
    gets: 0,
    shortcuts: 0,
    breakShortcut: false,
    get(ns: string, key: string) {
      counted.gets += 1;
      return inner.get(ns, key);
    },
    freshEntry(ns: string, key: string) {
      counted.shortcuts += 1;
      if (counted.breakShortcut) throw new Error('shortcut broken');
      return inner.freshEntry(ns, key);
    },
  };
  return counted;
}

describe('the plain hit shortcut in withCache', () => {
  it('answers a plain hit without get, counts it, and rethrows a cached error', async () => {
    const store = countingStore();
    const cache = createCache({ store, namespace: uniqueNamespace('short'), logger: false });
    const f = withCache(async (id: number) => ({ id }), { cache, name: 'f' });
    const g = withCache(
      async (id: number): Promise<number> => {
        throw new Error(`no ${id}`);
      },
      { cache, name: 'g', cacheErrors: () => true },
    );
    expect(await f(1)).toEqual({ id: 1 });
    await expect(g(1)).rejects.toThrow('no 1');
    const gets = store.gets;
    const first = await f(1);
    const second = await f(1);
    expect(second).toEqual({ id: 1 });
    expect(second).not.toBe(first);
    await expect(g(1)).rejects.toThrow('no 1');
    expect(store.gets).toBe(gets);
    expect(f.stats()).toMatchObject({ hits: 2, misses: 1 });
    expect(g.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('reads with get inside a computation, so the enclosing entry still collects the tags', async () => {
    const store = countingStore();
    const cache = createCache({ store, namespace: uniqueNamespace('short'), logger: false });
    const inner = withCache(async (id: number) => ({ id }), {
      cache,
      name: 'inner',
      tags: (id) => [`item:${id}`],
    });
    const outer = withCache(async () => [await inner(1)], { cache, name: 'outer' });
    await inner(1); // the inner entry exists before the outer computation reads it
    const gets = store.gets;
    await outer();
    expect(store.gets).toBeGreaterThan(gets);
    expect(await outer.peekEntry()).toMatchObject({ tags: expect.arrayContaining(['item:1']) });
  });

  it('reads with get when someone listens, so the hit event has its TTL', async () => {
    const store = countingStore();
    const cache = createCache({ store, namespace: uniqueNamespace('short'), logger: false });
    const f = withCache(async (id: number) => id, { cache, name: 'f', ttl: 60_000 });
    await f(1);
    const hits: { ttl?: number }[] = [];
    const off = cache.on('hit', (e) => hits.push(e));
    const gets = store.gets;
    await f(1);
    off();
    expect(store.gets).toBe(gets + 1);
    expect(hits).toHaveLength(1);
    expect(hits[0]?.ttl).toBeGreaterThan(0);
  });

  it('falls back to get when the shortcut throws', async () => {
    const store = countingStore();
    const cache = createCache({ store, namespace: uniqueNamespace('short'), logger: false });
    const f = withCache(async (id: number) => ({ id }), { cache, name: 'f' });
    await f(1);
    store.breakShortcut = true;
    const gets = store.gets;
    expect(await f(1)).toEqual({ id: 1 });
    expect(store.gets).toBe(gets + 1);
    expect(f.stats()).toMatchObject({ hits: 1, misses: 1 });
  });
});
