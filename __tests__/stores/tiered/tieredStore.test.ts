/**
 * The tiered store inside one process: the straddle races of the memory tier (controlled
 * promises), bounds and copies, TTLs, stale states as on L2, and no Redis command per L1 hit.
 * Two tiered stores in one process are two members with their own memory tiers and connections.
 */
import { createCache, withCache } from '../../../lib/index.js';
import type { ReadResult, Store, WriteEntry } from '../../../lib/stores/Store.js';
import { redisStore } from '../../../lib/stores/redisStore.js';
import { tieredStore } from '../../../lib/stores/tiered/tieredStore.js';
import { makeEntry } from '../../../lib/testing/contractKit.js';
import { monitorNode } from '../../setup/monitor.js';
import { startRedisServer } from '../../setup/redisServers.js';
import { testRedisStore, uniqueNamespace } from '../../setup/testStores.js';
import { fromL1, tieredPerTest, TEST_LEASE, uniquePrefix, untilServing } from './testTiered.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An L2 whose replies to `get` and `set` can be held back until released. */
function gatedL2(l2: Store<string>) {
  let gate: Promise<void> | undefined;
  let reached: (() => void) | undefined;
  const pass = async <T>(reply: T): Promise<T> => {
    reached?.();
    if (gate) await gate;
    return reply;
  };
  const store: Store<string> = {
    ...l2,
    get: async (ns: string, key: string) => pass(await l2.get(ns, key)),
    set: async (ns: string, key: string, e: WriteEntry<string>, epoch?: number) =>
      pass(await l2.set(ns, key, e, epoch)),
  };
  return {
    store,
    /** Holds the next replies; resolves `held` once one is waiting at the gate. */
    hold() {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      const held = new Promise<void>((r) => (reached = r));
      return { held, release: () => ((gate = undefined), (reached = undefined), release()) };
    },
  };
}

