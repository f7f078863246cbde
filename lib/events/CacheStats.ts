/**
 * Counters of one cached function, since it was wrapped. The only bookkeeping a call pays for
 * when nobody listens (see `record.ts`).
 *
 * @example
 * ```ts
 * const { hits, misses } = getUser.stats();
 * console.log(`hit ratio ${(hits / (hits + misses)).toFixed(2)}`);
 * ```
 */
export interface CacheStats {
  hits: number;
  misses: number;
  staleHits: number;
  /** Times the function ran (misses, refreshes, background refreshes). */
  calls: number;
  /** Callers that joined a computation already running in this process. */
  joins: number;
  writes: number;
  /** Writes refused because an invalidation happened while the function ran. */
  refusedWrites: number;
  /** Store operations that failed or timed out (the call went on without the cache). */
  errors: number;
  /** Entries dropped as undecodable or failing `schema`. */
  dropped: number;
}

/**
 * A new set of zeroed counters.
 */
export const newStats = (): CacheStats => ({
  hits: 0,
  misses: 0,
  staleHits: 0,
  calls: 0,
  joins: 0,
  writes: 0,
  refusedWrites: 0,
  errors: 0,
  dropped: 0,
});
