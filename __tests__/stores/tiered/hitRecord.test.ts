/**
 * The hit record of an L1 entry is kept with the entry and handed out again: it must still say
 * the right thing at every hit (its epoch is the token of the current local sequence number, its
 * ttl the freshness left now), and keeping it must never let an entry be served that the tier
 * would not serve (invalidated, or the lease no longer valid, even with the event loop blocked
 * past the lease so that no timer ran).
 */
import type { ReadResult, StoreHit } from '../../../lib/stores/Store.js';
import type { TieredStore } from '../../../lib/stores/tiered/tieredStore.js';
import { makeEntry } from '../../../lib/testing/contractKit.js';
import { uniqueNamespace } from '../../setup/testStores.js';
import { fromL1, tieredPerTest, TEST_LEASE } from './testTiered.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A synchronous (memory-tier) hit of `key`, or a failed expectation. */
function l1Hit(s: TieredStore, ns: string, key: string): StoreHit<string> {
  const r = s.get(ns, key);
  expect(fromL1(r)).toBe(true);
  const hit = r as ReadResult<string>;
  if (!hit.hit) throw new Error(`expected a hit of ${key}`);
  return hit;
}

/** Writes `key` after a miss, so that it lands in the memory tier too. */
async function fill(s: TieredStore, ns: string, key: string, tags: string[]): Promise<void> {
  const miss = (await s.get(ns, key)) as ReadResult<string>;
  expect(await s.set(ns, key, makeEntry(tags), miss.epoch)).toBe(true);
}

describe('tiered store: the hit record of an L1 entry', () => {
  const make = tieredPerTest();

  it('is handed out again while nothing changed, and built anew with the new epoch after an invalidation of another tag', async () => {
    const s = await make(false);
    const ns = uniqueNamespace('rec');
    await fill(s, ns, 'k', ['a']);
    const first = l1Hit(s, ns, 'k');
    const firstEpoch = first.epoch;
    expect(l1Hit(s, ns, 'k')).toBe(first);
    await s.invalidate(ns, ['other'], 'drop'); // not k's tag: k stays in the memory tier
    const second = l1Hit(s, ns, 'k');
    expect(second).not.toBe(first);
    expect(second.epoch).not.toBe(firstEpoch);
    expect(first.epoch).toBe(firstEpoch); // a holder of the old record keeps the epoch of its read
    expect(second).toMatchObject({ hit: true, payload: first.payload, tags: ['a'], state: 'fresh' });
    expect(l1Hit(s, ns, 'k')).toBe(second);
  });

  it('gives the freshness left at each hit', async () => {
    const s = await make(false);
    const ns = uniqueNamespace('rec-ttl');
    await fill(s, ns, 'k', []);
    const before = l1Hit(s, ns, 'k').ttl;
    await sleep(60);
    const after = l1Hit(s, ns, 'k').ttl;
    expect(after).toBeLessThanOrEqual(before - 50);
    expect(after).toBeGreaterThan(0);
  });

  it("is not served once the entry's tag is invalidated", async () => {
    const s = await make(false);
    const ns = uniqueNamespace('rec-inv');
    await fill(s, ns, 'k', ['t']);
    const kept = l1Hit(s, ns, 'k');
    expect(l1Hit(s, ns, 'k')).toBe(kept);
    await s.invalidate(ns, ['t'], 'drop');
    const r = s.get(ns, 'k');
    expect(fromL1(r)).toBe(false);
    expect(await r).toMatchObject({ hit: false });
  });

  it('is not served once the lease ran out, even when the event loop was blocked past it (no timer ran)', async () => {
    const s = await make(false);
    const ns = uniqueNamespace('rec-lease');
    await fill(s, ns, 'k', []);
    const kept = l1Hit(s, ns, 'k');
    expect(l1Hit(s, ns, 'k')).toBe(kept);
    const end = performance.now() + TEST_LEASE + 50;
    while (performance.now() < end); // blocks: no renewal, no timer, no message can run
    const r = s.get(ns, 'k');
    expect(fromL1(r)).toBe(false); // read from L2 instead
    expect(await r).toMatchObject({ hit: true, payload: kept.payload });
  });

  it('freshEntry, the plain hit shortcut, gives the entry only while get would serve it from the tier', async () => {
    const s = await make(false);
    const ns = uniqueNamespace('rec-fresh');
    await fill(s, ns, 'k', ['t:k']);
    await fill(s, ns, 'j', []);
    expect(s.freshEntry(ns, 'k')?.payload).toBe(l1Hit(s, ns, 'k').payload);
    await s.invalidate(ns, ['t:k'], 'drop');
    expect(s.freshEntry(ns, 'k')).toBeUndefined();
    expect(s.freshEntry(ns, 'j')).toBeDefined();
    const end = performance.now() + TEST_LEASE + 50;
    while (performance.now() < end); // blocks past the lease: no renewal, no timer ran
    expect(s.freshEntry(ns, 'j')).toBeUndefined();
  });
});
