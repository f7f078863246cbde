/**
 * The result tables, built once and rendered both to the console and to the results page.
 */
import { bytes, int, num, ratio, type Table } from './format.js';
import { fastestPeer } from './goals.js';
import type {
  CommandsPerHit,
  Goal,
  Group,
  InvalidationResult,
  Row,
  StampedeResult,
  TieredResult,
} from './results.js';
import type { PairResult } from './pairs.js';

/** `memory|3 tags` for `tagcache memory, 3 tags`, `tagcache@954fd21 memory, 3 tags`, …; else undefined. */
function family(r: Row): string | undefined {
  if (r.role !== 'tagcache' && r.role !== 'revision') return undefined;
  const m = /^tagcache(?:@\S+)? (memory|redis)\b.*?\b(no tags|3 tags)\b/.exec(r.name);
  return m ? `${m[1]}|${m[2]}` : undefined;
}

/** The revision row (BENCH_BASELINE) with the store and tags of tagcache row `r`. */
export function revisionRowOf(g: Group, r: Row): Row | undefined {
  const f = r.role === 'tagcache' ? family(r) : undefined;
  return f === undefined ? undefined : g.rows.find((x) => x.role === 'revision' && family(x) === f);
}

/** The revision's label (`tagcache@954fd21`) when group `g` has revision rows. */
function revisionLabel(g: Group): string | undefined {
  const row = g.rows.find((r) => r.role === 'revision');
  return row === undefined ? undefined : /^(tagcache@\S+)/.exec(row.name)?.[1];
}

/**
 * Medians of a throughput group, with ratios to its baseline and, for tagcache, to the fastest
 * peer and (BENCH_BASELINE) to the older revision with the same store and tags.
 */
export function groupTable(g: Group): Table {
  const base = g.rows.find((r) => r.name === g.baseline);
  const peer = fastestPeer(g);
  const revision = revisionLabel(g);
  const rows = g.rows.map((r) => {
    const ours = r.role === 'tagcache' || r.role === 'revision';
    const vsPeer = ours && peer !== undefined ? ratio(r.opsPerSec / peer.opsPerSec) : '';
    const before = revisionRowOf(g, r);
    const check = r.unexpectedRuns ? ` (!${r.unexpectedRuns} loader runs)` : '';
    return [
      r.name + check,
      int(r.opsPerSec),
      num(r.latencyUs),
      base ? ratio(r.opsPerSec / base.opsPerSec) : '–',
      vsPeer,
      ...(revision === undefined ? [] : [before ? ratio(r.opsPerSec / before.opsPerSec) : '']),
      `±${r.rme.toFixed(1)}%`,
    ];
  });
  const header = [
    'subject',
    'ops/s (median)',
    `latency ${g.latencyLabel}`,
    `vs ${g.baseline}`,
    'vs fastest peer',
    ...(revision === undefined ? [] : [`vs ${revision}`]),
    'rme',
  ];
  return { header, rows, right: new Set(header.map((_, i) => i).filter((i) => i > 0)) };
}

/**
 * Before and after, per table: each tagcache row against the older revision's row with the same
 * store and tags (BENCH_BASELINE), and the rows with metrics on against the same subject with no
 * listener (the cost of observing every call).
 */
export function beforeAfterTable(groups: readonly Group[]): Table {
  const rows: string[][] = [];
  for (const g of groups) {
    for (const r of g.rows) {
      const before = revisionRowOf(g, r);
      if (before !== undefined)
        rows.push([
          g.title,
          r.name,
          before.name,
          int(r.opsPerSec),
          int(before.opsPerSec),
          ratio(r.opsPerSec / before.opsPerSec),
        ]);
      if (r.role === 'tagcache' && r.name.endsWith(', metrics on')) {
        const off = g.rows.find(
          (x) => x.role === 'tagcache' && x.name === r.name.slice(0, -', metrics on'.length),
        );
        if (off !== undefined)
          rows.push([
            g.title,
            r.name,
            off.name,
            int(r.opsPerSec),
            int(off.opsPerSec),
            ratio(r.opsPerSec / off.opsPerSec),
          ]);
      }
    }
  }
  return {
    header: ['table', 'subject', 'compared with', 'ops/s', 'ops/s (compared)', 'ratio'],
    rows,
    right: new Set([3, 4, 5]),
  };
}

