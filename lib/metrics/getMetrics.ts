import {
  addTally,
  createMetricsCollector,
  functionView,
  newTally,
  type CacheMetrics,
  type FunctionMetrics,
  type MetricsCollector,
} from './metricsCollector.js';

/**
 * Metrics of every cache created with `metrics: true` (or the default cache with
 * `TAGCACHE_METRICS=1`): summed over all of them (`total`), per cache name, and per function.
 *
 * @example
 * ```ts
 * const { total, caches } = getMetrics();
 * console.log(total.hitRatio, caches['default']?.functions['getUser']?.computeTime.p95Ms);
 * ```
 */
export interface Metrics {
  readonly total: Omit<CacheMetrics, 'functions'>;
  readonly caches: Readonly<Record<string, CacheMetrics>>;
}

const collectors = new Map<string, MetricsCollector>();

/**
 * The collector of the cache named `cache` (caches of the same name share it: a default cache
 * replaced by `configure()` keeps counting into `default`). Internal: `createCache` calls it.
 */
export function metricsCollectorFor(cache: string): MetricsCollector {
  let c = collectors.get(cache);
  if (c === undefined) collectors.set(cache, (c = createMetricsCollector()));
  return c;
}

/**
 * Reads the metrics of every cache with metrics on: hits, misses, stale hits, writes, refused
 * writes, errors, invalidations, hit ratio and compute time (count, sum, percentiles, buckets).
 *
 * @example
 * ```ts
 * import { createCache, getMetrics, withCache } from 'tagcache';
 * const cache = createCache({ name: 'metered', metrics: true });
 * const double = withCache(async (n: number) => n * 2, { name: 'double', cache });
 * await double(1);
 * await double(1);
 * getMetrics().caches['metered']?.hitRatio; // 0.5
 * ```
 */
export function getMetrics(): Metrics {
  const total = newTally();
  const caches: Record<string, CacheMetrics> = {};
  for (const [name, collector] of collectors) {
    const { cache, functions } = collector.tallies();
    addTally(total, cache);
    const perFunction: Record<string, FunctionMetrics> = {};
    for (const [fn, t] of functions) perFunction[fn] = functionView(t);
    caches[name] = { ...functionView(cache), errors: cache.errors, functions: perFunction };
  }
  return { total: { ...functionView(total), errors: total.errors }, caches };
}

/**
 * Sets every metric back to zero (per-function `stats()` are not touched).
 *
 * @example
 * ```ts
 * import { resetMetrics, getMetrics } from 'tagcache';
 * resetMetrics();
 * getMetrics().total.hits; // 0
 * ```
 */
export function resetMetrics(): void {
  for (const c of collectors.values()) c.reset();
}
