/**
 * Tiered stores on the suite's Redis and Cluster, for the in-process tests.
 */
import { tieredStore, type TieredStore } from '../../../lib/stores/tiered/tieredStore.js';
import type { TieredStoreOptions } from '../../../lib/stores/tiered/options.js';
import type { Store } from '../../../lib/stores/Store.js';
import {
  testClusterNodes,
  testClusterStore,
  testRedisStore,
  testRedisUrl,
  uniqueNamespace,
} from '../../setup/testStores.js';

export const TEST_LEASE = 600;

/** A bus prefix no other test uses (its own members, seq and channels). */
export const uniquePrefix = (): string => uniqueNamespace('tb').replace(':', '-');

type Extra = Partial<Omit<TieredStoreOptions, 'l2' | 'bus'>> & { l2?: Store<string> };

/** A tiered store over the suite's Redis (or Cluster), once it serves its memory tier. */
export async function servingTiered(cluster: boolean, extra: Extra = {}): Promise<TieredStore> {
  const store = tieredStore({
    l2: extra.l2 ?? (cluster ? testClusterStore() : testRedisStore()),
    bus: cluster ? { rootNodes: testClusterNodes() } : { url: testRedisUrl() },
    lease: TEST_LEASE,
    prefix: extra.prefix ?? uniquePrefix(),
    ...(extra.coherence ? { coherence: extra.coherence } : {}),
    ...(extra.l1 ? { l1: extra.l1 } : {}),
  });
  await untilServing(store);
  return store;
}

/**
 * `servingTiered` for the tests of one `describe`: every store it made is closed after each test.
 * Call it in the `describe` body.
 */
export function tieredPerTest(): (...args: Parameters<typeof servingTiered>) => Promise<TieredStore> {
  const stores: TieredStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  return async (...args) => {
    const s = await servingTiered(...args);
    stores.push(s);
    return s;
  };
}

/** Waits (bounded) until the store serves its memory tier. */
export async function untilServing(store: TieredStore, timeout = 10_000): Promise<void> {
  await store.get('probe', 'probe');
  const deadline = Date.now() + timeout;
  while (!store.inspect().serving) {
    if (Date.now() > deadline) throw new Error('the tiered store never started serving its memory tier');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Whether a read was answered by the memory tier (synchronously). */
export const fromL1 = (r: unknown): boolean => !(r instanceof Promise);
