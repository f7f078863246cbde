/**
 * The collector behind `deferInvalidations` (lib/invalidation/deferInvalidations.ts): while one
 * runs, the invalidation entry points of a cache handle (`invalidateTags`, `delete`,
 * `deletePattern`, `clear`, `cached.invalidate`) record what they would do here instead of
 * doing it. Like the computation context (`context.ts`), the AsyncLocalStorage is enabled only
 * while a deferral runs: outside one, a hook costs one integer comparison.
 *
 * @packageDocumentation
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { InvalidationMode } from '../stores/Store.js';
import type { Cache } from './createCache.js';

/** What one cache has to do at commit, deduplicated. */
export interface PendingWork {
  readonly drop: Set<string>;
  readonly stale: Set<string>;
  readonly keys: Set<string>;
  readonly patterns: Set<string>;
  clear: boolean;
}

/**
 * The invalidations recorded by one `deferInvalidations` call (internal).
 */
export interface Deferral {
  readonly parent: Deferral | undefined;
  /** Per cache handle, in the order they were first reached. */
  readonly work: Map<Cache, PendingWork>;
  /** Run after the invalidations (`withInvalidation`'s `recache`). */
  readonly after: Array<() => Promise<unknown>>;
  /** Set once the deferral committed or rolled back: later hooks run immediately. */
  closed: boolean;
}

const deferrals = new AsyncLocalStorage<Deferral>();
let running = 0;

/** A new, empty deferral nested in `parent` (if any). */
export function newDeferral(parent: Deferral | undefined): Deferral {
  return { parent, work: new Map(), after: [], closed: false };
}

/** Runs `fn` with `deferral` as the current one. */
export function runDeferral<T>(deferral: Deferral, fn: () => T | Promise<T>): Promise<T> {
  running += 1;
  const release = (): void => {
    running -= 1;
    if (running === 0) deferrals.disable();
  };
  let result: T | Promise<T>;
  try {
    result = deferrals.run(deferral, fn);
  } catch (e) {
    release();
    return Promise.reject(e);
  }
  return Promise.resolve(result).finally(release);
}

/** The open deferral of the running code, or `undefined` (no storage lookup when none runs). */
export function currentDeferral(): Deferral | undefined {
  if (running === 0) return undefined;
  const d = deferrals.getStore();
  return d === undefined || d.closed ? undefined : d;
}

/** The pending work of `cache` in `deferral`, created on first use. */
export function workOf(deferral: Deferral, cache: Cache): PendingWork {
  let w = deferral.work.get(cache);
  if (w === undefined) {
    w = { drop: new Set(), stale: new Set(), keys: new Set(), patterns: new Set(), clear: false };
    deferral.work.set(cache, w);
  }
  return w;
}

/**
 * Hook of the tag invalidation entry point: records the tags and returns `true` when a deferral
 * is open, else returns `false` (the caller invalidates now).
 */
export function deferTags(cache: Cache, tags: readonly string[], mode: InvalidationMode): boolean {
  const d = currentDeferral();
  if (d === undefined) return false;
  const set = workOf(d, cache)[mode];
  for (const t of tags) set.add(t);
  return true;
}

/** Hook of the key deletes (keys relative to the cache's version, as `cache.delete` takes them). */
export function deferKeys(cache: Cache, keys: readonly string[]): boolean {
  const d = currentDeferral();
  if (d === undefined) return false;
  const set = workOf(d, cache).keys;
  for (const k of keys) set.add(k);
  return true;
}

/** Hook of `cache.deletePattern`. */
export function deferPattern(cache: Cache, pattern: string): boolean {
  const d = currentDeferral();
  if (d === undefined) return false;
  workOf(d, cache).patterns.add(pattern);
  return true;
}

/** Hook of `cache.clear`. */
export function deferClear(cache: Cache): boolean {
  const d = currentDeferral();
  if (d === undefined) return false;
  workOf(d, cache).clear = true;
  return true;
}
