import { z } from 'zod';
import {
  createCache,
  withCache,
  memoryStore,
  fileStore,
  InvalidOptionsError,
  InvalidKeyError,
  cacheKey,
  type CacheEvent,
} from '../../lib/index.js';
import { deferred, flush } from '../helpers/deferred.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fresh = () => createCache({ store: memoryStore(), logger: false });

describe('withCache on the memory store', () => {
  it('runs the function once and serves later calls from the cache', async () => {
    const cache = fresh();
    let runs = 0;
    const getUser = withCache(
      async function getUser(id: number) {
        runs += 1;
        return { id, name: `user ${id}` };
      },
      { cache },
    );
    expect(await getUser(1)).toEqual({ id: 1, name: 'user 1' });
    expect(await getUser(1)).toEqual({ id: 1, name: 'user 1' });
    expect(await getUser(2)).toEqual({ id: 2, name: 'user 2' });
    expect(runs).toBe(2);
    expect(getUser.stats()).toMatchObject({ hits: 1, misses: 2, calls: 2, writes: 2 });
  });

  it('supports the data-last form', async () => {
    const cache = fresh();
    let runs = 0;
    const double = withCache({ cache, ttl: '1m' })(async function double(n: number) {
      runs += 1;
      return n * 2;
    });
    expect(await double(21)).toBe(42);
    expect(await double(21)).toBe(42);
    expect(runs).toBe(1);
  });

  it.each([
    ['a Date', new Date('2024-01-02T03:04:05Z')],
    [
      'a Map',
      new Map<unknown, unknown>([
        ['a', 1],
        [2, { b: new Set([1]) }],
      ]),
    ],
    ['a Set', new Set(['x', 'y'])],
    ['a BigInt', 12345678901234567890n],
    ['NaN', NaN],
    ['null', null],
    ['undefined', undefined],
    [
      'nested rich values',
      { at: new Date(0), tags: new Set(['a']), big: 1n, none: undefined, list: [1, undefined, null] },
    ],
  ])('returns %s faithfully from memory and from a serializing store', async (_label, value) => {
    for (const store of [memoryStore(), fileStore({ dir: mkdtempSync(join(tmpdir(), 'tc-fid-')) })]) {
      const cache = createCache({ store, logger: false });
      let runs = 0;
      const f = withCache(
        async function produce() {
          runs += 1;
          return value;
        },
        { cache },
      );
      const first = await f();
      const second = await f();
      expect(runs).toBe(1);
      expect(second).toEqual(value);
      expect(first).toEqual(value);
      if (value instanceof Date) expect(second).toBeInstanceOf(Date);
      if (value instanceof Map) expect(second).toBeInstanceOf(Map);
      if (value instanceof Set) expect(second).toBeInstanceOf(Set);
      await store.close();
    }
  });

  it('caches undefined and null as results distinct from a miss', async () => {
    const cache = fresh();
    const calls: string[] = [];
    const find = withCache(
      async function find(k: string) {
        calls.push(k);
        return k === 'none' ? undefined : null;
      },
      { cache },
    );
    expect(await find('none')).toBeUndefined();
    expect(await find('none')).toBeUndefined();
    expect(await find('null')).toBeNull();
    expect(await find('null')).toBeNull();
    expect(calls).toEqual(['none', 'null']);
  });

  it('runs concurrent misses of one key once (single flight)', async () => {
    const cache = fresh();
    const gate = deferred<void>();
    let runs = 0;
    const slow = withCache(
      async function slow(id: number) {
        runs += 1;
        await gate.promise;
        return { id };
      },
      { cache },
    );
    const calls = Array.from({ length: 10 }, () => slow(7));
    await flush();
    gate.resolve();
    const results = await Promise.all(calls);
    expect(runs).toBe(1);
    expect(results.every((r) => r.id === 7)).toBe(true);
    expect(slow.stats().joins).toBe(9);
  });

  it('hands a rejection to every waiter and does not cache it', async () => {
    const cache = fresh();
    const gate = deferred<void>();
    let runs = 0;
    const failing = withCache(
      async function failing() {
        runs += 1;
        await gate.promise;
        if (runs === 1) throw new Error('boom');
        return 'ok';
      },
      { cache },
    );
    const calls = [failing(), failing(), failing()].map((p) =>
      p.then(
        () => 'resolved',
        (e: Error) => e.message,
      ),
    );
    await flush();
    gate.resolve();
    expect(await Promise.all(calls)).toEqual(['boom', 'boom', 'boom']);
    expect(await failing()).toBe('ok');
    expect(runs).toBe(2);
  });

  it('propagates the function’s own error unchanged', async () => {
    class DbError extends Error {
      code = 'E_DB';
    }
    const err = new DbError('down');
    const f = withCache(
      async function broken() {
        throw err;
      },
      { cache: fresh() },
    );
    await expect(f()).rejects.toBe(err);
  });
});

