import { addTags, createCache, withCache, type Cache } from '../../lib/index.js';
import { memoryStore } from '../../lib/stores/memoryStore.js';
import type { ReadResult, Store } from '../../lib/stores/Store.js';
import { commandOf, monitorNode, type Monitor } from '../setup/monitor.js';
import { testRedisStore, testRedisUrl, uniqueNamespace } from '../setup/testStores.js';

/** A memory store whose reads are taken at once but answered only when the test releases them. */
function gatedStore(): { store: Store; reads: () => number; release: () => void } {
  const inner = memoryStore();
  let count = 0;
  let waiting: (() => void)[] = [];
  const store: Store = {
    ...inner,
    get(ns: string, key: string): Promise<ReadResult<unknown>> {
      count += 1;
      const result = inner.get(ns, key) as ReadResult<unknown>;
      return new Promise((resolve) => waiting.push(() => resolve(result)));
    },
  };
  const release = (): void => {
    const now = waiting;
    waiting = [];
    for (const w of now) w();
  };
  return { store, reads: () => count, release };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('read coalescing on a gated store', () => {
  let cache: Cache;
  let gate: ReturnType<typeof gatedStore>;
  beforeEach(() => {
    gate = gatedStore();
    cache = createCache({ store: gate.store, namespace: uniqueNamespace('rc'), logger: false });
  });
  afterEach(() => cache.close());

  it('concurrent calls of one key share one read and one computation', async () => {
    let runs = 0;
    const f = withCache(async (id: number) => `v${id}:${++runs}`, { name: 'f', cache });
    const calls = Array.from({ length: 100 }, () => f(1));
    const other = f(2);
    expect(gate.reads()).toBe(2);
    gate.release();
    await flush();
    gate.release();
    expect(await Promise.all(calls)).toEqual(Array(100).fill('v1:1'));
    expect(await other).toBe('v2:2');
    expect(runs).toBe(2);
    const hits = [f(1), f(1), f(1)];
    expect(gate.reads()).toBe(3);
    gate.release();
    expect(await Promise.all(hits)).toEqual(['v1:1', 'v1:1', 'v1:1']);
  });

  it('a call after an invalidation resolved does not join a read that started before it', async () => {
    let version = 0;
    const f = withCache(
      async () => {
        addTags('t');
        return ++version;
      },
      { name: 'g', cache },
    );
    const first = f();
    gate.release();
    expect(await first).toBe(1);
    const before = f(); // reads version 1, answered only later
    expect(gate.reads()).toBe(2);
    await cache.invalidateTags(['t']);
    const after = f(); // must read again, not take the pre-invalidation answer
    expect(gate.reads()).toBe(3);
    gate.release();
    expect(await before).toBe(1);
    await flush();
    gate.release();
    expect(await after).toBe(2);
  });

  it('a call while an invalidation is pending does not join an earlier read either', async () => {
    const f = withCache(async () => 'x', { name: 'h', cache });
    const early = f();
    const invalidation = cache.invalidateTags(['t']); // started, not yet resolved
    const during = f();
    expect(gate.reads()).toBe(2);
    gate.release();
    await flush();
    gate.release();
    expect(await Promise.all([early, during, invalidation])).toEqual(['x', 'x', undefined]);
  });

  it('a read started while an invalidation was pending is not joined once it resolved', async () => {
    const f = withCache(async () => 'y', { name: 'k', cache });
    const invalidation = cache.invalidateTags(['t']);
    const during = f();
    await invalidation;
    const after = f();
    expect(gate.reads()).toBe(2);
    gate.release();
    await flush();
    gate.release();
    expect(await Promise.all([during, after])).toEqual(['y', 'y']);
  });
});

describe('read coalescing on Redis (MONITOR)', () => {
  let mon: Monitor;
  let cache: Cache;
  let ns: string;
  beforeAll(async () => {
    mon = await monitorNode(testRedisUrl());
  });
  afterAll(() => mon.stop());
  beforeEach(() => {
    ns = uniqueNamespace('rcr');
    cache = createCache({ store: testRedisStore(), namespace: ns, logger: false, timeout: '10s' });
  });
  afterEach(() => cache.close());

  async function commandsDuring(run: () => Promise<unknown>): Promise<string[]> {
    await mon.sync();
    mon.reset();
    await run();
    await mon.sync();
    return mon.sent(ns).map(commandOf);
  }

  it('1,000 concurrent callers of a cold key: fn runs once, at most 2 commands', async () => {
    let runs = 0;
    const f = withCache(
      async (id: number) => {
        addTags(`user:${id}`, 'users', 'org:1');
        runs += 1;
        return { id };
      },
      { name: 'stampede', cache },
    );
    await f(0); // connected, scripts loaded
    const sent = await commandsDuring(async () => {
      const all = await Promise.all(Array.from({ length: 1000 }, () => f(1)));
      expect(all.every((v) => v.id === 1)).toBe(true);
    });
    expect(runs).toBe(2);
    expect(sent.length).toBeLessThanOrEqual(2);
    const warm = await commandsDuring(() => Promise.all(Array.from({ length: 1000 }, () => f(1))));
    expect(warm).toHaveLength(1);
    expect(runs).toBe(2);
  });
});
