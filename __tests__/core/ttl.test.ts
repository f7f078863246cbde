import { createClient } from 'redis';
import {
  createCache,
  FOREVER_MS,
  invalidateTags,
  memoryStore,
  setTtl,
  withCache,
  InvalidOptionsError,
  type Cache,
  type MemoryStore,
} from '../../lib/index.js';
import { ttlPresetsOf } from '../../lib/core/ttlPresets.js';
import { cachesOn, STORE_KINDS } from '../helpers/bothStores.js';
import { testRedisUrl } from '../setup/testStores.js';

const YEAR = 365 * 86_400_000;

/** The TTL left on the entry at `key` (a key from `keyOf`, relative to the cache version). */
async function ttlOf(cache: Cache, key: string): Promise<number> {
  const read = await cache.store.get(cache.namespace, `${cache.version}:${key}`);
  if (!read.hit) throw new Error(`no entry at ${key}`);
  return read.ttl;
}

describe.each(STORE_KINDS)('TTL on %s', (kind) => {
  const newCache = cachesOn(kind);

  it("presets: 'short' | 'default' | 'long' are 30 s, 5 min, 1 h unless the cache says otherwise", async () => {
    const cache = newCache();
    const custom = newCache({ ttlPresets: { short: '10s' } });
    const fns = (['short', 'default', 'long'] as const).map((ttl) =>
      withCache(
        async function preset(n: number) {
          return n;
        },
        { cache, ttl, name: `preset-${ttl}` },
      ),
    );
    const short = withCache(
      async function shortCustom() {
        return 1;
      },
      { cache: custom, ttl: 'short' },
    );
    for (const f of fns) await f(1);
    await short();
    const ttls = await Promise.all(fns.map((f) => ttlOf(cache, f.keyOf(1))));
    expect(ttls.map((t) => Math.ceil(t / 1000))).toEqual([30, 300, 3600]);
    expect(Math.ceil((await ttlOf(custom, short.keyOf())) / 1000)).toBe(10);
  });

  it("'forever' has no time expiry, and invalidation still reaches it", async () => {
    const cache = newCache();
    let runs = 0;
    const f = withCache(
      async function eternal(n: number) {
        runs += 1;
        return n;
      },
      { cache, ttl: 'forever', tags: (n) => [`n:${n}`] },
    );
    await f(1);
    expect(await ttlOf(cache, f.keyOf(1))).toBeGreaterThan(300 * YEAR);
    await f(1);
    await invalidateTags(['n:1'], { cache });
    await f(1);
    expect(runs).toBe(2);
  });

  it('maxTtl caps every TTL: the option, a ttl function, setTtl, forever and the default', async () => {
    const cache = newCache({ maxTtl: '1m', ttl: 'long' });
    const fixed = withCache(
      async function fixed() {
        return 1;
      },
      { cache, ttl: '2h' },
    );
    const fromValue = withCache(
      async function fromValue() {
        return 1;
      },
      { cache, ttl: () => 'forever' },
    );
    const inside = withCache(
      async function inside() {
        setTtl('forever');
        return 1;
      },
      { cache },
    );
    const byDefault = withCache(
      async function byDefault() {
        return 1;
      },
      { cache },
    );
    const viaSet = withCache(
      async function viaSet() {
        return 1;
      },
      { cache, ttl: '3h' },
    );
    await Promise.all([fixed(), fromValue(), inside(), byDefault(), viaSet.set(2)]);
    expect(cache.defaultTtl).toBe(60_000);
    for (const f of [fixed, fromValue, inside, byDefault, viaSet]) {
      const ttl = await ttlOf(cache, f.keyOf());
      expect(ttl > 50_000 && ttl <= 60_000).toBe(true);
    }
  });

  it("setTtl takes the cache's presets", async () => {
    const cache = newCache({ ttlPresets: { long: '2h' } });
    const f = withCache(
      async function longer() {
        setTtl('long');
        return 1;
      },
      { cache, ttl: '1m' },
    );
    await f();
    expect(Math.ceil((await ttlOf(cache, f.keyOf())) / 60_000)).toBe(120);
  });
});

describe('TTL configuration', () => {
  // The TAGCACHE_TTL_* variables themselves are read once per process (config/env.ts): the child
  // processes of __tests__/config/env.test.ts set them. Here, the order of the three sources.
  it('ttlPresets wins over the environment presets, which win over 30 s / 5 min / 1 h', () => {
    expect(ttlPresetsOf({}, {})).toEqual({ short: 30_000, default: 300_000, long: 3_600_000 });
    expect(ttlPresetsOf({}, { short: 5000, long: 7_200_000 })).toEqual({
      short: 5000,
      default: 300_000,
      long: 7_200_000,
    });
    expect(ttlPresetsOf({ short: '1s', default: '2m' }, { short: 5000, default: 90_000 })).toEqual({
      short: 1000,
      default: 120_000,
      long: 3_600_000,
    });
  });

  it('bad values are refused, naming the option', () => {
    expect(() => createCache({ ttlPresets: { short: 'soon' } })).toThrow(/Invalid option "ttlPresets.short"/);
    expect(() => createCache({ maxTtl: 'forever' })).toThrow(/Invalid option "maxTtl"/);
    expect(() => createCache({ ttlPresets: { medium: '1m' } as never })).toThrow(InvalidOptionsError);
    expect(() =>
      withCache(
        async function f() {
          return 1;
        },
        { ttl: 'eventually' },
      ),
    ).toThrow(/Invalid option "ttl".*'forever'/);
  });
});

describe("'forever' and the stores' bookkeeping", () => {
  const onRedis = cachesOn('redis');
  it('memory: markers stay bounded by the distinct invalidated tags (they never expire)', async () => {
    const store: MemoryStore = memoryStore();
    const cache = createCache({ store, logger: false });
    const f = withCache(
      async function kept(n: number) {
        return n;
      },
      { cache, ttl: 'forever', tags: (n) => [`t:${n % 3}`] },
    );
    for (let round = 0; round < 20; round++) {
      for (let n = 0; n < 30; n++) await f(n);
      await invalidateTags(['t:0', 't:1', 't:2'], { cache });
    }
    expect(store.inspect().markers).toBe(3);
    expect(FOREVER_MS).toBeGreaterThan(300 * YEAR);
  });

  it('redis: one marker key per distinct tag, living as long as the longest entry', async () => {
    const cache = onRedis();
    const client = createClient({ url: testRedisUrl() });
    await client.connect();
    try {
      const f = withCache(
        async function keptR(n: number) {
          return n;
        },
        { cache, ttl: 'forever', tags: (n) => [`t:${n % 3}`] },
      );
      for (let round = 0; round < 5; round++) {
        for (let n = 0; n < 9; n++) await f(n);
        await invalidateTags(['t:0', 't:1', 't:2'], { cache });
      }
      const markers: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `tc:{${cache.namespace}|*}:t:*`, COUNT: 1000 }))
        markers.push(...batch);
      // t:0, t:1, t:2 and the function's reserved tag @fn:keptR
      expect(markers.map((m) => m.slice(m.indexOf(':t:') + 3)).sort()).toEqual([
        '@fn:keptR',
        't:0',
        't:1',
        't:2',
      ]);
      const pttl = await client.pTTL(markers[0]!);
      expect(pttl).toBeGreaterThan(300 * YEAR);
    } finally {
      await client.quit();
    }
  });
});
