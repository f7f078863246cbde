/**
 * Renders a run: the console summary and the results page (docs/benchmarks.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './env.js';
import { VALUE_BYTES } from './fixtures.js';
import { int, markdownTable, textTable, type Table } from './format.js';
import { GOAL_ISSUES } from './goals.js';
import type { Results } from './results.js';
import {
  beforeAfterTable,
  commandsTable,
  goalsTable,
  groupTable,
  invalidationTable,
  l1CommandsTable,
  pairsTable,
  stampedeTable,
  tieredLatencyTable,
  tieredStaleTable,
} from './tables.js';

type Section = readonly [title: string, table: Table, note?: string | undefined];

/** Hand-written analysis (profiles of the misses), appended to the page. */
const ANALYSIS = join(ROOT, 'bench', 'analysis.md');

function beforeAfter(r: Results): Section[] {
  const table = beforeAfterTable(r.groups);
  if (table.rows.length === 0) return [];
  const revision = r.baseline === undefined ? '' : ` and tagcache@${r.baseline}`;
  return [
    [
      `Before and after: the current sources${revision}, and the cost of metrics`,
      table,
      (r.baseline === undefined
        ? ''
        : `\`tagcache@${r.baseline}\` rows are the same subjects on the \`lib/\` of commit ${r.baseline} (BENCH_BASELINE), measured in this run, each in its own process like every subject. `) +
        'A ratio above 1 means the first subject is faster. "metrics on" rows are `createCache({ metrics: true })`, compared with the same subject with no listener.',
    ],
  ];
}

/** Notes under the throughput tables that need one. */
const GROUP_NOTES: Readonly<Record<string, string>> = {
  'memory-hit':
    '"tagcache tiered" is `tieredStore({ l2: redisStore({ url }), bus: { url } })` with its defaults (memory tier holding copies, strict coherence, 2 s lease), measured once it serves its memory tier; "bentocache tiered" is its memory driver in front of its redis driver with the redis bus. Both hit their memory tier, with this run\'s Redis behind them, and their loop yields to the event loop after each batch of 256 hits (`setImmediate`, as a server does between requests) so that lease renewals and bus messages are handled; their Redis commands per hit are in the tiered section.',
  'redis-miss': 'The node-redis rows are the floor of a miss: `GET` (null), then `SET … PX` of the JSON.',
  'kv-get-or-set-memory':
    'Key-value APIs (`cache.getOrSet`, bentocache `getOrSet`, cache-manager `wrap`) with a hand-written key, no tags; each subject in its own process per round, like every table; ratios are to tagcache.',
};

function tiered(r: Results): Section[] {
  const t = r.tiered;
  if (t === undefined) return [];
  return [
    [
      'Tiered store: Redis commands per memory-tier hit (MONITOR)',
      l1CommandsTable(t),
      'Warm hits in batches of 256, yielding to the event loop between batches, in a fresh process per subject: lease renewals and bus traffic during the window are counted too.',
    ],
    [
      `Tiered store: invalidation across 3 processes (${int(t.iterations)} iterations, lease ${int(t.lease)} ms)`,
      tieredLatencyTable(t),
      'Three processes hold a memory tier in front of this Redis; A invalidates a tag that B and C hold. "Resolves": until A\'s `invalidateTag` (bentocache: `deleteByTag`) resolves; "drop it": until B and C, polling their memory tier, see the new value. Times across processes use the machine\'s monotonic clock (`process.hrtime`).',
    ],
    [
      'Tiered store: stale reads and a stopped process',
      tieredStaleTable(t),
      'Measured in the same 3 processes as the invalidation latency, after it. Stale reads: B reads a key (twice), A invalidates its tag and awaits, then B reads again; the old value is a stale read. Strict coherence waits for every live process to drop the entry (or for its lease to run out); eventual resolves once the message is published. SIGSTOP: one of the 3 processes is stopped while it holds the entry; a strict invalidation waits for its lease.',
    ],
  ];
}

function pairs(r: Results): Section[] {
  if (r.pairs === undefined || r.pairs.length === 0) return [];
  return [
    [
      'Paired comparisons',
      pairsTable(r.pairs),
      'Comparisons asked to a few percent (a decorated method against `withCache`; with BENCH_BASELINE, the current sources against the older revision), measured as pairs: in each round both sides are measured back to back, in alternating order, and the round gives the ratio of their speeds (above 1: the first subject is faster); the median ratio is the figure the goals read. Separate medians of separate rounds, as in the tables above, move by a few percent (memory) to 10–30% (serial Redis) between rounds; pairing cancels what both sides of a round share. CPU: the same ratio of CPU time (user + system) per call.',
    ],
  ];
}

function goals(r: Results): Section[] {
  const issueOf = (g: Results['goals'][number]): number => g.issue ?? 6;
  const issues = [...GOAL_ISSUES, ...new Set(r.goals.map(issueOf))].filter(
    (x, i, all) => all.indexOf(x) === i,
  );
  return issues.flatMap((issue): Section[] => {
    const own = r.goals.filter((g) => issueOf(g) === issue);
    return own.length === 0 ? [] : [[`Goals of issue ${issue}`, goalsTable(own)]];
  });
}

