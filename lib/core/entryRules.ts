import { toMs } from './duration.js';
import type { Policy } from './policy.js';
import type { Runtime } from './runtime.js';
import type { StoreHit } from '../stores/Store.js';

/**
 * The TTL the policy gives `value`, before jitter and the caps of inner calls: the `ttl` option
 * (static, or a function of the value), else the cache's default.
 */
export function policyTtl<A extends unknown[], R>(policy: Policy<A, R>, runtime: Runtime, value: R): number {
  if (policy.ttl === undefined) return runtime.ttl;
  if (typeof policy.ttl === 'number') return policy.ttl;
  return toMs(policy.ttl(value), 'ttl (returned by the ttl function)');
}

/** Shortens `ttl` by a random part of up to `jitter` (0..1), never below 1 ms. */
export function spread(ttl: number, jitter: number): number {
  return jitter > 0 ? Math.max(1, Math.round(ttl * (1 - jitter * Math.random()))) : ttl;
}

/**
 * Whether a hit that is not fresh may be served within a stale `window` (ms): invalidated in
 * `stale` mode, or expired for at most `window`. Cached errors are never served stale.
 */
export function staleServable(hit: StoreHit<unknown>, window: number): boolean {
  return window > 0 && !hit.error && (hit.state === 'invalidated' || -hit.ttl <= window);
}
