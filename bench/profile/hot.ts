/**
 * A focused hot loop to profile, one scenario per process (see `bench/profile/run.ts`):
 *
 *   memory          tagcache, memory store, 3 tags, serial
 *   memory-lru      awaited lru-cache get (the floor of any async API)
 *   memory-lru-als  the same after one tagcache call in the process
 *   redis [N]       tagcache, redisStore, 3 tags, N in flight (default 1)
 *   redis-notags [N]
 *   redis-raw [N]   node-redis GET + JSON.parse, timer off
 *   redis-raw-als [N]  the same after one tagcache call in the process (AsyncLocalStorage on)
 *
 * For Redis scenarios it also prints the server's own time per command (`INFO commandstats`),
 * which a client-side profile shows only as idle time. REDIS_URL must point at a Redis.
 */
import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import { createClient } from 'redis';
import { countingLoader, KEYS, makeValue } from '../lib/fixtures.js';
import type { Subject } from '../lib/subject.js';
import { rawRedisSubject } from '../peers/baselines.js';
import { tagcacheMemory, tagcacheRedis } from '../peers/tagcache.js';
import { runMain } from '../lib/runMain.js';

const SECONDS = Number(process.env['PROFILE_SECONDS'] ?? '5');

/** Ops/s of `inflight` callers calling one after another for SECONDS. */
async function loop(subject: Subject, inflight: number): Promise<number> {
  for (const k of KEYS) await subject.get(k);
  const end = performance.now() + SECONDS * 1000;
  let ops = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      for (let i = 0; i < 64; i++) {
        next = next + 1 === KEYS.length ? 0 : next + 1;
        await subject.get(KEYS[next]!);
      }
      ops += 64;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, inflight) }, worker));
  return ops / SECONDS;
}

async function serverTimes(url: string): Promise<string> {
  const c = createClient({ url });
  await c.connect();
  const stats = await c.info('commandstats');
  await c.close();
  return stats
    .split('\n')
    .filter((l) => l.startsWith('cmdstat_'))
    .map((l) => '  ' + l.replace(/,rejected_calls.*$/, '').trim())
    .join('\n');
}

function awaitedLru(): Subject {
  const lru = new LRUCache<string, object>({ max: 10_000 });
  for (const k of KEYS) lru.set(k, makeValue(k));
  return {
    name: 'lru-cache (awaited)',
    role: 'baseline',
    get: async (k) => lru.get(k),
    close: () => Promise.resolve(),
  };
}

async function subjectFor(scenario: string, url: string): Promise<Subject> {
  switch (scenario) {
    case 'memory':
      return tagcacheMemory({ tags: true }, countingLoader());
    case 'memory-lru':
      return awaitedLru();
    case 'memory-lru-als': {
      const t = tagcacheMemory({ tags: false }, countingLoader());
      await t.get(KEYS[0]!);
      await t.close();
      return awaitedLru();
    }
    case 'redis':
      return tagcacheRedis(url, { tags: true, namespace: 'prof-t3' }, countingLoader());
    case 'redis-notags':
      return tagcacheRedis(url, { tags: false, namespace: 'prof-t0' }, countingLoader());
    case 'redis-raw':
      return rawRedisSubject(url, 'off', countingLoader());
    case 'redis-raw-als': {
      const t = tagcacheMemory({ tags: false }, countingLoader());
      await t.get(KEYS[0]!);
      await t.close();
      return rawRedisSubject(url, 'off', countingLoader());
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

async function main(): Promise<void> {
  const [scenario = 'memory', inflightArg = '1'] = process.argv.slice(2);
  const inflight = Number(inflightArg);
  const url = process.env['REDIS_URL'] ?? '';
  const onRedis = scenario.startsWith('redis');
  if (onRedis) {
    const admin = createClient({ url });
    await admin.connect();
    await admin.configResetStat();
    await admin.close();
  }
  const s = await subjectFor(scenario, url);
  console.log(
    `${s.name}, ${inflight} in flight: ${Math.round(await loop(s, inflight)).toLocaleString('en-US')} ops/s`,
  );
  if (onRedis) console.log(`Redis server time per command (INFO commandstats):\n${await serverTimes(url)}`);
  await s.close();
}

runMain(main);