describe('tiered store in one process', () => {
  const make = tieredPerTest();

  it('a fill whose L2 read straddles an invalidation applied here is refused', async () => {
    const prefix = uniquePrefix();
    const gated = gatedL2(testRedisStore());
    const b = await make(false, { prefix, l2: gated.store });
    const a = await make(false, { prefix });
    const ns = uniqueNamespace('race');
    await a.set(ns, 'k', makeEntry(['user:1'], { payload: '"old"' }));
    const gate = gated.hold();
    const read = b.get(ns, 'k');
    await gate.held; // B's L2 read returned the old entry, not yet handed to B's memory tier
    await a.invalidate(ns, ['user:1'], 'drop'); // strict: resolves once B applied it
    gate.release();
    expect(await read).toMatchObject({ hit: true, payload: '"old"' }); // a read that started before
    const after = b.get(ns, 'k');
    expect(fromL1(after)).toBe(false);
    expect((await after).hit).toBe(false);
  });

  it('a computation that straddles an invalidation applied here is written to L2 at most, never to L1', async () => {
    const prefix = uniquePrefix();
    const gated = gatedL2(testRedisStore());
    const b = await make(false, { prefix, l2: gated.store });
    const a = await make(false, { prefix });
    const ns = uniqueNamespace('race');
    const miss = (await b.get(ns, 'k')) as ReadResult<string>;
    expect(miss.hit).toBe(false);
    const gate = gated.hold();
    const write = b.set(ns, 'k', makeEntry(['user:1'], { payload: '"computed"' }), miss.epoch);
    await gate.held; // L2 accepted the write (the invalidation had not reached L2 yet)
    await a.invalidate(ns, ['user:1'], 'drop');
    gate.release();
    expect(await write).toBe(true);
    const after = b.get(ns, 'k');
    expect(fromL1(after)).toBe(false); // without the local markers, the memory tier would serve it
    expect((await after).hit).toBe(false);
  });

  it('a strict invalidation empties every memory tier of its tags before L2 changes, so no computation mixes an older L1 hit with a newer L2 epoch', async () => {
    const prefix = uniquePrefix();
    const l2 = testRedisStore();
    let reached!: () => void;
    const invalidated = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gatedInvalidate: Store<string> = {
      ...l2,
      invalidate: async (ns, tags, mode) => {
        await l2.invalidate(ns, tags, mode);
        reached();
        await gate; // L2 is invalidated; the invalidation has not resolved yet
      },
    };
    const a = await make(false, { prefix, l2: gatedInvalidate });
    const b = await make(false, { prefix });
    const ns = uniqueNamespace('race');
    await a.set(ns, 'inner', makeEntry(['t'], { payload: '"old"' }));
    await b.get(ns, 'inner');
    expect(fromL1(b.get(ns, 'inner'))).toBe(true);
    const outer = (await b.get(ns, 'outer')) as ReadResult<string>; // a computation starts
    const invalidating = a.invalidate(ns, ['t'], 'drop');
    await invalidated;
    // The computation reads 'inner' now. Were it served "old" from B's memory tier, the outer
    // write (its tags include t; its L2 epoch is newer than the invalidation) would be accepted.
    const inner = b.get(ns, 'inner');
    expect(fromL1(inner)).toBe(false);
    expect((await inner).hit).toBe(false);
    expect(b.inspect().pending).toBe(1); // B fills nothing tagged t until the invalidation is done
    release();
    await invalidating;
    expect(b.inspect().pending).toBe(0);
    expect(await b.set(ns, 'outer', makeEntry(['t'], { payload: '"from old"' }), outer.epoch)).toBe(false);
  });

  it('refuses a fill when the process invalidated the tag itself while the read was out', async () => {
    const gated = gatedL2(testRedisStore());
    const b = await make(false, { l2: gated.store });
    const ns = uniqueNamespace('race');
    await b.set(ns, 'k', makeEntry(['t']));
    const gate = gated.hold();
    const read = b.get(ns, 'k');
    await gate.held;
    const inv = b.invalidate(ns, ['t'], 'drop');
    await sleep(20);
    gate.release();
    await Promise.all([read, inv]);
    expect(fromL1(b.get(ns, 'k'))).toBe(false);
  });

  it('is bounded in entries and bytes', async () => {
    const s = await make(false, { l1: { maxEntries: 3 } });
    const ns = uniqueNamespace('bounds');
    for (let i = 0; i < 6; i++) {
      const m = (await s.get(ns, `k${i}`)) as ReadResult<string>;
      await s.set(ns, `k${i}`, makeEntry([]), m.epoch);
    }
    expect(s.inspect().entries).toBe(3);
    const bytes = await make(false, { l1: { maxBytes: 10_000 } });
    for (let i = 0; i < 6; i++) {
      const m = (await bytes.get(ns, `b${i}`)) as ReadResult<string>;
      await bytes.set(ns, `b${i}`, makeEntry([], { payload: 'x'.repeat(2000) }), m.epoch);
    }
    expect(bytes.inspect().entries).toBeLessThanOrEqual(2);
    expect(fromL1(bytes.get(ns, 'b5'))).toBe(true);
  });

  it('a hit is a copy: mutating it never changes the next hit', async () => {
    const store = await make(false);
    const cache = createCache({ store, namespace: uniqueNamespace('copy'), logger: false });
    const load = withCache(async (id: number) => ({ id, items: [1, 2] }), { cache, name: 'load' });
    await load(1);
    const first = await load(1);
    first.items.push(99);
    expect(await load(1)).toEqual({ id: 1, items: [1, 2] });
    expect(load.stats().hits).toBe(2);
  });

  it('an entry leaves the memory tier when its TTL ends; past it, states come from L2', async () => {
    const s = await make(false);
    const ns = uniqueNamespace('ttl');
    const m = (await s.get(ns, 'k')) as ReadResult<string>;
    await s.set(ns, 'k', makeEntry([], { ttl: 200, grace: 5000 }), m.epoch);
    expect(fromL1(s.get(ns, 'k'))).toBe(true);
    await sleep(260);
    const r = s.get(ns, 'k');
    expect(fromL1(r)).toBe(false);
    expect(await r).toMatchObject({ hit: true, state: 'expired' });
  });

  it("another process's stale invalidation makes this one serve L2's invalidated state", async () => {
    const prefix = uniquePrefix();
    const a = await make(false, { prefix });
    const b = await make(false, { prefix });
    const ns = uniqueNamespace('stale');
    const m = (await b.get(ns, 'k')) as ReadResult<string>;
    await b.set(ns, 'k', makeEntry(['t'], { grace: 60_000 }), m.epoch);
    expect(fromL1(b.get(ns, 'k'))).toBe(true);
    await a.invalidate(ns, ['t'], 'stale');
    const r = b.get(ns, 'k');
    expect(fromL1(r)).toBe(false);
    expect(await r).toMatchObject({ hit: true, state: 'invalidated' });
  });

  it('staleWhileRevalidate over the tiered store serves the stale value, then the refreshed one', async () => {
    const store = await make(false);
    const cache = createCache({ store, namespace: uniqueNamespace('swr'), logger: false });
    let version = 0;
    const load = withCache(async () => ++version, {
      cache,
      name: 'v',
      tags: ['t'],
      staleWhileRevalidate: '1m',
    });
    expect(await load()).toBe(1);
    await cache.invalidateTags(['t'], { mode: 'stale' });
    expect(await load()).toBe(1); // stale, refreshed in the background
    for (let i = 0; i < 100 && (await load()) !== 2; i++) await sleep(10);
    expect(await load()).toBe(2);
  });
});

describe('tiered store: Redis commands', () => {
  it('sends no Redis command for an L1 hit (MONITOR)', async () => {
    const server = await startRedisServer();
    const mon = await monitorNode(server.url);
    const prefix = uniquePrefix();
    const store = tieredStore({
      l2: redisStore({ url: server.url }),
      bus: { url: server.url },
      lease: TEST_LEASE,
      prefix,
    });
    try {
      await untilServing(store);
      const cache = createCache({ store, namespace: 'mon', logger: false });
      const load = withCache(async (id: number) => ({ id }), {
        cache,
        name: 'load',
        tags: (id) => [`a:${id}`, `b:${id}`, 'c'],
      });
      await load(1);
      await load(1);
      await mon.sync();
      mon.reset();
      for (let i = 0; i < 1000; i++) await load(1);
      await mon.sync();
      const notBus = mon.sent('"').filter((l) => !l.includes(`{${prefix}:bus}`) && !l.includes('ECHO'));
      expect(notBus).toEqual([]);
      expect(load.stats().hits).toBe(1001);
    } finally {
      await store.close();
      await mon.stop();
      await server.destroy();
    }
  });
});
