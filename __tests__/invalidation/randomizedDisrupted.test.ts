import { redisStore } from '../../lib/stores/redisStore.js';
import { checkHistories } from '../setup/historyCheck.js';
import { startRedisServer, type RedisServer } from '../setup/redisServers.js';
import { adminOf, type Admin } from '../setup/throwawayRedis.js';

/**
 * The randomized history check while Redis loses tagcache's bookkeeping mid-history: memory
 * filled past `maxmemory` under `allkeys-lru` (eviction of entries, markers and clocks alike),
 * `FLUSHALL`, and a restart without persistence. Eviction may cost misses, never a stale read.
 */
let server: RedisServer;
let admin: Admin;
beforeAll(async () => {
  server = await startRedisServer({ args: ['--maxmemory', '3mb', '--maxmemory-policy', 'allkeys-lru'] });
  admin = await adminOf(server.url);
});
afterAll(async () => {
  await admin.close();
  await server.destroy();
});

let fills = 0;
async function fill(): Promise<void> {
  const value = 'x'.repeat(1024);
  const round = (fills += 1);
  const sets: Promise<unknown>[] = [];
  for (let i = 0; i < 4000; i++) sets.push(admin.set(`fill:${round}:${i}`, value).catch(() => undefined));
  await Promise.all(sets);
}

describe('randomized histories under eviction, FLUSHALL and restart (Redis)', () => {
  it('allkeys-lru with memory filled past maxmemory, and FLUSHALL, mid-history', async () => {
    const store = redisStore({ url: server.url });
    try {
      await checkHistories(store, 15, { fill, flush: () => admin.flushAll().then(() => undefined) });
      expect(Number(/evicted_keys:(\d+)/.exec(await admin.info('stats'))?.[1])).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('a restart without persistence mid-history', async () => {
    const store = redisStore({ url: server.url });
    let restarts = 0;
    const restart = async (): Promise<void> => {
      if (restarts >= 3) return; // bounded: a few restarts over the whole property
      restarts += 1;
      await server.stop();
      await server.start();
      await admin.configSet({ maxmemory: '3mb', 'maxmemory-policy': 'allkeys-lru' }).catch(() => undefined);
    };
    try {
      await checkHistories(store, 6, { restart });
      expect(restarts).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
