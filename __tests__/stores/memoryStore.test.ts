import {
  createCache,
  InvalidOptionsError,
  invalidateTag,
  memoryStore,
  withCache,
  type MemoryStoreOptions,
} from '../../lib/index.js';
import { MARKER_MARGIN_MS } from '../../lib/stores/clock/markerMargin.js';
import type { ReadResult, WriteEntry } from '../../lib/stores/Store.js';
import { deferred, flush } from '../helpers/deferred.js';

const entry = (tags: readonly string[], over: Partial<WriteEntry<unknown>> = {}): WriteEntry<unknown> => ({
  payload: 'v',
  tags,
  createdAt: 1,
  ttl: 1000,
  grace: 0,
  error: false,
  ...over,
});
const epochOf = (r: ReadResult<unknown>): number => r.epoch;

describe('memoryStore: slow computations and forgotten markers', () => {
  afterEach(() => jest.useRealTimers());

  it('refuses the write of a computation that outlived the marker of an invalidation it straddled', async () => {
    jest.useFakeTimers({
      now: new Date('2026-01-01T00:00:00Z'),
      doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'],
    });
    const store = memoryStore();
    const cache = createCache({ store, logger: false });
    const gate = deferred<void>();
    let version = 1;
    let slow = true;
    const f = withCache(
      async function verySlow() {
        const seen = version;
        if (slow) await gate.promise;
        return seen;
      },
      { cache, ttl: '1s', tags: ['t'] },
    );
    const running = f(); // starts before the invalidation
    await flush();
    version = 2;
    await invalidateTag('t', { cache });
    jest.setSystemTime(Date.now() + 1000 + MARKER_MARGIN_MS + 1); // the marker of `t` is now forgettable
    gate.resolve();
    expect(await running).toBe(1); // its caller gets what it computed…
    slow = false;
    expect(await f.peek()).toBeUndefined(); // …but it was not written
    expect(await f()).toBe(2);
  });

  it('store level: the write is refused whether or not the marker was already forgotten', () => {
    let now = 1_000_000;
    const store = memoryStore({ now: () => now });
    const start = epochOf(store.get('ns', 'k'));
    store.set('ns', 'other', entry([]), undefined); // maxLife = 1000
    store.invalidate('ns', ['t'], 'drop');
    now += 1000 + MARKER_MARGIN_MS + 1;
    expect(store.set('ns', 'k', entry(['t']), start)).toBe(false); // marker still held: refused
    store.invalidate('ns', ['unrelated'], 'stale'); // prunes `t`, raising the floor
    expect(store.inspect().markers).toBe(1);
    expect(store.set('ns', 'k', entry(['t']), start)).toBe(false); // the floor refuses it
    const later = epochOf(store.get('ns', 'k'));
    expect(store.set('ns', 'k', entry(['t']), later)).toBe(true);
  });

  it('keeps one clock per namespace: an invalidation in one never refuses writes in another', () => {
    const store = memoryStore();
    const a = epochOf(store.get('a', 'k'));
    const b = epochOf(store.get('b', 'k'));
    store.invalidate('a', ['t'], 'drop');
    expect(store.set('a', 'k', entry(['t']), a)).toBe(false);
    expect(store.set('b', 'k', entry(['t']), b)).toBe(true);
  });

  it('judges expiry with the injected wall clock', () => {
    let now = 0;
    const store = memoryStore({ now: () => now });
    store.set('ns', 'k', entry([], { ttl: 100, grace: 100 }));
    now = 150;
    const r = store.get('ns', 'k');
    expect(r.hit && r.state).toBe('expired');
    now = 200;
    expect(store.get('ns', 'k').hit).toBe(false);
  });
});

describe('memoryStore options', () => {
  const optionOf = (options: unknown): string | undefined => {
    try {
      memoryStore(options as MemoryStoreOptions);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidOptionsError);
      return (e as InvalidOptionsError).option;
    }
    return undefined;
  };

  it('rejects a misspelt option, naming it', () => {
    expect(() => memoryStore({ maxEntires: 10 } as MemoryStoreOptions)).toThrow(
      'Invalid option "maxEntires": unknown option of memoryStore',
    );
  });

  it('rejects bad values, naming the option', () => {
    expect(optionOf({ maxEntries: 0 })).toBe('maxEntries');
    expect(optionOf({ maxEntries: 2.5 })).toBe('maxEntries');
    expect(optionOf({ maxEntries: '10' })).toBe('maxEntries');
    expect(optionOf({ maxBytes: -1 })).toBe('maxBytes');
    expect(optionOf({ sizeOf: 3 })).toBe('sizeOf');
    expect(optionOf({ now: 'today' })).toBe('now');
    expect(optionOf({ liveValues: 'yes' })).toBe('liveValues');
    expect(optionOf(42)).toBe('memoryStore');
  });

  it('accepts every documented option', () => {
    expect(optionOf({})).toBeUndefined();
    expect(optionOf(undefined)).toBeUndefined();
    expect(
      optionOf({ maxEntries: 5, maxBytes: 1024, sizeOf: () => 1, now: () => 0, liveValues: true }),
    ).toBeUndefined();
  });
});
