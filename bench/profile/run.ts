/**
 * Profiles the hot paths: bundles `hot.ts` with esbuild (readable code and a source map, so the
 * profile names real files and lines), runs each scenario under `node --cpu-prof`, and prints the
 * top self-time functions mapped back to the sources. Processes are pinned as in the benchmark
 * (BENCH_PIN, see lib/placement.ts).
 *
 *   npx tsx bench/profile/run.ts [scenario[:inflight] ...]
 *   (default: memory memory-lru redis-raw redis redis-raw:50 redis-raw-als:50 redis-notags:50 redis:50)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from '../lib/env.js';
import { pinnedCommand, placement } from '../lib/placement.js';
import { startRedis } from '../lib/redisServer.js';
import { printSummary } from './summarize.js';
import { runMain } from '../lib/runMain.js';

const OUT = join(ROOT, '.tmp', 'profile');
const DEFAULT = [
  'memory',
  'memory-lru',
  'redis-raw',
  'redis',
  'redis-raw:50',
  'redis-raw-als:50',
  'redis-notags:50',
  'redis:50',
];

async function main(): Promise<void> {
  const scenarios = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT;
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const bundle = join(OUT, 'hot.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench', 'profile', 'hot.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'external',
    outfile: bundle,
    logLevel: 'error',
  });
  const redis = await startRedis();
  try {
    for (const s of scenarios) {
      const [scenario = 'memory', inflight = '1'] = s.split(':');
      const dir = join(OUT, s.replace(':', '-'));
      const [command, args] = pinnedCommand(placement().node, process.execPath, [
        '--cpu-prof',
        `--cpu-prof-dir=${dir}`,
        bundle,
        scenario,
        inflight,
      ]);
      const r = spawnSync(command, args, {
        cwd: ROOT,
        env: { ...process.env, REDIS_URL: redis.url },
        encoding: 'utf8',
      });
      console.log(`\n=== ${s}\n${r.stdout}${r.stderr}`);
      for (const f of readdirSync(dir)) printSummary(join(dir, f), 22);
    }
  } finally {
    await redis.stop();
  }
}

runMain(main);
