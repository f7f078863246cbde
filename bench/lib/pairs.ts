/**
 * Paired comparisons: two subjects measured round by round, back to back, in alternating order,
 * and compared by the median of the per-round ratios. A goal that asks whether one path costs no
 * more than another (or no more than before) needs this: separate medians of separate rounds move
 * by a few percent (memory) to 10–30% (serial Redis) between rounds, more than the difference
 * asked about, and pairing cancels what both sides of a round share (the machine's load, the
 * round trip's noise).
 */

/** The comparisons the paired part measures. */
export type PairId =
  | 'decorated-live'
  | 'decorated-copies'
  | 'memory-live-3tags-vs-revision'
  | 'redis-serial-no-tags-vs-revision'
  | 'redis-serial-3tags-vs-revision';

/** One paired comparison: `subject` against `reference`, ratios of speed (> 1: subject faster). */
export interface PairResult {
  readonly id: PairId;
  readonly title: string;
  readonly subject: string;
  readonly reference: string;
  /** How the sides were measured: fresh processes back to back, or one process in blocks. */
  readonly method: string;
  /** Per round: the subject's speed ÷ the reference's (ops/s, or inverse wall time per call). */
  readonly ratios: readonly number[];
  /** The median of `ratios`. */
  readonly ratio: number;
  /** The same for CPU time per call (one-process pairs only). */
  readonly cpuRatio?: number;
}

/** The median (the upper middle one for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median: no values');
  return [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
}

/**
 * Measures `subject` and `reference` once per round, back to back (the reference first on even
 * rounds), and gives the per-round speed ratios.
 *
 * @example
 * ```ts
 * const ratios = await pairedRatios(7, () => opsOf('a'), () => opsOf('b'));
 * ```
 */
export async function pairedRatios(
  rounds: number,
  subject: () => Promise<number>,
  reference: () => Promise<number>,
): Promise<number[]> {
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let s: number;
    let ref: number;
    if (r % 2 === 0) {
      ref = await reference();
      s = await subject();
    } else {
      s = await subject();
      ref = await reference();
    }
    ratios.push(s / ref);
  }
  return ratios;
}
