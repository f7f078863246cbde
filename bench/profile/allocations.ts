/**
 * What a Redis hit allocates, measured without timing (so the figure holds on a loaded machine):
 * V8's sampling heap profiler, keeping the samples of objects the young and old generation
 * collections already freed, over a run of serial hits; plus the count of young-generation
 * collections (scavenges) per 10,000 hits. Compares tagcache (3 tags, no tags) with node-redis GET
 * (timer off) in the same process run, each in a fresh child.
 *
 *   npx tsx bench/profile/allocations.ts [hits]      (a redis-server is started for the run)
 *   ALLOC_SAMPLE=0 npx tsx bench/profile/allocations.ts 200000   (scavenge counts only)
 *   ALLOC_SITES=40 …                                             (more allocation sites)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../lib/env.js';
import { countingLoader, KEYS } from '../lib/fixtures.js';
import { startRedis } from '../lib/redisServer.js';
import { runMain } from '../lib/runMain.js';
import type { Subject } from '../lib/subject.js';
import { rawRedisSubject } from '../peers/baselines.js';
import { tagcacheRedis } from '../peers/tagcache.js';

const OUT = join(ROOT, '.tmp', 'alloc');
const SCENARIOS = ['redis-raw', 'redis-notags', 'redis'] as const;
type Scenario = (typeof SCENARIOS)[number];
/** Bytes between two samples: small enough that per-hit figures are stable. */
const INTERVAL = 256;
/** ALLOC_SAMPLE=0: only count scavenges (no inspector session, which may itself cost allocations). */
const SAMPLE = process.env['ALLOC_SAMPLE'] !== '0';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

function subjectFor(scenario: Scenario, url: string): Subject | Promise<Subject> {
  if (scenario === 'redis-raw') return rawRedisSubject(url, 'off', countingLoader());
  return tagcacheRedis(url, { tags: scenario === 'redis', namespace: `alloc-${scenario}` }, countingLoader());
}

/** Self bytes by function, over the whole tree. */
function bySite(node: ProfileNode, into: Map<string, number>): Map<string, number> {
  const f = node.callFrame;
  const file = f.url.replace(/^.*\/(node_modules|lib|bench|\.tmp)\//, '$1/');
  const site = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  if (node.selfSize > 0) into.set(site, (into.get(site) ?? 0) + node.selfSize);
  for (const c of node.children) bySite(c, into);
  return into;
}

async function child(scenario: Scenario, url: string, hits: number): Promise<void> {
  const subject = await subjectFor(scenario, url);
  for (let i = 0; i < 2000; i++) await subject.get(KEYS[i % KEYS.length]!); // warm, JIT
  let scavenges = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if ((e as { detail?: { kind?: number } }).detail?.kind === 1) scavenges++;
  });
  gc.observe({ entryTypes: ['gc'] });
  if (!SAMPLE) {
    for (let i = 0; i < hits; i++) await subject.get(KEYS[i % KEYS.length]!);
    await new Promise((r) => setImmediate(r));
    gc.disconnect();
    await subject.close();
    console.log(`${subject.name}: ${((scavenges * 10_000) / hits).toFixed(2)} scavenges per 10,000 hits`);
    return;
  }
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: INTERVAL,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let i = 0; i < hits; i++) await subject.get(KEYS[i % KEYS.length]!);
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
  await new Promise((r) => setImmediate(r));
  gc.disconnect();
  session.disconnect();
  await subject.close();
  const sites = [...bySite(profile.head, new Map())].sort((a, b) => b[1] - a[1]);
  const total = sites.reduce((n, [, b]) => n + b, 0);
  console.log(
    `${subject.name}: ~${Math.round(total / hits)} bytes sampled per hit, ${((scavenges * 10_000) / hits).toFixed(1)} scavenges per 10,000 hits`,
  );
  for (const [site, bytes] of sites.slice(0, Number(process.env['ALLOC_SITES'] ?? '14')))
    console.log(`  ${(bytes / hits).toFixed(0).padStart(6)} B/hit  ${site}`);
}

async function main(): Promise<void> {
  const [mode, scenario, url, hitsArg] = process.argv.slice(2);
  if (mode === '--child') return child(scenario as Scenario, url!, Number(hitsArg));
  const hits = Number(mode ?? '20000');
  // A readable bundle (as profile/run.ts builds), so that allocation sites name real lines.
  mkdirSync(OUT, { recursive: true });
  const bundle = join(OUT, 'allocations.mjs');
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: bundle,
    logLevel: 'error',
  });
  const redis = await startRedis();
  try {
    for (const s of SCENARIOS) {
      const r = spawnSync(process.execPath, [bundle, '--child', s, redis.url, String(hits)], {
        encoding: 'utf8',
      });
      process.stdout.write(r.stdout + r.stderr);
    }
  } finally {
    await redis.stop();
  }
}

runMain(main);
