/**
 * Reproduces a cross-process single-flight race of `lock: true`: a waiter that reads the entry
 * (a miss), then finds the lock free because the holder has meanwhile written the entry and
 * released the lock, takes the lock and runs the function again. A busy process makes the window
 * between that read and the next lock attempt wide; here the waiter's reads are delayed by 30 ms
 * to show it deterministically. Two caches on one Redis stand for two processes.
 *
 *   npx tsx bench/repro/lockRace.ts      (prints the function runs of 10 stampedes; 1 expected)
 */
import { createCache, withCache, type Store } from '../../lib/index.js';
import { redisStore } from '../../lib/redis.js';
import { startRedis } from '../lib/redisServer.js';
import { runMain } from '../lib/runMain.js';

const READ_DELAY_MS = 30;
const WORK_MS = 100;

/** The same store, with every read's result handed back `ms` later. */
function slowReads(store: Store<string>, ms: number): Store<string> {
  return Object.freeze({
    ...store,
    get: async (ns: string, key: string) => {
      const r = await store.get(ns, key);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return r;
    },
  });
}

async function main(): Promise<void> {
  const redis = await startRedis();
  let runs = 0;
  const work = async (key: string): Promise<{ key: string }> => {
    runs += 1;
    await new Promise((resolve) => setTimeout(resolve, WORK_MS));
    return { key };
  };
  const holderCache = createCache({
    store: redisStore({ url: redis.url }),
    namespace: 'race',
    logger: false,
  });
  const waiterCache = createCache({
    store: slowReads(redisStore({ url: redis.url }), READ_DELAY_MS),
    namespace: 'race',
    logger: false,
  });
  const holder = withCache(work, { cache: holderCache, name: 'work', lock: true });
  const waiter = withCache(work, { cache: waiterCache, name: 'work', lock: true });
  const perStampede: number[] = [];
  try {
    for (let i = 0; i < 10; i++) {
      runs = 0;
      const key = `k${i}:${Date.now()}`;
      await Promise.all([
        holder(key),
        new Promise((resolve) => setTimeout(resolve, 2)).then(() => waiter(key)),
      ]);
      perStampede.push(runs);
    }
    console.log(`function runs per stampede (1 expected): ${perStampede.join(' ')}`);
  } finally {
    await Promise.all([holderCache.close(), waiterCache.close()]);
    await redis.stop();
  }
}

runMain(main);
