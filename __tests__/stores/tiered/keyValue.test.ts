/**
 * The key-value operations of the tiered store inside one process: `getMany` answers from the
 * memory tier first and reads the rest with one L2 `getMany` (filling the memory tier with the
 * straddle rules of `get`); `setMany`, `remove` and `expire` reach another member's memory tier
 * before they resolve; `ready()` and `ownsClient` come from L2 (and the bus).
 */
import type { ReadResult, Store } from '../../../lib/stores/Store.js';
import { makeEntry } from '../../../lib/testing/contractKit.js';
import { testRedisStore, uniqueNamespace } from '../../setup/testStores.js';
import { fromL1, tieredPerTest, uniquePrefix } from './testTiered.js';

/** An L2 that counts its reads and can hold back the reply of its next `getMany`. */
function countingL2(l2: Store<string>) {
  const calls = { get: 0, getMany: [] as string[][] };
  let gate: Promise<void> | undefined;
  let reached: (() => void) | undefined;
  const store: Store<string> = {
    ...l2,
    get: (ns, key) => (calls.get++, l2.get(ns, key)),
    getMany: async (ns, keys) => {
      calls.getMany.push([...keys]);
      const reads = await (l2.getMany as NonNullable<Store<string>['getMany']>)(ns, keys);
      reached?.();
      if (gate) await gate;
      return reads;
    },
  };
  const hold = () => {
    let release!: () => void;
    gate = new Promise<void>((r) => (release = r));
    const held = new Promise<void>((r) => (reached = r));
    return { held, release: () => ((gate = undefined), (reached = undefined), release()) };
  };
  return { store, calls, hold };
}

const payloads = (reads: readonly ReadResult<string>[]): (string | undefined)[] =>
  reads.map((r) => (r.hit ? r.payload : undefined));

describe('tiered store: key-value operations', () => {
  const make = tieredPerTest();

  it('getMany answers from L1 first, reads the rest with one L2 getMany, and fills L1', async () => {
    const counting = countingL2(testRedisStore());
    const s = await make(false, { l2: counting.store });
    const ns = uniqueNamespace('kv');
    await s.setMany!(
      ns,
      ['a', 'b', 'c'].map((k) => ({ key: k, entry: makeEntry([], { payload: `"${k}"` }) })),
    );
    await s.get(ns, 'a'); // fills L1 with a
    counting.calls.get = 0;
    const reads = await s.getMany!(ns, ['b', 'a', 'x', 'c']);
    expect(payloads(reads)).toEqual(['"b"', '"a"', undefined, '"c"']);
    expect(counting.calls.getMany).toEqual([['b', 'x', 'c']]);
    expect(counting.calls.get).toBe(0);
    const again = s.getMany!(ns, ['c', 'a', 'b']); // all three in L1 now: synchronous, no L2 call
    expect(Array.isArray(again)).toBe(true);
    expect(payloads(again as ReadResult<string>[])).toEqual(['"c"', '"a"', '"b"']);
    expect(counting.calls.getMany).toHaveLength(1);
  });

  it("refuses getMany's fills when an invalidation was applied here while the L2 read was out", async () => {
    const prefix = uniquePrefix();
    const counting = countingL2(testRedisStore());
    const b = await make(false, { prefix, l2: counting.store });
    const a = await make(false, { prefix });
    const ns = uniqueNamespace('kv');
    await a.set(ns, 'k', makeEntry(['user:1'], { payload: '"old"' }));
    await a.set(ns, 'other', makeEntry(['user:2'], { payload: '"other"' }));
    const gate = counting.hold();
    const reading = b.getMany!(ns, ['k', 'other']);
    await gate.held; // B's L2 read returned the old entry, not yet handed to B's memory tier
    await a.invalidate(ns, ['user:1'], 'drop'); // strict: resolves once B applied it
    gate.release();
    expect(payloads(await reading)).toEqual(['"old"', '"other"']); // a read that started before
    expect(fromL1(b.get(ns, 'k'))).toBe(false);
    expect(fromL1(b.get(ns, 'other'))).toBe(true); // untouched by the invalidation: filled
  });

  it("setMany fills L1 after misses, and replaces another member's L1 copy before it resolves", async () => {
    const prefix = uniquePrefix();
    const a = await make(false, { prefix });
    const b = await make(false, { prefix });
    const ns = uniqueNamespace('kv');
    const miss = (await a.get(ns, 'fresh')) as ReadResult<string>;
    expect(miss.hit).toBe(false);
    await a.set(ns, 'shared', makeEntry([], { payload: '"old"' }));
    await b.get(ns, 'shared');
    expect(fromL1(b.get(ns, 'shared'))).toBe(true);
    const written = await a.setMany!(ns, [
      { key: 'fresh', entry: makeEntry([], { payload: '"computed"' }), epoch: miss.epoch },
      { key: 'shared', entry: makeEntry([], { payload: '"new"' }) },
      { key: 'lost', entry: makeEntry([]), epoch: 987_654_321 }, // not a token of this store
    ]);
    expect(written).toEqual([true, true, false]);
    expect(a.get(ns, 'fresh')).toMatchObject({ hit: true, payload: '"computed"' }); // synchronous
    const shared = b.get(ns, 'shared');
    expect(fromL1(shared)).toBe(false);
    expect(await shared).toMatchObject({ hit: true, payload: '"new"' });
  });

  it("remove and expire drop the copies of every member's L1 before they resolve", async () => {
    const prefix = uniquePrefix();
    const a = await make(false, { prefix });
    const b = await make(false, { prefix });
    const ns = uniqueNamespace('kv');
    await a.setMany!(
      ns,
      ['r', 'e'].map((k) => ({ key: k, entry: makeEntry([], { ttl: 3_600_000 }) })),
    );
    for (const s of [a, b]) for (const k of ['r', 'e']) await s.get(ns, k);
    for (const s of [a, b]) for (const k of ['r', 'e']) expect(fromL1(s.get(ns, k))).toBe(true);
    expect(await a.remove!(ns, ['r', 'absent'])).toBe(1);
    expect(await a.expire!(ns, 'e', 5000)).toBe(true);
    expect(await a.expire!(ns, 'absent', 5000)).toBe(false);
    for (const s of [a, b]) {
      const r = s.get(ns, 'r');
      expect(fromL1(r)).toBe(false);
      expect((await r).hit).toBe(false);
      const e = s.get(ns, 'e');
      expect(fromL1(e)).toBe(false); // not the copy with an hour left
      const hit = await e;
      expect(hit.hit && hit.ttl <= 5000).toBe(true);
    }
  });

  it('forwards scan, ping and info to L2; ready() connects; ownsClient is L2’s', async () => {
    const s = await make(false);
    const ns = uniqueNamespace('kv');
    await s.ready();
    expect(s.ownsClient).toBe(true);
    await s.set(ns, 'user:1', makeEntry([]));
    await s.get(ns, 'user:1'); // in L1 too: scan lists it once
    const keys: string[] = [];
    for await (const batch of s.scan!(ns, 'user:*')) keys.push(...batch);
    expect(keys).toEqual(['user:1']);
    await s.ping!();
    expect((await s.info!(ns)).server?.['redis_version']).toMatch(/^\d/);
  });
});
