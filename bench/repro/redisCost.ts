/**
 * Redis time per command of the store's read and write paths (`INFO commandstats`, µs per call),
 * which a loaded machine disturbs far less than throughput: 2,000 misses each followed by a write
 * (3 tags), 2,000 straddling writes (an invalidation of another tag between the miss and the
 * write), then 10,000 hits on the MGET path with the group epoch moved (markers judged).
 *
 *   npx tsx bench/repro/redisCost.ts
 */
import { createClient } from 'redis';
import { redisStore } from '../../lib/redis.js';
import { startRedisServer } from '../../__tests__/setup/redisServers.js';
import { runMain } from '../lib/runMain.js';

const N = 2000;
const tags = ['user:1', 'post:2', 'feed'];
const entry = () => ({
  payload: JSON.stringify({ id: 1, title: 'post', body: 'x'.repeat(900) }),
  tags,
  createdAt: Date.now(),
  ttl: 60_000,
  grace: 0,
  error: false,
});

type Admin = { configResetStat(): Promise<unknown>; info(section: string): Promise<string> };

async function perCall(admin: Admin, run: () => Promise<void>): Promise<string> {
  await admin.configResetStat();
  await run();
  const stats = await admin.info('commandstats');
  return ['evalsha', 'mget']
    .map((c) => new RegExp(`cmdstat_${c}:calls=(\\d+),usec=\\d+,usec_per_call=([\\d.]+)`).exec(stats))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m, i) => `${i === 0 && m[0].startsWith('cmdstat_e') ? 'EVALSHA' : 'MGET'} ${m[2]} µs × ${m[1]}`)
    .join(', ');
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const admin = createClient({ url: server.url });
  await admin.connect();
  const store = redisStore({ url: server.url });
  try {
    console.log(
      'miss + write:',
      await perCall(admin, async () => {
        for (let i = 0; i < N; i++)
          await store.set('c', `k${i}`, entry(), (await store.get('c', `k${i}`)).epoch);
      }),
    );
    console.log(
      'straddling write:',
      await perCall(admin, async () => {
        for (let i = 0; i < N; i++) {
          const r = await store.get('c', `s${i}`);
          await store.invalidate('c', [`other:${i}`], 'drop');
          await store.set('c', `s${i}`, { ...entry(), tags: [...tags, `new:${i}`] }, r.epoch);
        }
      }),
    );
    await store.invalidate('c', ['unrelated'], 'drop');
    console.log(
      'hit (MGET, markers judged):',
      await perCall(admin, async () => {
        for (let i = 0; i < 5 * N; i++) await store.get('c', `k${i % N}`);
      }),
    );
  } finally {
    await store.close();
    await admin.close();
    await server.destroy();
  }
}

runMain(main);