describe('keys', () => {
  it('is deterministic and ignores object key order', () => {
    const cache = fresh();
    const search = withCache(
      async function search(q: { text: string; page: number; filters: Record<string, unknown> }) {
        return q.text;
      },
      { cache },
    );
    const a = search.keyOf({ text: 'x', page: 1, filters: { a: 1, b: [1, 2] } });
    const b = search.keyOf({ filters: { b: [1, 2], a: 1 }, page: 1, text: 'x' });
    expect(a).toBe(b);
    expect(search.keyOf({ text: 'x', page: 2, filters: {} })).not.toBe(a);
  });

  it('scopes keys by name, version and namespace', async () => {
    const store = memoryStore();
    let runs = 0;
    const make = (version: number) =>
      withCache(
        async function v() {
          runs += 1;
          return runs;
        },
        { cache: createCache({ store, version, logger: false }) },
      );
    expect(await make(1)()).toBe(1);
    expect(await make(1)()).toBe(1);
    expect(await make(2)()).toBe(2);
    // keyOf is relative to the version (cache.get(f.keyOf()) reads the current version's entry)
    expect(make(1).keyOf()).toBe(make(2).keyOf());
    expect(
      (await store.get('tc', '1:' + make(1).keyOf())).hit &&
        (await store.get('tc', '2:' + make(2).keyOf())).hit,
    ).toBe(true);
  });

  it('uses the key option and [cacheKey]() of class instances', async () => {
    const cache = fresh();
    class User {
      constructor(
        readonly id: number,
        readonly loadedAt: number,
      ) {}
      [cacheKey]() {
        return `User:${this.id}`;
      }
    }
    let runs = 0;
    const profile = withCache(
      async function profile(u: User) {
        runs += 1;
        return u.id;
      },
      { cache },
    );
    await profile(new User(1, 100));
    await profile(new User(1, 200));
    expect(runs).toBe(1);
    const byText = withCache(
      async function byText(q: { text: string; requestId: string }) {
        return q.text;
      },
      { cache, key: (q) => q.text.toLowerCase() },
    );
    expect(byText.keyOf({ text: 'Hi', requestId: 'a' })).toBe(byText.keyOf({ text: 'hi', requestId: 'b' }));
  });

  it('bounds long keys', () => {
    const cache = fresh();
    const f = withCache(
      async function longArgs(s: string) {
        return s;
      },
      { cache },
    );
    expect(f.keyOf('x'.repeat(10_000)).length).toBeLessThan(200);
    expect(f.keyOf('x'.repeat(10_000))).not.toBe(f.keyOf('x'.repeat(10_001)));
  });

  it('rejects arguments that cannot form a key, naming the position', async () => {
    const cache = fresh();
    let runs = 0;
    const f = withCache(
      async function takesAnything(_a: unknown, _b: unknown) {
        runs += 1;
        return 1;
      },
      { cache },
    );
    await expect(f(1, () => 2)).rejects.toThrow(InvalidKeyError);
    await expect(f(1, () => 2)).rejects.toThrow(/argument 1/);
    class NoKey {
      x = 1;
    }
    await expect(f(new NoKey(), 1)).rejects.toThrow(/argument 0/);
    expect(runs).toBe(0);
  });
});

