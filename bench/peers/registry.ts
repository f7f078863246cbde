/**
 * Every subject by id. Modules are imported on demand, so that a process measuring a peer never
 * loads tagcache (whose AsyncLocalStorage turns on promise hooks for the whole process) and vice
 * versa. `space` keeps each subject's keys apart in the shared Redis.
 */
import { baselineRevision } from '../lib/baseline.js';
import { KEYS, type Loader } from '../lib/fixtures.js';
import type { Subject } from '../lib/subject.js';

/** In-memory subjects. */
export type MemorySubjectId =
  | 'map'
  | 'lru'
  | 'lru-awaited'
  | 'lru-awaited-als'
  | 'tagcache-memory'
  | 'tagcache-memory-3tags'
  | 'tagcache-memory-live-3tags'
  | 'tagcache-memory-decorated'
  | 'tagcache-memory-live'
  | 'tagcache-memory-decorated-live'
  | 'tagcache-memory-sync'
  | 'tagcache-memory-metrics'
  | 'tagcache-tiered-3tags'
  | 'bentocache-memory'
  | 'bentocache-memory-3tags'
  | 'bentocache-tiered-3tags'
  | 'cachified-lru'
  | 'cache-manager-memory'
  | 'revision-memory'
  | 'revision-memory-3tags';

/** Redis subjects (no memory tier). */
export type RedisSubjectId =
  | 'raw-default'
  | 'raw-off'
  | 'tagcache'
  | 'tagcache-3tags'
  | 'tagcache-lock'
  | 'tagcache-metrics'
  | 'bentocache'
  | 'bentocache-3tags'
  | 'cachified'
  | 'cache-manager'
  | 'revision-redis'
  | 'revision-redis-3tags';

export type SubjectId = MemorySubjectId | RedisSubjectId;

/** The Redis subjects every Redis throughput table compares (hits, miss + write). */
export const REDIS_COMPARED: readonly RedisSubjectId[] = [
  'raw-default',
  'raw-off',
  'tagcache',
  'tagcache-3tags',
  'bentocache',
  'bentocache-3tags',
  'cachified',
  'cache-manager',
];

/**
 * The memory-hit table: baselines, tagcache (live values: the store before 3a7e229), tagcache's
 * tiered store and bentocache's tier (memory-tier hits in front of Redis), peers.
 */
const MEMORY_HIT: readonly MemorySubjectId[] = [
  'map',
  'lru',
  'lru-awaited',
  'lru-awaited-als',
  'tagcache-memory',
  'tagcache-memory-3tags',
  'tagcache-memory-live-3tags',
  'tagcache-memory-decorated',
  'tagcache-memory-live',
  'tagcache-memory-decorated-live',
  'tagcache-memory-sync',
  'tagcache-memory-metrics',
  'tagcache-tiered-3tags',
  'bentocache-memory',
  'bentocache-memory-3tags',
  'bentocache-tiered-3tags',
  'cachified-lru',
  'cache-manager-memory',
];

/**
 * The subjects of the memory-hit table: {@link MEMORY_HIT}, and tagcache@<BENCH_BASELINE> with no
 * tags and with 3 tags when a baseline revision is set.
 */
export function memoryHitSubjects(): readonly MemorySubjectId[] {
  return baselineRevision() === undefined
    ? MEMORY_HIT
    : [...MEMORY_HIT, 'revision-memory', 'revision-memory-3tags'];
}

/**
 * The subjects of the Redis-hit tables: {@link REDIS_COMPARED}, tagcache with metrics on (the
 * cost of observing every hit), and tagcache@<BENCH_BASELINE> when a baseline revision is set.
 */
export function redisHitSubjects(): readonly RedisSubjectId[] {
  const subjects: RedisSubjectId[] = [...REDIS_COMPARED, 'tagcache-metrics'];
  if (baselineRevision() !== undefined) subjects.push('revision-redis', 'revision-redis-3tags');
  return subjects;
}

/** The memory-tier subjects that need a Redis (tiered stores); their Redis commands per hit are counted. */
export const TIERED_HIT: readonly MemorySubjectId[] = ['tagcache-tiered-3tags', 'bentocache-tiered-3tags'];

/** Where Redis subjects connect and which key space they use. */
export interface SubjectContext {
  readonly url: string;
  readonly space: string;
}

/**
 * An lru-cache read through `await`, as any async API must: the floor of a promise-returning get.
 * With `afterTagcache`, a tagcache miss runs first in the process (see the results page).
 */
async function awaitedLru(load: Loader, afterTagcache: boolean): Promise<Subject> {
  const { lruSubject } = await import('./baselines.js');
  const base = lruSubject(load);
  if (afterTagcache) {
    const { tagcacheMemory } = await import('./tagcache.js');
    const t = tagcacheMemory({ tags: false, namespace: 'als' }, load);
    await t.get(KEYS[0]!);
    await t.close();
  }
  return {
    name: afterTagcache ? 'lru-cache (awaited) after a tagcache call' : 'lru-cache (awaited)',
    role: 'baseline',
    get: async (key) => base.getSync?.(key) ?? base.get(key),
    close: () => base.close(),
  };
}

