/**
 * The URL form: `tiered+redis://…` and `tiered+redis-cluster://…` for TAGCACHE_URL and storeFromUrl.
 */
import { InvalidOptionsError } from '../../../lib/errors.js';
import { storeFromUrl } from '../../../lib/stores/storeFromUrl.js';
import type { ReadResult } from '../../../lib/stores/Store.js';
import type { TieredStore } from '../../../lib/stores/tiered/tieredStore.js';
import { makeEntry } from '../../../lib/testing/contractKit.js';
import { testClusterNodes, testRedisUrl, uniqueNamespace } from '../../setup/testStores.js';
import { fromL1, uniquePrefix, untilServing } from './testTiered.js';

async function roundTrip(url: string): Promise<void> {
  const store = storeFromUrl(url) as TieredStore;
  try {
    expect(store.kind).toBe('tiered');
    await untilServing(store);
    const ns = uniqueNamespace('url');
    for (let i = 0; i < 3; i++) {
      const m = (await store.get(ns, `k${i}`)) as ReadResult<string>;
      expect(await store.set(ns, `k${i}`, makeEntry(['t']), m.epoch)).toBe(true);
    }
    expect(store.inspect().entries).toBe(2); // maxEntries=2
    expect(fromL1(store.get(ns, 'k2'))).toBe(true);
    await store.invalidate(ns, ['t'], 'drop');
    expect((await store.get(ns, 'k2')).hit).toBe(false);
  } finally {
    await store.close();
  }
}

describe('tiered store URLs', () => {
  it('tiered+redis://host:port?lease=…&maxEntries=…&groups=… (L2 keeps its own parameters)', async () => {
    await roundTrip(`tiered+${testRedisUrl()}?lease=700&maxEntries=2&groups=4&busPrefix=${uniquePrefix()}`);
  });

  it('tiered+redis-cluster://h:p,h:p?coherence=eventual', async () => {
    await roundTrip(
      `tiered+redis-cluster://${testClusterNodes().join(',')}?coherence=eventual&lease=1s&maxEntries=2&busPrefix=${uniquePrefix()}`,
    );
  });

  it('bad parameters throw InvalidOptionsError at construction', () => {
    expect(() => storeFromUrl(`tiered+${testRedisUrl()}?coherence=sometimes`)).toThrow(InvalidOptionsError);
    expect(() => storeFromUrl(`tiered+${testRedisUrl()}?lease=10`)).toThrow(/lease/);
    expect(() => storeFromUrl(`tiered+${testRedisUrl()}?maxEntries=0`)).toThrow(/maxEntries/);
    expect(() => storeFromUrl(`tiered+${testRedisUrl()}?colour=red`)).toThrow(/colour/);
    expect(() => storeFromUrl('tiered+memory://')).toThrow(InvalidOptionsError);
  });
});
