/**
 * What one observed call of a cached function records while it runs (lru-cache's `status`
 * pattern): made only when someone observes (a listener, metrics, `debug`, `onCall`, a
 * diagnostics-channel subscriber), filled in by the recording functions, and handed as the
 * context object to the `tagcache:get` tracing channel.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * diagnostics_channel.subscribe('tracing:tagcache:get:asyncEnd', (ctx) => {
 *   console.log((ctx as CallProbe).outcome);
 * });
 * ```
 */
export interface CallProbe {
  readonly cache: string;
  readonly name: string;
  readonly key: string;
  /** `performance.now()` when the call started; 0 when nobody reads durations. */
  readonly startedAt: number;
  /** How the call was answered; set before its promise settles. */
  outcome: 'hit' | 'stale-hit' | 'miss' | undefined;
}

/**
 * A new probe for a call of `name` on `cache`, timed when `timed`.
 */
export function newProbe(cache: string, name: string, key: string, timed: boolean): CallProbe {
  return { cache, name, key, startedAt: timed ? performance.now() : 0, outcome: undefined };
}

/**
 * Milliseconds since `startedAt` (a `performance.now()` reading; 0 when none was taken).
 */
export function elapsedSince(startedAt: number): number {
  return startedAt === 0 ? 0 : performance.now() - startedAt;
}
