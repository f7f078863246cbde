/**
 * `npm run bench`: tagcache beside raw clients and its peers (bentocache, @epic-web/cachified,
 * cache-manager) in one process run and against one Redis. Prints a table of medians and ratios
 * and writes docs/benchmarks.md.
 *
 * Throughput subjects run in fresh child processes (bench/worker.ts), one per measurement, in
 * rounds (3 for memory hits and misses, 5 for Redis hits, or BENCH_ROUNDS; alternating order);
 * the median round is kept. The results also go to .tmp/bench/results.json (see bench/render.ts).
 *
 * Environment: REDIS_URL to use an existing Redis (it is not flushed); BENCH_SCALE (default 1)
 * scales the time budget of each throughput task; BENCH_ROUNDS; BENCH_PIN=same|split|off
 * (CPU placement, see lib/placement.ts);
 * BENCH_ONLY=memory,redis,miss,invalidation,stampede,tiered,kv runs a subset (the page is then not written;
 * `kv` prints its own table: getOrSet hits and getMany of 100 keys against bentocache and cache-manager).
 *
 * BENCH_BASELINE=<git rev> measures an older tagcache beside the current sources in the same run:
 * that revision's lib/ is exported (git archive) into .tmp/bench-baseline/<commit>/lib, inside the
 * repository so that it resolves this checkout's node_modules, and the memory and Redis hit tables
 * gain "tagcache@<commit> memory|redis, no tags|3 tags" rows (loaded by dynamic import from that
 * folder, each in its own process like every subject; see lib/baseline.ts,
 * peers/tagcacheRevision.ts), a "vs tagcache@<commit>" column and a before-and-after table (which
 * also gives the cost of metrics: "metrics on" rows against the same subject with no listener).
 * Example: BENCH_BASELINE=954fd21 BENCH_ONLY=memory,redis npx tsx bench/run.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { prepareBaseline } from './lib/baseline.js';
import { commandCounter } from './lib/commandCounter.js';
import { libRevision, machineInfo, packageVersions, RESULTS_JSON, ROOT } from './lib/env.js';
import { evaluateGoals } from './lib/goals.js';
import { placement } from './lib/placement.js';
import { redisAdmin } from './lib/redisInfo.js';
import { startRedis } from './lib/redisServer.js';
import { roundCount } from './lib/rounds.js';
import { renderConsole, renderMarkdown } from './lib/report.js';
import type { CommandsPerHit, Group, InvalidationResult, Results, StampedeResult } from './lib/results.js';
import { invalidation } from './workloads/invalidation.js';
import { memoryHit } from './workloads/memoryHit.js';
import { missWrite } from './workloads/missWrite.js';
import { redisHit } from './workloads/redisHit.js';
import { stampede } from './workloads/stampede.js';
import { tiered } from './workloads/tiered.js';
import { keyValue } from './workloads/keyValue.js';
import { runMain } from './lib/runMain.js';

const PARTS = ['memory', 'redis', 'miss', 'invalidation', 'stampede', 'tiered', 'kv'] as const;
type Part = (typeof PARTS)[number];

function selectedParts(): ReadonlySet<Part> {
  const only = process.env['BENCH_ONLY'];
  if (!only) return new Set(PARTS);
  const wanted = only.split(',').map((s) => s.trim());
  const unknown = wanted.filter((w) => !(PARTS as readonly string[]).includes(w));
  if (unknown.length > 0)
    throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')} (expected ${PARTS.join(', ')})`);
  return new Set(wanted as Part[]);
}

const log = (line: string): void => console.log(line);

async function main(): Promise<void> {
  const parts = selectedParts();
  const baseline = prepareBaseline();
  const rounds = { memory: roundCount(3), redis: roundCount(5) };
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const redis = await startRedis();
  const admin = await redisAdmin(redis.url);
  const counter = await commandCounter(redis.url);
  const groups: Group[] = [];
  let commands: CommandsPerHit[] = [];
  let inv: InvalidationResult[] = [];
  let storms: StampedeResult[] = [];
  try {
    log(`Redis at ${redis.url}${redis.owned ? ' (started for this run)' : ''}`);
    if (baseline !== undefined)
      log(`Baseline: tagcache@${baseline} (lib/ in .tmp/bench-baseline/${baseline})`);
    if (parts.has('memory')) {
      log('\nMemory hit, serial');
      groups.push(await memoryHit(rounds.memory, log));
    }
    if (parts.has('redis')) {
      log('\nRedis hit, serial and 50 in flight');
      const r = await redisHit(redis.url, rounds.redis, log);
      groups.push(r.serial, r.concurrent);
      commands = r.commands;
    }
    if (parts.has('miss')) {
      log('\nMiss + write on Redis');
      groups.push(await missWrite(redis.url, rounds.memory, log));
    }
    if (parts.has('invalidation')) {
      log('\nInvalidation of one tag');
      inv = await invalidation(redis.url, admin, counter, redis.owned, log);
    }
    if (parts.has('stampede')) {
      log('\nStampede');
      storms = await stampede(redis.url, log);
    }
    if (parts.has('tiered')) {
      log('\nTiered store (memory in front of Redis, 3 processes)');
      await tiered(redis.url, counter, log);
    }
    if (parts.has('kv')) {
      log('\nKey-value API: getOrSet hits, getMany of 100 keys');
      await keyValue(redis.url, log);
    }
    const results: Results = {
      startedAt,
      rounds,
      durationSec: (performance.now() - t0) / 1000,
      machine: machineInfo(await admin.version(), redis.url, placement().description),
      versions: packageVersions(),
      revision: libRevision(),
      ...(baseline === undefined ? {} : { baseline }),
      groups,
      commandsPerHit: commands,
      invalidation: inv,
      stampede: storms,
      goals: evaluateGoals(groups, commands, storms),
    };
    console.log(renderConsole(results));
    mkdirSync(dirname(RESULTS_JSON), { recursive: true });
    writeFileSync(RESULTS_JSON, JSON.stringify(results, null, 2));
    if (parts.size === PARTS.length) {
      writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), renderMarkdown(results));
      log(
        `\nWrote docs/benchmarks.md and ${relative(ROOT, RESULTS_JSON)} (${Math.round(results.durationSec)} s)`,
      );
    }
  } finally {
    await counter.close();
    await admin.close();
    await redis.stop();
  }
}

runMain(main);
