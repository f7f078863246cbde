/**
 * tagcache as a user writes it: `createCache` + `withCache`, on the memory store or on
 * `redisStore({ url })` (no memory tier).
 */
import {
  createCache,
  invalidateTag,
  memoryStore,
  withCache,
  type Cache,
  type Cached,
  type Store,
} from '../../lib/index.js';
import { redisStore, tieredStore } from '../../lib/redis.js';
import { tagsOf, type Loader } from '../lib/fixtures.js';
import { TTL_MS, type Subject } from '../lib/subject.js';

/** Options of a tagcache subject. */
export interface TagcacheSetup {
  /** Three tags per entry (`items`, `seller:…`, `shelf:…`), else none. */
  readonly tags: boolean;
  /** Cross-process single flight (`lock: true`). */
  readonly lock?: boolean;
  /** Cache namespace (key prefix in Redis). */
  readonly namespace?: string;
  /** `metrics: true`: the cache counts into getMetrics() (every call observed and timed). */
  readonly metrics?: boolean;
  /** Memory store only: `memoryStore({ liveValues: true })` (hits share the cached object). */
  readonly liveValues?: boolean;
}

/** The subject plus what the invalidation workload needs. */
export interface TagcacheSubject extends Subject {
  readonly cache: Cache;
  readonly cached: Cached<[string], Record<string, unknown>>;
  invalidate(tag: string): Promise<void>;
}

function build(label: string, store: Store, setup: TagcacheSetup, load: Loader): TagcacheSubject {
  const cache = createCache({
    store,
    namespace: setup.namespace ?? 'bench',
    ttl: TTL_MS,
    ...(setup.metrics ? { metrics: true } : {}),
  });
  const cached = withCache(load, {
    cache,
    name: 'item',
    ...(setup.tags ? { tags: (key: string) => tagsOf(key) } : {}),
    ...(setup.lock ? { lock: true } : {}),
  });
  return {
    name: `tagcache ${label}${setup.liveValues ? ', live values' : ''}${setup.tags ? ', 3 tags' : ', no tags'}${setup.lock ? ', lock' : ''}${setup.metrics ? ', metrics on' : ''}`,
    role: 'tagcache',
    cache,
    cached,
    get: (key) => cached(key),
    invalidate: (tag) => invalidateTag(tag, { cache }),
    close: () => cache.close(),
  };
}

/** tagcache on `memoryStore()` (`liveValues` as the setup says). */
export function tagcacheMemory(setup: TagcacheSetup, load: Loader): TagcacheSubject {
  const store = memoryStore({ maxEntries: 10_000, ...(setup.liveValues ? { liveValues: true } : {}) });
  return build('memory', store, setup, load);
}

/** tagcache on `redisStore({ url })`. */
export function tagcacheRedis(url: string, setup: TagcacheSetup, load: Loader): TagcacheSubject {
  return build('redis', redisStore({ url }), setup, load);
}

/**
 * tagcache on `tieredStore({ l2: redisStore({ url }), bus: { url } })` with its defaults (memory
 * tier in front of Redis, strict coherence, 2 s lease); resolves once the store serves its memory
 * tier, so that every measured hit is a memory-tier hit.
 */
export async function tagcacheTiered(
  url: string,
  setup: TagcacheSetup,
  load: Loader,
): Promise<TagcacheSubject> {
  const store = tieredStore({ l2: redisStore({ url }), bus: { url } });
  await store.get('probe', 'probe');
  const deadline = Date.now() + 30_000;
  while (!store.inspect().serving) {
    if (Date.now() > deadline) throw new Error('tagcache tiered: the store never served its memory tier');
    await new Promise((r) => setTimeout(r, 10));
  }
  return { ...build('tiered', store, setup, load), yields: true };
}
