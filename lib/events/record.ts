import { elapsedSince, type CallProbe } from './probe.js';
import type { CacheStats } from './CacheStats.js';
import type { EventHub } from './eventHub.js';

// The one place where tagcache's telemetry is counted and its events are built. Each function
// records one operation: it bumps the function's counter (`stats()`), and only when the hub is
// active (a listener, `onEvent`, debug lines, metrics, `instrument()`) builds the event and
// publishes it. Nobody listening: a counter and one boolean read.

type Hub = Pick<EventHub, 'active' | 'cache' | 'publish'>;

const duration = (probe: CallProbe | undefined): { durationMs?: number } =>
  probe === undefined || probe.startedAt === 0 ? {} : { durationMs: elapsedSince(probe.startedAt) };
const took = (startedAt: number): { durationMs?: number } =>
  startedAt === 0 ? {} : { durationMs: elapsedSince(startedAt) };

/**
 * A start time for an operation, taken only when someone observes (0 otherwise).
 */
export function startTimer(hub: Hub): number {
  return hub.active ? performance.now() : 0;
}

/** A fresh hit nobody observes (no listener, no probe): the counter is all there is to record. */
export function countHit(stats: CacheStats): void {
  stats.hits += 1;
}

/**
 * A fresh hit (`ttl`: ms left).
 */
export function recordHit(
  hub: Hub,
  stats: CacheStats,
  probe: CallProbe | undefined,
  name: string,
  key: string,
  ttl: number,
): void {
  stats.hits += 1;
  if (probe !== undefined) probe.outcome = 'hit';
  if (hub.active) hub.publish({ type: 'hit', cache: hub.cache, name, key, ttl, ...duration(probe) });
}

/**
 * A stale value served (while revalidating, on an error, or after a stale-mode invalidation).
 */
export function recordStaleHit(
  hub: Hub,
  stats: CacheStats,
  probe: CallProbe | undefined,
  name: string,
  key: string,
  reason: 'revalidate' | 'error' | 'invalidated' | 'timeout',
): void {
  stats.staleHits += 1;
  if (probe !== undefined) probe.outcome = 'stale-hit';
  if (hub.active) hub.publish({ type: 'stale-hit', cache: hub.cache, name, key, reason, ...duration(probe) });
}

/**
 * A miss (the function will run, or the call joins a running computation).
 */
export function recordMiss(
  hub: Hub,
  stats: CacheStats,
  probe: CallProbe | undefined,
  name: string,
  key: string,
): void {
  stats.misses += 1;
  if (probe !== undefined) probe.outcome = 'miss';
  if (hub.active) hub.publish({ type: 'miss', cache: hub.cache, name, key, ...duration(probe) });
}

/**
 * A caller joined a computation already running in this process.
 */
export function recordJoin(stats: CacheStats): void {
  stats.joins += 1;
}

/**
 * A store operation of a call failed (the call went on without the cache); the store error
 * itself is reported by the cache's guard ({@link recordStoreError}).
 */
export function recordFailOpen(stats: CacheStats): void {
  stats.errors += 1;
}

/**
 * An entry was dropped (undecodable, or failing `schema`).
 */
export function recordDropped(stats: CacheStats): void {
  stats.dropped += 1;
}

/**
 * The function starts running; returns the start time to give {@link recordCompute}.
 */
export function recordComputeStart(hub: Hub, stats: CacheStats): number {
  stats.calls += 1;
  return startTimer(hub);
}

/**
 * The function settled (`ok`: it resolved); returns how long it ran, in ms (0 when unobserved).
 */
export function recordCompute(hub: Hub, name: string, key: string, startedAt: number, ok: boolean): number {
  if (startedAt === 0 || !hub.active) return 0;
  const durationMs = elapsedSince(startedAt);
  hub.publish({ type: 'compute', cache: hub.cache, name, key, ok, durationMs });
  return durationMs;
}

/**
 * The outcome of a write: written, refused (an invalidation won a race), or failed (`written`,
 * as the store answered).
 */
export function recordWrite(
  hub: Hub,
  stats: CacheStats,
  name: string,
  key: string,
  written: boolean | 'failed',
  ttl: number,
  tags: readonly string[],
  computeMs: number,
): void {
  if (written === 'failed') {
    stats.errors += 1;
    return;
  }
  if (written) stats.writes += 1;
  else stats.refusedWrites += 1;
  if (!hub.active) return;
  const timing = computeMs > 0 ? { durationMs: computeMs } : {};
  if (written) hub.publish({ type: 'write', cache: hub.cache, name, key, ttl, tags, ...timing });
  else hub.publish({ type: 'write-refused', cache: hub.cache, name, key, ...timing });
}

/**
 * An invalidation by tags resolved.
 */
export function recordInvalidate(
  hub: Hub,
  tags: readonly string[],
  mode: 'drop' | 'stale',
  startedAt: number,
): void {
  if (hub.active) hub.publish({ type: 'invalidate', cache: hub.cache, tags, mode, ...took(startedAt) });
}

/**
 * Entries were deleted (`cached.invalidate(...args)`: `name` is the function's).
 */
export function recordDelete(
  hub: Hub,
  keys: readonly string[],
  name: string | undefined,
  startedAt: number,
): void {
  if (hub.active)
    hub.publish({
      type: 'delete',
      cache: hub.cache,
      keys,
      ...(name === undefined ? {} : { name }),
      ...took(startedAt),
    });
}

/**
 * The cache's namespace was cleared.
 */
export function recordClear(hub: Hub, startedAt: number): void {
  if (hub.active) hub.publish({ type: 'clear', cache: hub.cache, ...took(startedAt) });
}