/** Commands per hit. */
export function commandsTable(c: readonly CommandsPerHit[]): Table {
  return {
    header: ['subject', 'commands per hit', 'commands'],
    rows: c.map((x) => [x.name, num(x.perHit), x.detail]),
    right: new Set([1]),
  };
}

/** Tag invalidation. */
export function invalidationTable(rs: readonly InvalidationResult[]): Table {
  return {
    header: [
      'subject',
      'entries',
      'time ms',
      'commands',
      'used_memory before',
      'after',
      'sampled entries recomputed',
      'commands sent',
    ],
    rows: rs.map((r) => [
      r.name,
      int(r.entries),
      num(r.ms),
      int(r.commands),
      bytes(r.memoryBefore),
      bytes(r.memoryAfter),
      r.verified,
      r.commandDetail,
    ]),
    right: new Set([1, 2, 3, 4, 5]),
  };
}

/** Stampedes (with the Redis commands of each storm when they were counted). */
export function stampedeTable(rs: readonly StampedeResult[]): Table {
  const commands = rs.some((r) => r.commands !== undefined);
  return {
    header: [
      'subject',
      'processes',
      'callers',
      'function runs (each repetition)',
      ...(commands ? ['Redis commands (each repetition)'] : []),
      'median ms',
      'wrong values',
    ],
    rows: rs.map((r) => [
      r.name,
      String(r.processes),
      int(r.callers),
      r.runs.join(', '),
      ...(commands ? [r.commands?.join(', ') ?? '–'] : []),
      int(r.ms),
      String(r.wrong),
    ]),
    right: new Set(commands ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5]),
  };
}

/** Redis commands per memory-tier hit of the tiered subjects. */
export function l1CommandsTable(t: TieredResult): Table {
  return {
    header: ['subject', 'Redis commands per L1 hit', 'commands counted'],
    rows: t.commandsPerL1Hit.map((c) => [c.name, String(+c.perHit.toFixed(5)), c.detail]),
    right: new Set([1]),
  };
}

/** Invalidation across 3 processes holding the entry: until it resolves, until the others drop it. */
export function tieredLatencyTable(t: TieredResult): Table {
  return {
    header: [
      'subject',
      'invalidation resolves, median ms',
      'p99 ms',
      'the 2 others drop it, median ms',
      'p99 ms',
    ],
    rows: t.latency.map((l) => [
      l.name,
      num(l.resolveMedian),
      num(l.resolveP99),
      num(l.dropMedian),
      num(l.dropP99),
    ]),
    right: new Set([1, 2, 3, 4]),
  };
}

/** Stale reads right after a resolved invalidation, and the waits caused by a stopped process. */
export function tieredStaleTable(t: TieredResult): Table {
  return {
    header: ['measure', 'subject', 'figure'],
    rows: [
      ...t.stale.map((s) => [
        `stale reads in ${int(s.iterations)} iterations`,
        s.name,
        `${int(s.stale)} (${((100 * s.stale) / s.iterations).toFixed(1)}%)${s.failed ? `; ${int(s.failed)} invalidations failed` : ''}`,
      ]),
      [
        `strict invalidation waits, one of 3 processes SIGSTOPped (lease ${int(t.lease)} ms)`,
        'tagcache tiered, strict',
        `${t.stoppedWaits.map((w) => int(w)).join(', ')} ms`,
      ],
    ],
    right: new Set([2]),
  };
}

/** The paired comparisons: median of the per-round ratios, their range, and each round's ratio. */
export function pairsTable(pairs: readonly PairResult[]): Table {
  const x = (v: number): string => `${v.toFixed(3)}×`;
  return {
    header: ['comparison', 'against', 'median ratio', 'range', 'rounds', 'method'],
    rows: pairs.map((p) => [
      p.title,
      p.reference,
      `${x(p.ratio)}${p.cpuRatio === undefined ? '' : ` (CPU ${x(p.cpuRatio)})`}`,
      `${x(Math.min(...p.ratios))}–${x(Math.max(...p.ratios))}`,
      p.ratios.map((v) => v.toFixed(3)).join(', '),
      p.method,
    ]),
    right: new Set([2, 3]),
  };
}

/** `–`: no target, or not measured (the measured cell says which). */
const metCell = (met: boolean | undefined): string => (met === undefined ? '–' : met ? 'yes' : 'NO');

/** Goals. */
export function goalsTable(goals: readonly Goal[]): Table {
  return {
    header: ['goal', 'target', 'measured', 'met'],
    rows: goals.map((g) => [g.goal, g.target, g.measured, metCell(g.met)]),
  };
}
