/**
 * Serial Redis hits of the current sources against an older revision (BENCH_BASELINE), in one
 * process on one Redis, in interleaved blocks whose order alternates each round, so that the
 * round trip's noise hits both alike. Measured in a worker process of its own (job
 * `redis-serial-pair`) by the paired part of the bench, and by `bench/repro/serialHitBeforeAfter.ts`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import * as current from '../../lib/index.js';
import { redisStore } from '../../lib/redis.js';
import { baselineDir } from '../lib/baseline.js';
import { KEYS, makeValue, tagsOf } from '../lib/fixtures.js';

/** Rounds of one pair, and serial calls per block. */
export const SERIAL_PAIR_ROUNDS = 24;
export const SERIAL_PAIR_BLOCK = 2_000;
const TTL = 3_600_000;

type Get = (key: string) => Promise<unknown>;
type Lib = typeof current;
type RedisLib = { redisStore: typeof redisStore };

/** Wall and CPU (user + system) µs per hit of one block. */
export interface BlockTimes {
  readonly wall: number;
  readonly cpu: number;
}

/** What a serial pair measured: the blocks of each side, in round order. */
export interface SerialPairTimes {
  readonly now: readonly BlockTimes[];
  readonly before: readonly BlockTimes[];
}

/** A `withCache` hit function of `lib` on `url` (3 tags with `tags`). */
function subject(lib: Lib, redis: RedisLib, url: string, namespace: string, tags: boolean): Get {
  const cache = lib.createCache({ store: redis.redisStore({ url }), namespace, ttl: TTL, logger: false });
  return lib.withCache(async (key: string) => makeValue(key), {
    cache,
    name: 'item',
    ...(tags ? { tags: (key: string) => tagsOf(key) } : {}),
  });
}

async function block(get: Get): Promise<BlockTimes> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < SERIAL_PAIR_BLOCK; i++) await get(KEYS[i % KEYS.length] as string);
  const used = process.cpuUsage(cpu);
  return {
    wall: ((performance.now() - t) * 1000) / SERIAL_PAIR_BLOCK,
    cpu: (used.user + used.system) / SERIAL_PAIR_BLOCK,
  };
}

/**
 * Measures the pair: both sides warmed on every key and by one discarded block each, then
 * {@link SERIAL_PAIR_ROUNDS} rounds of one block each, in alternating order. The namespaces are fresh per call (`space`).
 *
 * @example
 * ```ts
 * const { now, before } = await measureSerialPair(url, '954fd21', false, 'pair-1');
 * ```
 */
export async function measureSerialPair(
  url: string,
  revision: string,
  tags: boolean,
  space: string,
): Promise<SerialPairTimes> {
  const dir = baselineDir(revision);
  const old = (await import(pathToFileURL(join(dir, 'lib', 'index.js')).href)) as Lib;
  const oldRedis = (await import(pathToFileURL(join(dir, 'lib', 'redis.js')).href)) as RedisLib;
  const now = subject(current, { redisStore }, url, `${space}-now`, tags);
  const before = subject(old, oldRedis, url, `${space}-before`, tags);
  for (const key of KEYS) {
    await now(key);
    await before(key);
  }
  // One discarded block of each side: without it the first round's ratio is 0.5–0.7 (the JIT).
  await block(now);
  await block(before);
  const times = { now: [] as BlockTimes[], before: [] as BlockTimes[] };
  for (let r = 0; r < SERIAL_PAIR_ROUNDS; r++) {
    if (r % 2 === 0) {
      times.now.push(await block(now));
      times.before.push(await block(before));
    } else {
      times.before.push(await block(before));
      times.now.push(await block(now));
    }
  }
  return times;
}
