/**
 * The result tables, built once and rendered both to the console and to the results page.
 */
import { bytes, int, num, ratio, type Table } from './format.js';
import { fastestPeer } from './goals.js';
import type { CommandsPerHit, Goal, Group, InvalidationResult, StampedeResult } from './results.js';

/** Medians of a throughput group, with ratios to its baseline and, for tagcache, to the fastest peer. */
export function groupTable(g: Group): Table {
  const base = g.rows.find((r) => r.name === g.baseline);
  const peer = fastestPeer(g);
  const rows = g.rows.map((r) => {
    const vsPeer = r.role === 'tagcache' && peer !== undefined ? ratio(r.opsPerSec / peer.opsPerSec) : '';
    const check = r.unexpectedRuns ? ` (!${r.unexpectedRuns} loader runs)` : '';
    return [
      r.name + check,
      int(r.opsPerSec),
      num(r.latencyUs),
      base ? ratio(r.opsPerSec / base.opsPerSec) : '–',
      vsPeer,
      `±${r.rme.toFixed(1)}%`,
    ];
  });
  return {
    header: [
      'subject',
      'ops/s (median)',
      `latency ${g.latencyLabel}`,
      `vs ${g.baseline}`,
      'vs fastest peer',
      'rme',
    ],
    rows,
    right: new Set([1, 2, 3, 4, 5]),
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

/** Stampedes. */
export function stampedeTable(rs: readonly StampedeResult[]): Table {
  return {
    header: [
      'subject',
      'processes',
      'callers',
      'function runs (each repetition)',
      'median ms',
      'wrong values',
      'Redis commands (each repetition)',
    ],
    rows: rs.map((r) => [
      r.name,
      String(r.processes),
      int(r.callers),
      r.runs.join(', '),
      int(r.ms),
      String(r.wrong),
      r.commands === undefined ? '–' : r.commands.map(int).join(', '),
    ]),
    right: new Set([1, 2, 3, 4, 5, 6]),
  };
}

/** Goals. */
export function goalsTable(goals: readonly Goal[]): Table {
  return {
    header: ['goal', 'target', 'measured', 'met'],
    rows: goals.map((g) => [g.goal, g.target, g.measured, g.met ? 'yes' : 'NO']),
  };
}
