/**
 * bentocache: memory driver (L1 only) and redis driver (L2 only, ioredis), `getOrSet`.
 */
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import { Redis } from 'ioredis';
import { tagsOf, type Loader } from '../lib/fixtures.js';
import { TTL_MS, type Subject } from '../lib/subject.js';

/** The subject plus tag invalidation (bentocache has tags). */
export interface BentoSubject extends Subject {
  invalidate(tag: string): Promise<void>;
  set(key: string, value: unknown): Promise<void>;
}

function wrap(
  name: string,
  bento: BentoCache<{ c: ReturnType<typeof bentostore> }>,
  tags: boolean,
  load: Loader,
  extraClose: () => Promise<void>,
): BentoSubject {
  return {
    name: `${name}${tags ? ', 3 tags' : ''}`,
    role: 'peer',
    get: (key) =>
      bento.getOrSet({ key, factory: () => load(key), ttl: TTL_MS, ...(tags ? { tags: tagsOf(key) } : {}) }),
    set: async (key, value) =>
      void (await bento.set({ key, value, ttl: TTL_MS, ...(tags ? { tags: tagsOf(key) } : {}) })),
    invalidate: async (tag) => void (await bento.deleteByTag({ tags: [tag] })),
    close: async () => {
      await bento.disconnect();
      await extraClose();
    },
  };
}

/** bentocache with its memory driver only. */
export function bentoMemory(tags: boolean, load: Loader): BentoSubject {
  const bento = new BentoCache({
    default: 'c',
    stores: { c: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000 })) },
  });
  return wrap('bentocache memory', bento, tags, load, () => Promise.resolve());
}

/** bentocache with its redis driver only (no memory tier). */
export async function bentoRedis(
  url: string,
  tags: boolean,
  load: Loader,
  prefix = 'bento',
): Promise<BentoSubject> {
  const connection = new Redis(url, { lazyConnect: true });
  await connection.connect();
  const bento = new BentoCache({
    default: 'c',
    prefix,
    stores: { c: bentostore().useL2Layer(redisDriver({ connection })) },
  });
  return wrap('bentocache redis', bento, tags, load, async () => void connection.disconnect());
}

/**
 * bentocache's tiered setup: memory driver (L1) in front of the redis driver (L2), with the redis
 * bus keeping the memory tiers of processes coherent.
 */
export async function bentoTiered(
  url: string,
  tags: boolean,
  load: Loader,
  prefix: string,
): Promise<BentoSubject> {
  const connection = new Redis(url, { lazyConnect: true });
  await connection.connect();
  const { hostname, port } = new URL(url);
  const bento = new BentoCache({
    default: 'c',
    prefix,
    stores: {
      c: bentostore()
        .useL1Layer(memoryDriver({ maxItems: 10_000 }))
        .useL2Layer(redisDriver({ connection }))
        .useBus(redisBusDriver({ connection: { host: hostname, port: Number(port) } })),
    },
  });
  const subject = wrap(
    'bentocache tiered (memory + redis + bus)',
    bento,
    tags,
    load,
    async () => void connection.disconnect(),
  );
  return { ...subject, yields: true };
}