/**
 * Builds subject `id` around `load`.
 *
 * @example
 * ```ts
 * const s = await makeSubject('tagcache-3tags', { url, space: 'hit' }, countingLoader());
 * ```
 */
export async function makeSubject(id: SubjectId, ctx: SubjectContext, load: Loader): Promise<Subject> {
  switch (id) {
    case 'map':
      return (await import('./baselines.js')).mapSubject(load);
    case 'lru':
      return (await import('./baselines.js')).lruSubject(load);
    case 'lru-awaited':
      return awaitedLru(load, false);
    case 'lru-awaited-als':
      return awaitedLru(load, true);
    case 'tagcache-memory':
      return (await import('./tagcache.js')).tagcacheMemory({ tags: false }, load);
    case 'tagcache-memory-3tags':
      return (await import('./tagcache.js')).tagcacheMemory({ tags: true }, load);
    case 'tagcache-memory-live-3tags':
      return (await import('./tagcache.js')).tagcacheMemory({ tags: true, liveValues: true }, load);
    case 'tagcache-memory-decorated':
      return (await import('./tagcacheClasses.js')).tagcacheDecorated(load);
    case 'tagcache-memory-decorated-live':
      return (await import('./tagcacheClasses.js')).tagcacheDecorated(load, true);
    case 'tagcache-memory-live':
      return (await import('./tagcache.js')).tagcacheMemory({ tags: false, liveValues: true }, load);
    case 'tagcache-memory-sync':
      return (await import('./tagcacheClasses.js')).tagcacheSync(load);
    case 'tagcache-memory-metrics':
      return (await import('./tagcache.js')).tagcacheMemory({ tags: false, metrics: true }, load);
    case 'tagcache-tiered-3tags':
      return (await import('./tagcache.js')).tagcacheTiered(
        ctx.url,
        { tags: true, namespace: `${ctx.space}-tiered3` },
        load,
      );
    case 'bentocache-tiered-3tags':
      return (await import('./bentocache.js')).bentoTiered(ctx.url, true, load, `${ctx.space}-bt3`);
    case 'bentocache-memory':
      return (await import('./bentocache.js')).bentoMemory(false, load);
    case 'bentocache-memory-3tags':
      return (await import('./bentocache.js')).bentoMemory(true, load);
    case 'cachified-lru':
      return (await import('./cachified.js')).cachifiedMemory(load);
    case 'cache-manager-memory':
      return (await import('./cacheManager.js')).cacheManagerMemory(load);
    case 'revision-memory':
    case 'revision-memory-3tags':
      return (await import('./tagcacheRevision.js')).tagcacheRevision(
        { store: 'memory', tags: id === 'revision-memory-3tags', namespace: 'bench' },
        load,
      );
    case 'raw-default':
      return (await import('./baselines.js')).rawRedisSubject(ctx.url, 'default', load);
    case 'raw-off':
      return (await import('./baselines.js')).rawRedisSubject(ctx.url, 'off', load);
    case 'tagcache':
      return (await import('./tagcache.js')).tagcacheRedis(
        ctx.url,
        { tags: false, namespace: `${ctx.space}-t0` },
        load,
      );
    case 'tagcache-3tags':
      return (await import('./tagcache.js')).tagcacheRedis(
        ctx.url,
        { tags: true, namespace: `${ctx.space}-t3` },
        load,
      );
    case 'tagcache-lock':
      return (await import('./tagcache.js')).tagcacheRedis(
        ctx.url,
        { tags: false, lock: true, namespace: `${ctx.space}-lock` },
        load,
      );
    case 'tagcache-metrics':
      return (await import('./tagcache.js')).tagcacheRedis(
        ctx.url,
        { tags: false, metrics: true, namespace: `${ctx.space}-tm` },
        load,
      );
    case 'bentocache':
      return (await import('./bentocache.js')).bentoRedis(ctx.url, false, load, `${ctx.space}-b0`);
    case 'bentocache-3tags':
      return (await import('./bentocache.js')).bentoRedis(ctx.url, true, load, `${ctx.space}-b3`);
    case 'cachified':
      return (await import('./cachified.js')).cachifiedRedis(ctx.url, load);
    case 'cache-manager':
      return (await import('./cacheManager.js')).cacheManagerRedis(ctx.url, load);
    case 'revision-redis':
    case 'revision-redis-3tags': {
      const tags = id === 'revision-redis-3tags';
      return (await import('./tagcacheRevision.js')).tagcacheRevision(
        {
          store: 'redis',
          tags,
          url: ctx.url,
          namespace: `${ctx.space}-rev${tags ? 3 : 0}-${baselineRevision()}`,
        },
        load,
      );
    }
  }
}
