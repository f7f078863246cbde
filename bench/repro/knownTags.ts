/**
 * Redis hits/s with 100,000 entries (3 tags, ~1 KB) read by a store that did not write them (its
 * memory of known tag lists starts empty and holds 10,000 keys), 50 reads in flight, for three
 * access patterns: uniform over all 100,000 keys, uniform over a hot set of 12,000 (more than the
 * memo), and skewed (log-uniform rank) over all. Shows the share of reads on the MGET path
 * (`INFO commandstats`); the rest go through the GET script.
 *
 *   npx tsx bench/repro/knownTags.ts
 */
import { createClient } from 'redis';
import { redisStore } from '../../lib/redis.js';
import { startRedisServer } from '../../__tests__/setup/redisServers.js';
import { runMain } from '../lib/runMain.js';

const KEYS = 100_000;
const READS = 100_000;
const IN_FLIGHT = 50;
const payload = JSON.stringify({ id: 1, title: 'post', body: 'x'.repeat(900) });
const entry = () => ({
  payload,
  tags: ['user:1', 'post:2', 'feed'],
  createdAt: Date.now(),
  ttl: 600_000,
  grace: 0,
  error: false,
});

const patterns: Record<string, () => number> = {
  'uniform over 100,000': () => Math.floor(Math.random() * KEYS),
  'hot set of 12,000': () => Math.floor(Math.random() * 12_000),
  'skewed (log-uniform rank)': () => Math.floor(KEYS ** Math.random()) - 1,
};

async function calls(admin: { info(section: string): Promise<string> }, cmd: string): Promise<number> {
  const stats = await admin.info('commandstats');
  return Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const admin = createClient({ url: server.url });
  await admin.connect();
  const writer = redisStore({ url: server.url });
  try {
    for (let i = 0; i < KEYS; i += 1000)
      await writer.setMany!(
        'c',
        Array.from({ length: 1000 }, (_, j) => ({ key: `k${i + j}`, entry: entry() })),
      );
    for (const [name, next] of Object.entries(patterns)) {
      const reader = redisStore({ url: server.url });
      await reader.get('c', 'warm-up');
      await admin.configResetStat();
      let done = 0;
      let hits = 0;
      const t0 = performance.now();
      const worker = async (): Promise<void> => {
        while (done++ < READS) if ((await reader.get('c', `k${next()}`)).hit) hits += 1;
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      const s = (performance.now() - t0) / 1000;
      const mget = await calls(admin, 'mget');
      const script = await calls(admin, 'evalsha');
      console.log(
        `${name}: ${Math.round(hits / s).toLocaleString('en-US')} hits/s, ` +
          `MGET ${((100 * mget) / (mget + script)).toFixed(1)}% of reads (${mget} MGET, ${script} EVALSHA)`,
      );
      await reader.close();
    }
  } finally {
    await writer.close();
    await admin.close();
    await server.destroy();
  }
}

runMain(main);
