/**
 * The key side of `withInvalidation`: removes keys (`keys`, `resultKeys`) and glob patterns
 * (`patterns`), as seed-style `@cache_evict(key=…, keys=[…], pattern=…)` does.
 *
 * @packageDocumentation
 */
import { resolveCache } from '../core/defaults.js';
import type { Cache } from '../core/createCache.js';

/**
 * Keys and patterns to evict, from the arguments (and the result, after the write).
 *
 * @example
 * ```ts
 * const opts: EvictOptions<[id: number], User> = { keys: (id) => [`user:${id}`], patterns: ['users:page:*'] };
 * ```
 */
export interface EvictOptions<A extends unknown[], R> {
  /** Keys to remove (as `keyOf` gives them, or as given to `cache.set`): static, or from the arguments. */
  readonly keys?: Iterable<string> | ((...args: A) => Iterable<string>);
  /** Keys to remove from the write's result (only with `when: 'after'`). */
  readonly resultKeys?: (result: R, ...args: A) => Iterable<string>;
  /** Glob patterns of keys to remove (`users:page:*`): static, or from the arguments. */
  readonly patterns?: Iterable<string> | ((...args: A) => Iterable<string>);
}

const listOf = <A extends unknown[]>(
  v: Iterable<string> | ((...args: A) => Iterable<string>) | undefined,
  args: A,
): string[] => (v === undefined ? [] : [...(typeof v === 'function' ? v(...args) : v)]);

function cachesOf(ref: Cache | string | ReadonlyArray<Cache | string> | undefined): Cache[] {
  if (ref === undefined || typeof ref === 'string' || !Array.isArray(ref))
    return [resolveCache(ref as Cache | string | undefined)];
  return (ref as ReadonlyArray<Cache | string>).map((c) => resolveCache(c));
}

/**
 * Removes the keys and patterns `o` names for this call, in every cache of `ref`.
 */
export async function evictKeys<A extends unknown[], R>(
  o: EvictOptions<A, R>,
  ref: Cache | string | ReadonlyArray<Cache | string> | undefined,
  args: A,
  result: { readonly value: R } | undefined,
): Promise<void> {
  const keys = listOf(o.keys, args);
  if (result !== undefined && o.resultKeys !== undefined) keys.push(...o.resultKeys(result.value, ...args));
  const patterns = listOf(o.patterns, args);
  if (keys.length === 0 && patterns.length === 0) return;
  await Promise.all(
    cachesOf(ref).map(async (cache) => {
      if (keys.length > 0) await cache.delete(keys);
      for (const p of patterns) await cache.deletePattern(p);
    }),
  );
}
