/**
 * `npm run bench`: tagcache beside raw clients and its peers (bentocache, @epic-web/cachified,
 * cache-manager) in one process run and against one Redis. Prints a table of medians and ratios
 * and writes docs/benchmarks.md.
 *
 * Throughput subjects run in fresh child processes (bench/worker.ts), one per measurement, in
 * rounds (3, or BENCH_ROUNDS; alternating order; 3 rather than 5 for Redis hits since the tiered and
 * kv parts joined the run, to keep it near 8 minutes on 2 cores);
 * the median round is kept. The results also go to .tmp/bench/results.json (see bench/render.ts).
 *
 * Environment: REDIS_URL to use an existing Redis (it is not flushed); BENCH_SCALE (default 1)
 * scales the time budget of each throughput task; BENCH_ROUNDS; BENCH_PIN=same|split|off
 * (CPU placement, see lib/placement.ts);
 * BENCH_ONLY=memory,redis,miss,invalidation,stampede,tiered,kv,paired runs a subset (the page is then not written;
 * the goals of the parts not run say "not measured"). `memory` includes the memory-tier hits of the
 * tiered stores (tagcache's and bentocache's, in front of this Redis); `tiered` counts their Redis
 * commands per hit and measures invalidation across 3 processes; `kv` measures getOrSet hits and
 * getMany of 100 keys against bentocache and cache-manager; `paired` measures the comparisons
 * asked to a few percent as pairs, the median of per-round ratios (7 rounds, or BENCH_ROUNDS; see
 * lib/pairs.ts, workloads/paired.ts): a decorated method against `withCache`, and, with
 * BENCH_BASELINE, the memory hit and the serial Redis hit against the older revision. Every figure
 * goes into the results and onto the page, with the goals of each issue (lib/goals.ts).
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
import type {
  CommandsPerHit,
  Group,
  InvalidationResult,
  Results,
  StampedeResult,
  TieredResult,
} from './lib/results.js';
import { invalidation } from './workloads/invalidation.js';
import { memoryHit } from './workloads/memoryHit.js';
import { missWrite } from './workloads/missWrite.js';
import { redisHit } from './workloads/redisHit.js';
import { stampede } from './workloads/stampede.js';
import { tiered } from './workloads/tiered.js';
import { keyValue } from './workloads/keyValue.js';
import { paired } from './workloads/paired.js';
import type { PairResult } from './lib/pairs.js';
import { runMain } from './lib/runMain.js';

const PARTS = ['memory', 'redis', 'miss', 'invalidation', 'stampede', 'tiered', 'kv', 'paired'] as const;
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
  const rounds = { memory: roundCount(3), redis: roundCount(3), paired: roundCount(7) };
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const redis = await startRedis();
  const admin = await redisAdmin(redis.url);
  const counter = await commandCounter(redis.url);
  const groups: Group[] = [];
  let commands: CommandsPerHit[] = [];
  let inv: InvalidationResult[] = [];
  let storms: StampedeResult[] = [];
  let tieredFigures: TieredResult | undefined;
  let pairs: PairResult[] | undefined;
  const partsSec: Partial<Record<Part, number>> = {};
  try {
    log(`Redis at ${redis.url}${redis.owned ? ' (started for this run)' : ''}`);
    if (baseline !== undefined)
      log(`Baseline: tagcache@${baseline} (lib/ in .tmp/bench-baseline/${baseline})`);
    /** Runs part `p` when selected, logging its title and its duration. */
    const part = async (p: Part, title: string, fn: () => Promise<void>): Promise<void> => {
      if (!parts.has(p)) return;
      log(`\n${title}`);
      const started = performance.now();
      await fn();
      const sec = (performance.now() - started) / 1000;
      partsSec[p] = Math.round(sec);
      log(`  (${p}: ${Math.round(sec)} s)`);
    };
    await part('memory', 'Memory hit, serial (tiered stores included)', async () => {
      groups.push(await memoryHit(redis.url, rounds.memory, log));
    });
    await part('redis', 'Redis hit, serial and 50 in flight', async () => {
      const r = await redisHit(redis.url, rounds.redis, log);
      groups.push(r.serial, r.concurrent);
      commands = r.commands;
    });
    await part('miss', 'Miss + write on Redis', async () => {
      groups.push(await missWrite(redis.url, rounds.memory, log));
    });
    await part('invalidation', 'Invalidation of one tag', async () => {
      inv = await invalidation(redis.url, admin, counter, redis.owned, log);
    });
    await part('stampede', 'Stampede', async () => {
      storms = await stampede(redis.url, log, counter);
    });
    await part('tiered', 'Tiered store (memory in front of Redis, 3 processes)', async () => {
      tieredFigures = await tiered(redis.url, log);
    });
    await part('kv', 'Key-value API: getOrSet hits, getMany of 100 keys', async () => {
      groups.push(...(await keyValue(redis.url, rounds.memory, log)));
    });
    await part(
      'paired',
      'Paired comparisons (decorated vs withCache; before/after with BENCH_BASELINE)',
      async () => {
        pairs = await paired(redis.url, rounds.paired, log);
      },
    );
    const partial = {
      groups,
      commandsPerHit: commands,
      stampede: storms,
      ...(tieredFigures === undefined ? {} : { tiered: tieredFigures }),
      ...(pairs === undefined ? {} : { pairs }),
      ...(baseline === undefined ? {} : { baseline }),
    };
    const results: Results = {
      startedAt,
      rounds,
      durationSec: (performance.now() - t0) / 1000,
      partsSec,
      machine: machineInfo(await admin.version(), redis.url, placement().description),
      versions: packageVersions(),
      revision: libRevision(),
      ...(baseline === undefined ? {} : { baseline }),
      groups,
      commandsPerHit: commands,
      invalidation: inv,
      stampede: storms,
      ...(tieredFigures === undefined ? {} : { tiered: tieredFigures }),
      ...(pairs === undefined ? {} : { pairs }),
      goals: evaluateGoals(partial),
    };
    console.log(renderConsole(results));
    mkdirSync(dirname(RESULTS_JSON), { recursive: true });
    writeFileSync(RESULTS_JSON, JSON.stringify(results, null, 2));
    if (parts.size === PARTS.length) {
      writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), renderMarkdown(results));
      log(`\nWrote docs/benchmarks.md and ${relative(ROOT, RESULTS_JSON)}`);
    } else log(`\nWrote ${relative(ROOT, RESULTS_JSON)} (a subset: docs/benchmarks.md not written)`);
    const each = Object.entries(partsSec).map(([p, sec]) => `${p} ${sec} s`);
    log(`Duration: ${Math.round(results.durationSec)} s (${each.join(', ')})`);
  } finally {
    await counter.close();
    await admin.close();
    await redis.stop();
  }
}

runMain(main);
