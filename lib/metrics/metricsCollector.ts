import {
  mergeHistogram,
  newHistogram,
  observe,
  summarize,
  type Histogram,
  type TimingSummary,
} from './histogram.js';
import type { CacheEvent } from '../events/CacheEvent.js';

/**
 * Metrics of one cached function in one cache, since the cache was created or since
 * `resetMetrics()`.
 *
 * @example
 * ```ts
 * const m: FunctionMetrics | undefined = getMetrics().caches['default']?.functions['getUser'];
 * ```
 */
export interface FunctionMetrics {
  readonly hits: number;
  readonly misses: number;
  readonly staleHits: number;
  readonly writes: number;
  /** Writes refused because an invalidation happened while the function ran. */
  readonly refusedWrites: number;
  /** Runs of the function that threw. */
  readonly computeErrors: number;
  /** Tag invalidations, deleted entries (`cached.invalidate`) and clears. */
  readonly invalidations: number;
  /** `(hits + staleHits) / (hits + staleHits + misses)`; 0 before any call. */
  readonly hitRatio: number;
  /** How long the function ran on misses and refreshes. */
  readonly computeTime: TimingSummary;
}

/**
 * Metrics of one cache: its functions' summed, plus its store errors.
 *
 * @example
 * ```ts
 * const users: CacheMetrics | undefined = getMetrics().caches['users'];
 * ```
 */
export interface CacheMetrics extends FunctionMetrics {
  /** Store operations that failed or timed out (calls went on without the cache). */
  readonly errors: number;
  readonly functions: Readonly<Record<string, FunctionMetrics>>;
}

/** Mutable counts behind {@link FunctionMetrics} (internal). */
export interface Tally {
  hits: number;
  misses: number;
  staleHits: number;
  writes: number;
  refusedWrites: number;
  computeErrors: number;
  invalidations: number;
  errors: number;
  readonly compute: Histogram;
}

/**
 * A new zeroed tally.
 */
export const newTally = (): Tally => ({
  hits: 0,
  misses: 0,
  staleHits: 0,
  writes: 0,
  refusedWrites: 0,
  computeErrors: 0,
  invalidations: 0,
  errors: 0,
  compute: newHistogram(),
});

/**
 * Adds `from` to `into`.
 */
export function addTally(into: Tally, from: Tally): void {
  into.hits += from.hits;
  into.misses += from.misses;
  into.staleHits += from.staleHits;
  into.writes += from.writes;
  into.refusedWrites += from.refusedWrites;
  into.computeErrors += from.computeErrors;
  into.invalidations += from.invalidations;
  into.errors += from.errors;
  mergeHistogram(into.compute, from.compute);
}

/**
 * The public view of a tally.
 */
export function functionView(t: Tally): FunctionMetrics {
  const served = t.hits + t.staleHits;
  return {
    hits: t.hits,
    misses: t.misses,
    staleHits: t.staleHits,
    writes: t.writes,
    refusedWrites: t.refusedWrites,
    computeErrors: t.computeErrors,
    invalidations: t.invalidations,
    hitRatio: served + t.misses === 0 ? 0 : served / (served + t.misses),
    computeTime: summarize(t.compute),
  };
}

/** The metrics of one cache name: a sink for its events, a summed view and a reset (internal). */
export interface MetricsCollector {
  readonly sink: (e: CacheEvent) => void;
  /** The cache's own tally (its functions' summed, invalidations and store errors) and its functions'. */
  tallies(): { readonly cache: Tally; readonly functions: ReadonlyMap<string, Tally> };
  reset(): void;
}

function countInto(t: Tally, e: CacheEvent): void {
  switch (e.type) {
    case 'hit':
      t.hits += 1;
      return;
    case 'stale-hit':
      t.staleHits += 1;
      return;
    case 'miss':
      t.misses += 1;
      return;
    case 'write':
      t.writes += 1;
      return;
    case 'write-refused':
      t.refusedWrites += 1;
      return;
    case 'compute':
      observe(t.compute, e.durationMs);
      if (!e.ok) t.computeErrors += 1;
      return;
    case 'delete':
      t.invalidations += 1;
      return;
  }
}

/**
 * Creates the collector of one cache name.
 */
export function createMetricsCollector(): MetricsCollector {
  let own = newTally();
  let functions = new Map<string, Tally>();
  const tallyOf = (name: string): Tally => {
    let t = functions.get(name);
    if (t === undefined) functions.set(name, (t = newTally()));
    return t;
  };
  const sink = (e: CacheEvent): void => {
    if (e.type === 'invalidate' || e.type === 'clear') own.invalidations += 1;
    else if (e.type === 'store-error') own.errors += 1;
    else if (e.type === 'delete' && e.name === undefined) own.invalidations += 1;
    else if ('name' in e && e.name !== undefined) countInto(tallyOf(e.name), e);
  };
  return {
    sink,
    tallies() {
      const cache = newTally();
      addTally(cache, own);
      for (const t of functions.values()) addTally(cache, t);
      return { cache, functions };
    },
    reset() {
      own = newTally();
      functions = new Map();
    },
  };
}
