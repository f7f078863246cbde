// Resilience (docs/resilience.md): a store that fails, and stale serving.
import { createCache, withCache, memoryStore, invalidateTag, type CacheEvent, type Store } from '../../lib/index.js';

/** A store whose every operation fails, as a Redis that went away would. */
const downStore: Store = {
  ...memoryStore(),
  kind: 'down',
  get: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
  set: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
};

export async function main(): Promise<string[]> {
  const seen: string[] = [];
  const onEvent = (e: CacheEvent) => {
    if (e.type === 'store-error' || e.type === 'circuit' || e.type === 'stale-hit') seen.push(e.type === 'circuit' ? `circuit ${e.state}` : e.type);
  };
  const down = createCache({ store: downStore, breaker: { failures: 3, resetAfter: '5s' }, onEvent, logger: false });
  const getPrice = withCache(async function getPrice(sku: string) {
    return { sku, cents: 1999 };
  }, { cache: down, timeout: '200ms' });
  for (let i = 0; i < 5; i++) await getPrice('A-1'); // every call answers; after 3 failures the store is skipped

  const cache = createCache({ store: memoryStore(), onEvent, logger: false });
  let version = 1;
  const getCatalog = withCache(async function getCatalog() {
    return { version };
  }, { cache, tags: ['catalog'], ttl: '10m', staleWhileRevalidate: '1h' });
  await getCatalog();
  version = 2;
  await invalidateTag('catalog', { cache, mode: 'stale' }); // like Next.js revalidateTag(tag, 'max')
  const stale = await getCatalog(); // served at once, refreshed in the background
  await new Promise((r) => setTimeout(r, 20));
  const fresh = await getCatalog();
  return [...new Set(seen), `stale ${stale.version}, then ${fresh.version}`];
}