function sections(r: Results): Section[] {
  return [
    ...r.groups.map((g): Section => [g.title, groupTable(g), GROUP_NOTES[g.id]]),
    ...beforeAfter(r),
    [
      'Redis commands per hit (MONITOR; commands run inside Lua scripts not counted)',
      commandsTable(r.commandsPerHit),
    ],
    [
      'Invalidation of one tag (`items`) on Redis',
      invalidationTable(r.invalidation),
      'Time and commands of one invalidation, counted with MONITOR running; memory is `INFO memory used_memory` right before and right after. Both libraries invalidate lazily: entries stay until read (then dropped) or until their TTL, so memory barely moves. 20 sampled entries are read afterwards; each must run the function again.',
    ],
    [
      'Stampede: 1,000 concurrent callers on a cold key (function takes 100 ms)',
      stampedeTable(r.stampede),
      'Two processes: 500 callers in this process and 500 in a child process, started together on the same key and Redis. Each case is repeated 5 times on fresh keys, after each process has opened its connection.',
    ],
    ...tiered(r),
    ...pairs(r),
    ...goals(r),
  ];
}

/** The console summary. */
export function renderConsole(r: Results): string {
  return sections(r)
    .map(([title, table]) => `\n${title}\n${textTable(table)}`)
    .join('\n');
}

function header(r: Results): string {
  const m = r.machine;
  const versions = Object.entries(r.versions).map(([k, v]) => `| ${k} | ${v} |`);
  return [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` (bench/run.ts) on ${r.startedAt}, in ${Math.round(r.durationSec)} s. Do not edit by hand: rerun the benchmark. The analysis at the end comes from \`bench/analysis.md\`.`,
    '',
    `Every subject caches the same ~1 KB JSON object (${VALUE_BYTES} bytes as JSON) under the same 256 keys and is used through its get-or-compute API (\`withCache\`, \`getOrSet\`, \`cachified\`, \`wrap\`), as its documentation shows, with its defaults. Redis subjects have no memory tier and share one Redis (each under its own key prefix).`,
    '',
    'How it is measured: each throughput measurement runs in a fresh Node.js process (so that no subject inherits JIT state, connections or promise hooks from another), in ' +
      `${r.rounds.memory} rounds for memory hits and misses and ${r.rounds.redis} for Redis hits, in alternating order; the round with the median ops/s is shown${r.rounds.paired === undefined ? '' : ` (the paired comparisons: ${r.rounds.paired} rounds of memory pairs, see their section)`}. Within a process, tinybench takes samples of a batch of calls (256 serial calls for memory hits, 64 for Redis, 50 concurrent callers making 10 calls each for "50 in flight") after a warm-up; ops/s = calls per batch / median sample time, latency = median time of one call. Ratios compare ops/s within one table of this run. The bare \`Map\` and lru-cache baselines read synchronously (no \`await\`); "lru-cache (awaited)" is the same read behind an \`async\` function, the floor of any promise-returning API.`,
    '',
    "Run it: `npm run bench` (REDIS_URL to use an existing Redis; BENCH_ROUNDS; BENCH_SCALE scales the time budgets; BENCH_PIN=same|split|off; `BENCH_BASELINE=<git rev>` also measures that revision's `lib/`, exported with `git archive` into `.tmp/bench-baseline/`, as `tagcache@<rev>` rows of the memory and Redis hit tables, with a `vs tagcache@<rev>` column and a before-and-after table). Re-render this page from the last run: `npx tsx bench/render.ts`. Profiles of the hot paths: `npx tsx bench/profile/run.ts` (CPU profiles, top self-time functions), `npx tsx bench/profile/luaCost.ts` (Redis server time per hit script), `npx tsx bench/profile/keyCost.ts`; the lock race: `npx tsx bench/repro/lockRace.ts`.",
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB`,
    `- Node.js ${m.node} on ${m.platform}`,
    `- Redis ${m.redis} at ${m.redisUrl} (same machine, loopback${m.redisUrl.includes('127.0.0.1') ? ', started by the script with no persistence' : ''})`,
    `- CPU placement: ${m.placement}. On this kind of VM a loopback round trip between two cores costs a cross-core wake-up (slow and erratic), so serial Redis figures are far more stable on one core; there a hit costs client time + server time.`,
    '',
    '## Versions',
    '',
    `tagcache sources at commit ${r.revision}${r.baseline === undefined ? '' : `; the tagcache@${r.baseline} rows: commit ${r.baseline}`}.`,
    '',
    '| package | version |',
    '| --- | --- |',
    ...versions,
  ].join('\n');
}

/** The results page. */
export function renderMarkdown(r: Results): string {
  const body = sections(r).map(
    ([title, table, note]) => `## ${title}\n\n${note ? `${note}\n\n` : ''}${markdownTable(table)}`,
  );
  const analysis = existsSync(ANALYSIS) ? readFileSync(ANALYSIS, 'utf8').trim() : '';
  return [header(r), ...body, analysis].filter((s) => s !== '').join('\n\n') + '\n';
}
