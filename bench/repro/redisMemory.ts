/**
 * Redis memory of tagcache entries against raw `SET … PX` of the same values: `INFO memory`
 * `used_memory` after writing 100,000 entries minus before (FLUSHALL between runs), for values
 * of ~100 B, ~1 KB and ~10 KB (JSON) and 0, 3 and 10 tags per entry (the first tag is the
 * entry's own, `item:<i>`; the others are shared by all entries). Prints a markdown table.
 *
 *   npx tsx bench/repro/redisMemory.ts        (ENTRIES=10000 for a quicker run)
 */
import { createClient } from 'redis';
import { redisStore } from '../../lib/redis.js';
import { startRedisServer } from '../../__tests__/setup/redisServers.js';
import { runMain } from '../lib/runMain.js';

const ENTRIES = Number(process.env['ENTRIES'] ?? 100_000);
const CHUNK = 1000;
const TTL = 600_000;
const SIZES = [100, 1000, 10_000];
const TAG_COUNTS = [0, 3, 10];

type Admin = ReturnType<typeof createClient>;

const valueOf = (bytes: number): string => JSON.stringify({ id: 1, body: 'x'.repeat(bytes - 19) });
const tagsOf = (i: number, n: number): string[] =>
  n === 0 ? [] : [`item:${i}`, ...Array.from({ length: n - 1 }, (_, j) => `list:${j}`)];

async function usedMemory(admin: Admin): Promise<number> {
  const info = await admin.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1]);
}

/** `used_memory` growth while `write` runs, on an emptied server. */
async function growth(admin: Admin, write: () => Promise<void>): Promise<number> {
  await admin.flushAll();
  const before = await usedMemory(admin);
  await write();
  return (await usedMemory(admin)) - before;
}

async function raw(admin: Admin, value: string): Promise<void> {
  for (let i = 0; i < ENTRIES; i += CHUNK)
    await Promise.all(
      Array.from({ length: CHUNK }, (_, j) => admin.set(`raw:k${i + j}`, value, { PX: TTL })),
    );
}

async function tagged(url: string, value: string, tags: number): Promise<void> {
  const store = redisStore({ url });
  try {
    for (let i = 0; i < ENTRIES; i += CHUNK) {
      const items = Array.from({ length: CHUNK }, (_, j) => ({
        key: `k${i + j}`,
        entry: {
          payload: value,
          tags: tagsOf(i + j, tags),
          createdAt: Date.now(),
          ttl: TTL,
          grace: 0,
          error: false,
        },
      }));
      await store.setMany!('c', items);
    }
  } finally {
    await store.close();
  }
}

const mib = (b: number): string => (b / 2 ** 20).toFixed(1);

async function main(): Promise<void> {
  const server = await startRedisServer();
  const admin: Admin = createClient({ url: server.url, commandOptions: { timeout: 0 } });
  await admin.connect();
  try {
    console.log(
      `${ENTRIES.toLocaleString('en-US')} entries, Redis ${/redis_version:(\S+)/.exec(await admin.info('server'))?.[1]}`,
    );
    console.log('| value | tags | raw SET … PX MiB | tagcache MiB | ratio |');
    console.log('| ----- | ---- | ---------------- | ------------ | ----- |');
    for (const size of SIZES) {
      const value = valueOf(size);
      const rawBytes = await growth(admin, () => raw(admin, value));
      for (const tags of TAG_COUNTS) {
        const ours = await growth(admin, () => tagged(server.url, value, tags));
        const label = `${value.length.toLocaleString('en-US')} B`;
        console.log(
          `| ${label} | ${tags} | ${mib(rawBytes)} | ${mib(ours)} | ${(ours / rawBytes).toFixed(2)}× |`,
        );
      }
    }
  } finally {
    await admin.close();
    await server.destroy();
  }
}

runMain(main);
