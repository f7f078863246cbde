/** Upper bounds (ms) of the compute-time buckets; one more bucket holds the rest (`+Inf`). */
export const BUCKET_BOUNDS_MS: readonly number[] = [
  0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000,
];

/** A fixed-bucket histogram of durations (internal; read through {@link summarize}). */
export interface Histogram {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Per bucket (not cumulative); one more than {@link BUCKET_BOUNDS_MS}. */
  readonly counts: number[];
}

/**
 * Durations in one view: count, sum, extremes, estimated percentiles and cumulative buckets
 * (`le` in ms, the last one `Infinity`), as Prometheus shows them.
 *
 * @example
 * ```ts
 * const t: TimingSummary = getMetrics().total.computeTime;
 * console.log(`${t.count} computations, p95 ${t.p95Ms.toFixed(1)} ms`);
 * ```
 */
export interface TimingSummary {
  readonly count: number;
  readonly sumMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly buckets: ReadonlyArray<{ readonly le: number; readonly count: number }>;
}

/**
 * A new empty histogram.
 */
export function newHistogram(): Histogram {
  return {
    count: 0,
    sum: 0,
    min: Infinity,
    max: 0,
    counts: new Array<number>(BUCKET_BOUNDS_MS.length + 1).fill(0),
  };
}

/**
 * Adds one duration.
 */
export function observe(h: Histogram, ms: number): void {
  h.count += 1;
  h.sum += ms;
  if (ms < h.min) h.min = ms;
  if (ms > h.max) h.max = ms;
  let i = 0;
  while (i < BUCKET_BOUNDS_MS.length && ms > (BUCKET_BOUNDS_MS[i] as number)) i += 1;
  h.counts[i] = (h.counts[i] as number) + 1;
}

/**
 * Adds every observation of `from` to `into`.
 */
export function mergeHistogram(into: Histogram, from: Histogram): void {
  into.count += from.count;
  into.sum += from.sum;
  into.min = Math.min(into.min, from.min);
  into.max = Math.max(into.max, from.max);
  from.counts.forEach((c, i) => (into.counts[i] = (into.counts[i] as number) + c));
}

/** The `q` quantile, interpolated inside its bucket and kept within the observed extremes. */
function quantile(h: Histogram, q: number): number {
  if (h.count === 0) return 0;
  const rank = q * h.count;
  let seen = 0;
  for (let i = 0; i < h.counts.length; i += 1) {
    const c = h.counts[i] as number;
    if (c > 0 && seen + c >= rank) {
      const lower = i === 0 ? 0 : (BUCKET_BOUNDS_MS[i - 1] as number);
      const upper = BUCKET_BOUNDS_MS[i] ?? h.max;
      const estimate = lower + (upper - lower) * ((rank - seen) / c);
      return Math.min(h.max, Math.max(h.min, estimate));
    }
    seen += c;
  }
  return h.max;
}

/**
 * The summary of a histogram.
 */
export function summarize(h: Histogram): TimingSummary {
  let cumulative = 0;
  const buckets = h.counts.map((c, i) => {
    cumulative += c;
    return { le: BUCKET_BOUNDS_MS[i] ?? Infinity, count: cumulative };
  });
  return {
    count: h.count,
    sumMs: h.sum,
    minMs: h.count === 0 ? 0 : h.min,
    maxMs: h.max,
    meanMs: h.count === 0 ? 0 : h.sum / h.count,
    p50Ms: quantile(h, 0.5),
    p95Ms: quantile(h, 0.95),
    p99Ms: quantile(h, 0.99),
    buckets,
  };
}
