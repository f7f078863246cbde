/**
 * Server-side cost of one hit, by script variant: what a `GET` costs Redis, what the smallest Lua
 * script costs, what tagcache's GET script costs on a 3-tag entry (in a quiet group, and once the
 * group epoch has moved since the write, so that the tag markers are read), and what a
 * script-free read of the entry with its group epoch and tag markers in one `MGET` costs. 50 calls in flight for a few
 * seconds each; figures are Redis' own `usec_per_call` (INFO commandstats).
 *
 *   npx tsx bench/profile/luaCost.ts
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createClient } from 'redis';
import { GET_LUA } from '../../lib/stores/redis/scripts.js';
import { countingLoader, KEYS } from '../lib/fixtures.js';
import { startRedis } from '../lib/redisServer.js';
import { tagcacheRedis } from '../peers/tagcache.js';
import { runMain } from '../lib/runMain.js';

const SECONDS = Number(process.env['PROFILE_SECONDS'] ?? '3');

const MINIMAL = `return redis.call('GET', KEYS[1])`;
const ENTRY_ONLY = `return redis.call('GET', KEYS[1])`;

/** What the measurement needs of a node-redis client. */
interface Client {
  info(section: string): Promise<string>;
  configResetStat(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
}

async function usecPerCall(admin: Client, command: string): Promise<number> {
  const info = await admin.info('commandstats');
  const m = new RegExp(`^cmdstat_${command}:.*usec_per_call=([\\d.]+)`, 'm').exec(info);
  return Number(m?.[1] ?? NaN);
}

async function run(
  admin: Client,
  client: Client,
  label: string,
  command: string,
  args: (i: number) => string[],
): Promise<void> {
  await admin.configResetStat();
  const end = performance.now() + SECONDS * 1000;
  let ops = 0;
  const worker = async (w: number): Promise<void> => {
    for (let i = w; performance.now() < end; i += 50) {
      await client.sendCommand(args(i));
      ops++;
    }
  };
  await Promise.all(Array.from({ length: 50 }, (_, w) => worker(w)));
  console.log(
    `${label.padEnd(48)} ${(await usecPerCall(admin, command)).toFixed(2).padStart(6)} µs/call on the server, ${Math.round(ops / SECONDS).toLocaleString('en-US')} calls/s`,
  );
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const admin = createClient({ url: redis.url });
  const client = createClient({ url: redis.url, commandOptions: { timeout: 0 } });
  await Promise.all([admin.connect(), client.connect()]);
  try {
    const t = tagcacheRedis(redis.url, { tags: true, namespace: 'lua' }, countingLoader());
    for (const k of KEYS) await t.get(k);
    await t.close();
    const entryKeys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: 'tc:{lua|*:k:*', COUNT: 1000 }))
      entryKeys.push(...batch);
    const prefix = entryKeys[0]!.slice(0, entryKeys[0]!.indexOf(':k:') + 1);
    const rawKeys = KEYS.map((k) => `raw:${k}`);
    for (const [i, k] of entryKeys.entries()) {
      const entry = (await client.get(k)) ?? '';
      await client.set(rawKeys[i % rawKeys.length]!, entry.slice(entry.indexOf('\n') + 1)); // entry = header line + payload
    }
    const sha = async (src: string): Promise<string> => {
      await client.scriptLoad(src);
      return createHash('sha1').update(src).digest('hex');
    };
    const [minimal, hash, current] = await Promise.all([MINIMAL, ENTRY_ONLY, GET_LUA].map(sha));
    const nth = (i: number): string => entryKeys[i % entryKeys.length]!;
    await run(admin, client, 'GET (1 KB string)', 'get', (i) => ['GET', rawKeys[i % rawKeys.length]!]);
    const markers = ['e', 't:items', 't:seller:1', 't:shelf:1'].map((m) => prefix + m);
    await run(admin, client, 'MGET: 1 KB entry + epoch + 3 tag markers (no Lua)', 'mget', (i) => [
      'MGET',
      rawKeys[i % rawKeys.length]!,
      ...markers,
    ]);
    await run(admin, client, 'EVALSHA: return GET (Lua floor)', 'evalsha', (i) => [
      'EVALSHA',
      minimal!,
      '1',
      rawKeys[i % rawKeys.length]!,
    ]);
    await run(admin, client, 'EVALSHA: GET of the entry string only', 'evalsha', (i) => [
      'EVALSHA',
      hash!,
      '1',
      nth(i),
    ]);
    await run(admin, client, 'EVALSHA: tagcache GET_LUA, 3 tags, quiet group', 'evalsha', (i) => [
      'EVALSHA',
      current!,
      '1',
      nth(i),
      prefix,
    ]);
    await client.incr(`${prefix}e`);
    await run(admin, client, 'EVALSHA: tagcache GET_LUA, 3 tags, epoch moved', 'evalsha', (i) => [
      'EVALSHA',
      current!,
      '1',
      nth(i),
      prefix,
    ]);
  } finally {
    await admin.close();
    await client.close();
    await redis.stop();
  }
}

runMain(main);
