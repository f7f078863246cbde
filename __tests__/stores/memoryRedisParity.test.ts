/**
 * The memory store and Redis accept the same values and give the same values back (issue 9,
 * item 8), through the public entry point.
 */
import { inspect } from 'node:util';
import {
  createCache,
  memoryStore,
  redisStore,
  withCache,
  type Cache,
  type CacheEvent,
  type Store,
} from '../../lib/index.js';
import { testRedisUrl, uniqueNamespace } from '../setup/testStores.js';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
const sym = Symbol('secret');

/** The values of the issue, each made fresh by a function (so a hit cannot be the same object). */
const VALUES: ReadonlyArray<readonly [string, () => unknown]> = [
  ['class instance', () => new Point(1, 2)],
  [
    'function',
    () =>
      function answer() {
        return 42;
      },
  ],
  ['symbol key', () => ({ id: 1, [sym]: 'hidden' })],
  ['nested symbol key', () => ({ user: { id: 1, [sym]: 'hidden' }, at: new Date(0) })],
  ['Date', () => new Date('2026-01-01T00:00:00Z')],
  [
    'Map',
    () =>
      new Map<string, unknown>([
        ['a', 1],
        ['b', { c: [2n] }],
      ]),
  ],
  ['undefined', () => undefined],
  ['null', () => null],
  ['NaN', () => NaN],
  ['BigInt', () => 12345678901234567890n],
  ['plain object', () => ({ id: 1, name: 'Ann', tags: ['a', 'b'] })],
];

interface Outcome {
  readonly first: string;
  readonly second: string;
  readonly runs: number;
  readonly events: readonly string[];
}

/** One Redis store for the file, connected before the first case (a cold connect is not the subject here). */
let redis: Store;
beforeAll(async () => {
  redis = redisStore({ url: testRedisUrl() });
  await redis.get('parity-warm-up', 'k');
});
afterAll(async () => {
  await redis.close();
});

function cacheOn(store: Store, events: CacheEvent[]): Cache {
  return createCache({
    store,
    namespace: uniqueNamespace('parity'),
    logger: false,
    onEvent: (e) => events.push(e),
  });
}

/** Calls a cached function twice and describes what came back. */
async function outcome(store: Store, make: () => unknown): Promise<Outcome> {
  const events: CacheEvent[] = [];
  const cache = cacheOn(store, events);
  let runs = 0;
  const f = withCache(
    async function value() {
      runs += 1;
      return make();
    },
    { cache, ttl: '1h' },
  );
  const first = inspect(await f(), { depth: 5 });
  const second = inspect(await f(), { depth: 5 });
  const types = events.map((e) => e.type).filter((t) => t !== 'hit' && t !== 'miss');
  return { first, second, runs, events: [...new Set(types)] };
}

describe('memory store and Redis agree on values (default settings)', () => {
  it.each(VALUES)('%s: same value back, same runs, same events', async (_name, make) => {
    const onMemory = await outcome(memoryStore(), make);
    const onRedis = await outcome(redis, make);
    expect(onMemory).toEqual(onRedis);
  });

  it('refuses class instances, functions and symbol keys on both (the function runs again, with an event)', async () => {
    for (const [name, make] of VALUES.slice(0, 4)) {
      for (const store of [memoryStore(), redis]) {
        const o = await outcome(store, make);
        expect({ name, runs: o.runs, events: o.events }).toEqual({
          name,
          runs: 2,
          events: ['compute', 'serialize-error'], // each run is a 'compute' event; the write is refused
        });
      }
    }
  });

  it('caches Date, Map, undefined, null, NaN and BigInt faithfully on both', async () => {
    for (const [name, make] of VALUES.slice(4)) {
      const o = await outcome(memoryStore(), make);
      expect({ name, runs: o.runs, second: o.second }).toEqual({
        name,
        runs: 1,
        second: inspect(make(), { depth: 5 }),
      });
    }
  });

  it('a mutated hit, or a mutated miss result, does not change the next hit', async () => {
    const cache = cacheOn(memoryStore(), []);
    const f = withCache(
      async function list() {
        return { items: [1], at: new Date(0) };
      },
      { cache },
    );
    const miss = await f();
    miss.items.push(2);
    const hit = await f();
    expect(hit.items).toEqual([1]);
    hit.items.push(3);
    hit.at.setFullYear(2000);
    const next = await f();
    expect(next).toEqual({ items: [1], at: new Date(0) });
    expect(next).not.toBe(hit);
  });
});

describe('memoryStore({ liveValues: true })', () => {
  it('keeps live references: a hit is the cached object, any value is accepted', async () => {
    const events: CacheEvent[] = [];
    const cache = cacheOn(memoryStore({ liveValues: true }), events);
    let runs = 0;
    const f = withCache(
      async function point() {
        runs += 1;
        return new Point(1, 2);
      },
      { cache },
    );
    const first = await f();
    const second = await f();
    expect(second).toBe(first);
    expect(second).toBeInstanceOf(Point);
    expect(runs).toBe(1);
    expect(events.some((e) => e.type === 'serialize-error')).toBe(false);
    (first as { x: number }).x = 9; // a mutation of a live value is what the next hit sees
    expect((await f()).x).toBe(9);
  });
});
