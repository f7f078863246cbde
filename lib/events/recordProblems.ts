import type { CacheEvent, StoreOp } from './CacheEvent.js';
import type { EventHub } from './eventHub.js';
import type { TagcacheError } from '../errors.js';

// Recording functions for the events that carry no counter of their own: rejected entries,
// lock waits, and the warnings (published even when nobody listens, for the rate-limited
// logger). Counted operations are in record.ts.

type Hub = Pick<EventHub, 'active' | 'cache' | 'publish'>;

/**
 * A cached entry was refused by `schema` or `validate` (the call counts as a miss).
 */
export function recordRejected(hub: Hub, name: string, key: string, reason: 'schema' | 'validate'): void {
  if (hub.active) hub.publish({ type: 'rejected-entry', cache: hub.cache, name, key, reason });
}

/**
 * A caller waiting for another process's lock got its entry, or stopped waiting.
 */
export function recordLockWait(hub: Hub, name: string, key: string, outcome: 'hit' | 'timeout'): void {
  if (hub.active) hub.publish({ type: 'lock-wait', cache: hub.cache, name, key, outcome });
}

type ProblemOf<T extends CacheEvent['type']> = Omit<Extract<CacheEvent, { type: T }>, 'type' | 'cache'>;

/**
 * A warning (always published: the rate-limited logger gets it even when nobody listens):
 * an undecodable entry, an unserializable value, a failed background refresh.
 */
export function recordProblem<T extends 'decode-error' | 'serialize-error' | 'refresh-error'>(
  hub: Hub,
  type: T,
  detail: ProblemOf<T>,
): void {
  hub.publish({ type, cache: hub.cache, ...detail } as CacheEvent);
}

/**
 * A store operation failed or timed out (reported by the cache's guard).
 */
export function recordStoreError(hub: Hub, op: StoreOp, key: string | undefined, error: TagcacheError): void {
  hub.publish({ type: 'store-error', cache: hub.cache, op, ...(key === undefined ? {} : { key }), error });
}

/**
 * The circuit breaker changed state.
 */
export function recordCircuit(hub: Hub, state: 'open' | 'half-open' | 'closed'): void {
  hub.publish({ type: 'circuit', cache: hub.cache, state });
}
