import {
  createCache,
  getCache,
  configure,
  defaultCache,
  withCache,
  disableCaching,
  enableCaching,
  isCachingEnabled,
  memoryStore,
  parseDuration,
  UnknownCacheError,
  errors,
  nullStore,
} from '../../lib/index.js';

describe('cache handles', () => {
  afterEach(() => enableCaching());

  it('registers named caches and finds them with getCache', () => {
    const users = createCache({ name: 'users-test', logger: false });
    expect(getCache('users-test')).toBe(users);
    expect(Object.isFrozen(users)).toBe(true);
  });

  it('throws a clear error for an unknown name, naming it', () => {
    expect(() => getCache('nope')).toThrow(UnknownCacheError);
    expect(() => getCache('nope')).toThrow(/"nope"/);
    expect(new errors.UnknownCacheError('x', []).code).toBe('ERR_UNKNOWN_CACHE');
  });

  it('resolves cache: "name" at call time and rejects unknown names at call time', async () => {
    const f = withCache(
      async function late() {
        return 1;
      },
      { cache: 'registered-later' },
    );
    await expect(f()).rejects.toThrow(/registered-later/);
    createCache({ name: 'registered-later', logger: false });
    expect(await f()).toBe(1);
  });

  it('configure replaces the process default used by wrappers without a cache option', async () => {
    let runs = 0;
    const f = withCache(async function usesDefault() {
      return ++runs;
    });
    configure({ store: memoryStore(), logger: false });
    expect(await f()).toBe(1);
    expect(await f()).toBe(1);
    const next = configure({ store: memoryStore(), logger: false });
    expect(defaultCache()).toBe(next);
    expect(getCache('default')).toBe(next);
    expect(await f()).toBe(2);
  });

  it('builds keys for the cache in use: a reconfigured default changes them; 1 and "1" differ', async () => {
    const f = withCache(async function memoKeys(x: string | number) {
      return x;
    });
    const a = memoryStore();
    configure({ store: a, version: 'a', logger: false });
    const first = f.keyOf('k');
    expect(first).toMatch(/^memoKeys:/);
    expect(f.keyOf('k')).toBe(first);
    await f('k');
    expect((await a.get('tc', 'a:' + first)).hit).toBe(true);
    const b = memoryStore();
    configure({ store: b, version: 'b', logger: false });
    expect(f.keyOf('k')).toBe(first); // keys are relative to the version: the store keys differ
    await f('k');
    expect((await b.get('tc', 'b:' + first)).hit).toBe(true);
    expect(f.keyOf(1)).not.toBe(f.keyOf('1'));
    expect(await f(1)).toBe(1);
    expect(await f('1')).toBe('1');
  });

  it('disableCaching makes wrapped functions call straight through', async () => {
    const cache = createCache({ store: memoryStore(), logger: false });
    let runs = 0;
    const f = withCache(
      async function toggled() {
        return ++runs;
      },
      { cache },
    );
    await f();
    disableCaching();
    expect(isCachingEnabled()).toBe(false);
    expect(await f()).toBe(2);
    expect(await f()).toBe(3);
    enableCaching();
    expect(await f()).toBe(1);
  });

  it('enabled: false on a cache bypasses it; nullStore never stores', async () => {
    let runs = 0;
    const off = withCache(
      async function off() {
        return ++runs;
      },
      { cache: createCache({ enabled: false, logger: false }) },
    );
    await off();
    await off();
    expect(runs).toBe(2);
    const none = withCache(
      async function none() {
        return ++runs;
      },
      { cache: createCache({ store: nullStore(), logger: false }) },
    );
    await none();
    await none();
    expect(runs).toBe(4);
  });

  it('parses durations', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration('banana')).toBeUndefined();
    expect(parseDuration(-1)).toBeUndefined();
  });
});