describe('bad options', () => {
  const fn = async function ok() {
    return 1;
  };
  it.each([
    [{ ttl: 'banana' }, 'ttl'],
    [{ jitter: 5 }, 'jitter'],
    [{ staleWhileRevalidate: -1 }, 'staleWhileRevalidate'],
    [{ tags: [''] }, 'tags'],
    [{ cacheIf: true }, 'cacheIf'],
    [{ lock: { ttl: 'soon' } }, 'lock.ttl'],
    [{ tll: '5m' }, 'tll'],
  ])('throws InvalidOptionsError at wrap time for %j naming %s', (options, option) => {
    let caught: unknown;
    try {
      withCache(fn, options as never);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    expect((caught as InvalidOptionsError).option).toBe(option);
    expect((caught as Error).message).toContain(option);
  });

  it('says what was expected', () => {
    expect(() => withCache(fn, { ttl: 'banana' })).toThrow(/ttl.*expected.*'30s'.*got "banana"/);
    expect(() => withCache(fn, { jitter: 5 })).toThrow(/jitter.*0 to 1/);
  });

  it('refuses an anonymous function without a name', () => {
    expect(() => withCache(async () => 1)).toThrow(/name/);
    expect(() => withCache(async () => 1, { name: 'one' })).not.toThrow();
  });

  it('checks the data-last options at wrap time too', () => {
    expect(() => withCache({ ttl: 'banana' })).toThrow(InvalidOptionsError);
  });

  it('checks createCache options', () => {
    expect(() => createCache({ ttl: 'eternal' })).toThrow(/ttl/);
    expect(() => createCache({ store: {} as never })).toThrow(/store/);
  });
});

describe('policies', () => {
  it('expires entries after a static ttl', async () => {
    // The memory store decides expiry with Date.now: fake it (promise callbacks stay real).
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const cache = fresh();
      let runs = 0;
      const f = withCache(
        async function shortLived() {
          return ++runs;
        },
        { cache, ttl: 40 },
      );
      expect(await f()).toBe(1);
      jest.setSystemTime(Date.now() + 39);
      expect(await f()).toBe(1);
      jest.setSystemTime(Date.now() + 1);
      expect(await f()).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('takes the ttl from the value (negative caching)', async () => {
    const events: CacheEvent[] = [];
    const c2 = createCache({ store: memoryStore(), logger: false, onEvent: (e) => events.push(e) });
    const find = withCache(
      async function findUser(id: number) {
        return id === 0 ? null : { id };
      },
      { cache: c2, ttl: (v) => (v == null ? '30s' : '1h') },
    );
    await find(0);
    await find(1);
    const writes = events.filter((e): e is Extract<CacheEvent, { type: 'write' }> => e.type === 'write');
    expect(writes.map((w) => w.ttl)).toEqual([30_000, 3_600_000]);
  });

  it('caches only when cacheIf says so', async () => {
    const cache = fresh();
    let runs = 0;
    const search = withCache(
      async function search(q: string) {
        runs += 1;
        return q === 'empty' ? [] : [q];
      },
      { cache, cacheIf: (v) => v.length > 0 },
    );
    await search('empty');
    await search('empty');
    await search('x');
    await search('x');
    expect(runs).toBe(3);
  });

  it('treats entries failing validate as a miss', async () => {
    const cache = fresh();
    let runs = 0;
    let maxAge = 1_000_000;
    const price = withCache(
      async function price() {
        return ++runs;
      },
      { cache, validate: (e) => e.age < maxAge && e.value > 0 && e.createdAt <= Date.now() },
    );
    expect(await price()).toBe(1);
    expect(await price()).toBe(1);
    maxAge = -1;
    expect(await price()).toBe(2);
  });

  it('counts values failing the schema as a miss and removes them', async () => {
    const cache = fresh();
    let runs = 0;
    const user = withCache(
      async function user(id: number) {
        runs += 1;
        return { id, name: 'Ada' };
      },
      { cache, schema: z.object({ id: z.number(), name: z.string() }) },
    );
    await user.set({ id: 1, name: 42 } as never, 1);
    expect(await user(1)).toEqual({ id: 1, name: 'Ada' });
    expect(runs).toBe(1);
    expect(user.stats().dropped).toBe(1);
    expect(await user(1)).toEqual({ id: 1, name: 'Ada' });
    expect(runs).toBe(1);
  });

  it('caches errors of the listed classes and rethrows them on hits', async () => {
    const cache = fresh();
    class NotFound extends Error {
      override name = 'NotFound';
    }
    let runs = 0;
    const find = withCache(
      async function find(id: number) {
        runs += 1;
        if (id === 0) throw new NotFound('no user 0');
        if (id === -1) throw new TypeError('bad id');
        return id;
      },
      { cache, cacheErrors: [NotFound] },
    );
    await expect(find(0)).rejects.toThrow(NotFound);
    await expect(find(0)).rejects.toThrow('no user 0');
    await expect(find(-1)).rejects.toThrow(TypeError);
    await expect(find(-1)).rejects.toThrow(TypeError);
    expect(runs).toBe(3);
  });

  it('caches errors through a serializing store and rebuilds their class', async () => {
    class NotFound extends Error {
      override name = 'NotFound';
      status = 404;
    }
    const cache = createCache({
      store: fileStore({ dir: mkdtempSync(join(tmpdir(), 'tc-err-')) }),
      logger: false,
    });
    let runs = 0;
    const find = withCache(
      async function findFile() {
        runs += 1;
        throw new NotFound('missing');
      },
      { cache, cacheErrors: (e) => e instanceof NotFound },
    );
    await expect(find()).rejects.toThrow('missing');
    const second = await find().catch((e: unknown) => e);
    expect(runs).toBe(1);
    expect((second as Error).message).toBe('missing');
    expect((second as NotFound).status).toBe(404);
    await cache.close();
  });
});
