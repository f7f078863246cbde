/**
 * Redis memory of tagcache entries against raw `SET … PX` of the same values: `INFO memory`
 * `used_memory` after writing the entries minus before (FLUSHALL between runs).
 *
 * 1. The grid: 100,000 entries of ~100 B, ~1 KB and ~10 KB (JSON) values with 0, 3 and 10 tags
 *    (the first tag is the entry's own, `item:<i>`; the others are shared by all entries), and 3
 *    shared tags only.
 * 2. A sweep of value sizes around 1 KB (20,000 entries each) with 0 tags and 2 shared tags,
 *    where jemalloc's size classes (…, 896, 1024, 1280, … bytes) show: a value that fits a class
 *    in raw Redis can need the next one with a header in front.
 * 3. `MEMORY USAGE` and the stored length of one key of each kind (raw value, entry, marker).
 *
 * Prints markdown tables.
 *
 *   npx tsx bench/repro/redisMemory.ts        (ENTRIES=10000 SWEEP_ENTRIES=5000 for a quicker run)
 */
import { createClient } from 'redis';
import { redisStore } from '../../lib/redis.js';
import { startRedisServer } from '../../__tests__/setup/redisServers.js';
import { runMain } from '../lib/runMain.js';

const ENTRIES = Number(process.env['ENTRIES'] ?? 100_000);
const SWEEP_ENTRIES = Number(process.env['SWEEP_ENTRIES'] ?? 20_000);
const CHUNK = 1000;
const TTL = 600_000;
const SIZES = [100, 1000, 10_000];
const SWEEP = Array.from({ length: 21 }, (_, i) => 900 + 10 * i);

type Admin = ReturnType<typeof createClient>;
/** Tags of entry `i`: `n` tags, the first the entry's own unless `shared`. */
interface TagMode {
  readonly n: number;
  readonly shared: boolean;
}
const GRID_MODES: readonly TagMode[] = [
  { n: 0, shared: false },
  { n: 3, shared: false },
  { n: 10, shared: false },
  { n: 3, shared: true },
];
const SWEEP_MODES: readonly TagMode[] = [
  { n: 0, shared: false },
  { n: 2, shared: true },
];

/** A JSON value of `bytes - 1` bytes (as in the figures since issue 16). */
const valueOf = (bytes: number): string => JSON.stringify({ id: 1, body: 'x'.repeat(bytes - 19) });
const tagsOf = (i: number, m: TagMode): string[] => {
  const shared = Array.from({ length: m.n }, (_, j) => `list:${j}`);
  return m.shared || m.n === 0 ? shared : [`item:${i}`, ...shared.slice(0, m.n - 1)];
};
const modeLabel = (m: TagMode): string => (m.n === 0 ? '0' : m.shared ? `${m.n} shared` : String(m.n));

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

async function raw(admin: Admin, value: string, entries: number): Promise<void> {
  for (let i = 0; i < entries; i += CHUNK)
    await Promise.all(
      Array.from({ length: CHUNK }, (_, j) => admin.set(`raw:k${i + j}`, value, { PX: TTL })),
    );
}

async function tagged(url: string, value: string, mode: TagMode, entries: number): Promise<void> {
  const store = redisStore({ url });
  try {
    for (let i = 0; i < entries; i += CHUNK) {
      const items = Array.from({ length: CHUNK }, (_, j) => ({
        key: `k${i + j}`,
        entry: {
          payload: value,
          tags: tagsOf(i + j, mode),
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
const ratio = (ours: number, base: number): string => `${(ours / base).toFixed(2)}×`;

async function grid(admin: Admin, url: string): Promise<void> {
  console.log(`\n${ENTRIES.toLocaleString('en-US')} entries`);
  console.log('| value | tags | raw SET … PX MiB | tagcache MiB | ratio | B/entry over raw |');
  console.log('| ----- | ---- | ---------------- | ------------ | ----- | ---------------- |');
  for (const size of SIZES) {
    const value = valueOf(size);
    const rawBytes = await growth(admin, () => raw(admin, value, ENTRIES));
    for (const mode of GRID_MODES) {
      const ours = await growth(admin, () => tagged(url, value, mode, ENTRIES));
      const label = `${value.length.toLocaleString('en-US')} B`;
      const over = Math.round((ours - rawBytes) / ENTRIES);
      console.log(
        `| ${label} | ${modeLabel(mode)} | ${mib(rawBytes)} | ${mib(ours)} | ${ratio(ours, rawBytes)} | ${over} |`,
      );
    }
  }
}

async function sweep(admin: Admin, url: string): Promise<void> {
  console.log(`\nValue sizes around 1 KB, ${SWEEP_ENTRIES.toLocaleString('en-US')} entries each`);
  const heads = SWEEP_MODES.map((m) => `${modeLabel(m)} tags`);
  console.log(`| value | raw B/entry | ${heads.map((h) => `${h}: B/entry | ratio`).join(' | ')} |`);
  console.log(`| ----- | ----------- | ${heads.map(() => '---- | -----').join(' | ')} |`);
  for (const size of SWEEP) {
    const value = valueOf(size);
    const rawBytes = await growth(admin, () => raw(admin, value, SWEEP_ENTRIES));
    const cells: string[] = [];
    for (const mode of SWEEP_MODES) {
      const ours = await growth(admin, () => tagged(url, value, mode, SWEEP_ENTRIES));
      cells.push(`${Math.round(ours / SWEEP_ENTRIES)} | ${ratio(ours, rawBytes)}`);
    }
    console.log(`| ${value.length} B | ${Math.round(rawBytes / SWEEP_ENTRIES)} | ${cells.join(' | ')} |`);
  }
}

/** `MEMORY USAGE` (value, key name and dict entry; not the expiry entry nor the hash buckets). */
async function samples(admin: Admin, url: string): Promise<void> {
  await admin.flushAll();
  const value = valueOf(1000);
  await admin.set('raw:k12345', value, { PX: TTL });
  await tagged(url, value, { n: 3, shared: false }, 1);
  await tagged(url, value, { n: 0, shared: false }, 1); // k0 again, without tags
  console.log('\nOne key of each kind (999 B value)');
  console.log('| key | name bytes | stored bytes | MEMORY USAGE |');
  console.log('| --- | ---------- | ------------ | ------------ |');
  for (const key of ['raw:k12345', 'tc:{c|0}:k:k0', 'tc:{c|0}:t:item:0', 'tc:{c|0}:t:list:0']) {
    const usage = await admin.sendCommand(['MEMORY', 'USAGE', key, 'SAMPLES', '0']);
    const stored = await admin.strLen(key);
    console.log(`| \`${key}\` | ${key.length} | ${stored} | ${String(usage)} |`);
  }
  const entry = (await admin.get('tc:{c|0}:k:k0')) ?? '';
  console.log(`\nEntry header (0 tags): ${JSON.stringify(entry.slice(0, entry.indexOf('\n') + 1))}`);
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const admin: Admin = createClient({ url: server.url, commandOptions: { timeout: 0 } });
  await admin.connect();
  try {
    console.log(`Redis ${/redis_version:(\S+)/.exec(await admin.info('server'))?.[1]}`);
    const parts = (process.env['PARTS'] ?? 'grid,sweep,samples').split(',');
    if (parts.includes('samples')) await samples(admin, server.url);
    if (parts.includes('grid')) await grid(admin, server.url);
    if (parts.includes('sweep')) await sweep(admin, server.url);
  } finally {
    await admin.close();
    await server.destroy();
  }
}

runMain(main);
