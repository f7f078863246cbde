/**
 * Rounds: each subject is measured several times, in alternating order, in fresh processes;
 * the round with the median ops/s is kept.
 */
import type { Row } from './results.js';

/** BENCH_ROUNDS when set, else `fallback`. */
export function roundCount(fallback: number): number {
  const n = Number(process.env['BENCH_ROUNDS'] ?? String(fallback));
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

/** The row with the median ops/s (the lower middle one for an even count). */
export function medianRow(rows: readonly Row[]): Row {
  const sorted = [...rows].sort((a, b) => a.opsPerSec - b.opsPerSec);
  const row = sorted[Math.floor((sorted.length - 1) / 2)];
  if (row === undefined) throw new Error('medianRow: no rows');
  return row;
}

/** Subjects in the order of round `r`: forward on even rounds, backward on odd ones. */
export function orderOf<T>(items: readonly T[], r: number): T[] {
  return r % 2 === 0 ? [...items] : [...items].reverse();
}

/**
 * Measures every item in `rounds` rounds and keeps the median row of each, in the items' order.
 *
 * @example
 * ```ts
 * const rows = await inRounds(ids, 3, (id) => runIsolated({ kind: 'memory-hit', id }).then((r) => r.row));
 * ```
 */
export async function inRounds<T>(
  items: readonly T[],
  rounds: number,
  one: (item: T, round: number) => Promise<Row>,
): Promise<Row[]> {
  const seen = new Map<T, Row[]>();
  for (let r = 0; r < rounds; r++) {
    for (const item of orderOf(items, r)) {
      const row = await one(item, r);
      seen.set(item, [...(seen.get(item) ?? []), row]);
    }
  }
  return items.map((item) => medianRow(seen.get(item) ?? []));
}
