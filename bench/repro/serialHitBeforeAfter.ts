/**
 * Serial Redis hits of the current sources against an older revision, in one process on one
 * Redis, in interleaved blocks (the order alternates each round), so that the round trip's noise
 * hits both alike: the median wall time and CPU time (user + system) per hit of each, and the
 * median of the per-round ratios. The full bench measures each subject in its own process, where
 * the serial rows move by ±10–30% between rounds; this is the paired check behind its
 * before/after rows.
 *
 *   BENCH_BASELINE=954fd21 npx tsx bench/repro/serialHitBeforeAfter.ts [--tags]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import * as current from '../../lib/index.js';
import { redisStore } from '../../lib/redis.js';
import { baselineDir, prepareBaseline } from '../lib/baseline.js';
import { KEYS, makeValue, tagsOf } from '../lib/fixtures.js';
import { startRedis } from '../lib/redisServer.js';
import { runMain } from '../lib/runMain.js';

const ROUNDS = 24;
const BLOCK = 2_000;
const TTL = 3_600_000;

type Get = (key: string) => Promise<unknown>;
type Lib = typeof current;
type RedisLib = { redisStore: typeof redisStore };

/** A `withCache` hit function of `lib` on `url` (3 tags with `--tags`). */
function subject(lib: Lib, redis: RedisLib, url: string, namespace: string, tags: boolean): Get {
  const cache = lib.createCache({ store: redis.redisStore({ url }), namespace, ttl: TTL, logger: false });
  return lib.withCache(async (key: string) => makeValue(key), {
    cache,
    name: 'item',
    ...(tags ? { tags: (key: string) => tagsOf(key) } : {}),
  });
}

/** Wall and CPU µs per hit over one block of serial calls. */
async function block(get: Get): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < BLOCK; i++) await get(KEYS[i % KEYS.length] as string);
  const used = process.cpuUsage(cpu);
  return { wall: ((performance.now() - t) * 1000) / BLOCK, cpu: (used.user + used.system) / BLOCK };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

runMain(async () => {
  const commit = prepareBaseline();
  if (commit === undefined) throw new Error('set BENCH_BASELINE=<git rev> (the revision to compare with)');
  const tags = process.argv.includes('--tags');
  const dir = baselineDir(commit);
  const old = (await import(pathToFileURL(join(dir, 'lib', 'index.js')).href)) as Lib;
  const oldRedis = (await import(pathToFileURL(join(dir, 'lib', 'redis.js')).href)) as RedisLib;
  const server = await startRedis();
  try {
    const now = subject(current, { redisStore }, server.url, 'ab-now', tags);
    const before = subject(old, oldRedis, server.url, 'ab-before', tags);
    for (const key of KEYS) {
      await now(key);
      await before(key);
    }
    const rows = {
      now: [] as { wall: number; cpu: number }[],
      before: [] as { wall: number; cpu: number }[],
    };
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        rows.now.push(await block(now));
        rows.before.push(await block(before));
      } else {
        rows.before.push(await block(before));
        rows.now.push(await block(now));
      }
    }
    const ratio = (field: 'wall' | 'cpu'): number =>
      median(rows.now.map((n, i) => (rows.before[i] as { wall: number; cpu: number })[field] / n[field]));
    const show = (field: 'wall' | 'cpu'): string =>
      `${median(rows.now.map((x) => x[field])).toFixed(1)} µs now, ${median(rows.before.map((x) => x[field])).toFixed(1)} µs at ${commit}; speed now ÷ before ${ratio(field).toFixed(3)}×`;
    console.log(
      `serial Redis hit, ${tags ? '3 tags' : 'no tags'}, ${ROUNDS} interleaved rounds of ${BLOCK}:`,
    );
    console.log(`  wall: ${show('wall')}`);
    console.log(`  CPU:  ${show('cpu')}`);
  } finally {
    await server.stop();
  }
});
