import { AsyncLocalStorage } from 'node:async_hooks';
import { DEFAULT_TTL_PRESETS, ttlMs, type Ttl } from './ttlPresets.js';
import type { Runtime } from './runtime.js';
import { tagsOf, type TagList } from '../tags/tagSources.js';

/**
 * What a running cached computation collects: its tags and the cap on its TTL.
 * Internal; reached through {@link addTags}, {@link setTtl} and {@link currentKey}.
 */
export interface Computation {
  readonly key: string;
  readonly tags: Set<string>;
  /** Smallest TTL (ms) of any inner entry read or written while running. */
  ttlCap: number;
  /** TTL (ms) chosen by `setTtl` inside the function. */
  ttlSet: number | undefined;
  /** The cache the entry is computed for (undefined for bare computations). */
  readonly runtime: Runtime | undefined;
  /** The computation this one runs inside, if any (`addTagsTo` walks up to another cache's). */
  readonly parent: Computation | undefined;
}

/** The store of the running computation. */
const computations = new AsyncLocalStorage<Computation>();

/**
 * Computations in flight. On Node 20 an enabled AsyncLocalStorage turns on promise hooks for the
 * whole process, which halves the speed of every `await` (measured: 8.9M → 4.4M awaits/s); so
 * the storage is enabled only while a computation runs and disabled when the last one settles.
 */
let running = 0;

function release(): void {
  running -= 1;
  if (running === 0) computations.disable();
}

/**
 * Runs `fn` as `computation`: `addTags`, `setTtl` and nested cached calls inside it
 * (across every `await`) record into it.
 */
export function runComputation<T>(computation: Computation, fn: () => T | Promise<T>): Promise<T> {
  running += 1;
  let result: T | Promise<T>;
  try {
    result = computations.run(computation, fn);
  } catch (e) {
    release();
    return Promise.reject(e);
  }
  return Promise.resolve(result).then(releaseWith, releaseThrowing);
}

// Module-level settle handlers: no closures per run, and fewer promises than `.finally`.
function releaseWith<T>(value: T): T {
  release();
  return value;
}

function releaseThrowing(error: unknown): never {
  release();
  throw error;
}

/**
 * Calls `fn` (with `this` = `self`) on `args` as `computation`, without a closure: what it
 * returns, or a rejected promise for what it throws. The storage stays enabled for it until the
 * caller, once that result has settled, calls {@link leaveComputation} (exactly once); so the
 * caller's own `await` does the bookkeeping, with no promise layer of its own.
 */
export function callInComputation<A extends unknown[], T>(
  computation: Computation,
  fn: (this: unknown, ...args: A) => T,
  self: unknown,
  args: A,
): T | Promise<never> {
  running += 1;
  try {
    return computations.run(computation, Reflect.apply, fn, self, args) as T;
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Ends a {@link callInComputation} whose result settled. */
export function leaveComputation(): void {
  release();
}

/**
 * Runs `fn` synchronously as the computation `comp` (`withCacheSync`): what it returns, or throws.
 */
export function runComputationSync<T>(comp: Computation, fn: () => T): T {
  running += 1;
  try {
    return computations.run(comp, fn);
  } finally {
    release();
  }
}

/** How many computations are running now (internal; tests check the bookkeeping settles to 0). */
export function runningComputations(): number {
  return running;
}

/**
 * The running computation, or `undefined` (without touching the storage when none runs).
 */
export function currentComputation(): Computation | undefined {
  return running === 0 ? undefined : computations.getStore();
}

/**
 * Creates the context of a computation for `key` in the cache of `runtime`, starting with
 * `tags`, inside the computation running now (if any).
 */
export function newComputation(key: string, tags: Iterable<string>, runtime?: Runtime): Computation {
  return {
    key,
    tags: new Set(tags),
    ttlCap: Infinity,
    ttlSet: undefined,
    runtime,
    parent: currentComputation(),
  };
}

/**
 * Adds tags to the running cached computation (and, through it, to every enclosing one). Each
 * argument is one tag (a string) or an iterable of tags. Outside a cached function it only
 * checks them.
 *
 * @example
 * ```ts
 * const getFeed = withCache(async function getFeed(userId: number) {
 *   addTags(`user:${userId}`, 'feed');
 *   addTags(['posts', 'comments']);
 *   return db.feed(userId);
 * });
 * ```
 */
export function addTags(...tags: TagList[]): void {
  const c = currentComputation();
  for (const list of tags) for (const t of tagsOf(list, 'addTags')) c?.tags.add(t);
}

/**
 * Sets the TTL of the entry being computed: a duration, a preset of the cache
 * (`'short' | 'default' | 'long'`) or `'forever'`. It takes precedence over the `ttl` option but
 * is still capped by the TTLs of inner cached calls and by the cache's `maxTtl`.
 *
 * @example
 * ```ts
 * const getRate = withCache(async function getRate(pair: string) {
 *   const r = await fetchRate(pair);
 *   setTtl(r.volatile ? '10s' : '10m');
 *   return r;
 * });
 * ```
 */
export function setTtl(d: Ttl): void {
  const c = currentComputation();
  if (c !== undefined) c.ttlSet = ttlMs(d, c.runtime?.ttlPresets ?? DEFAULT_TTL_PRESETS, 'setTtl');
}

/**
 * The key of the running cached computation, or `undefined` outside one.
 *
 * @example
 * ```ts
 * const f = withCache(async function f(id: number) { console.log(currentKey()); return id; });
 * ```
 */
export function currentKey(): string | undefined {
  return currentComputation()?.key;
}

/**
 * Records in the enclosing computation (if any) what an inner cached call depended on.
 */
export function propagate(parent: Computation | undefined, tags: readonly string[], ttl: number): void {
  if (parent === undefined) return;
  for (const t of tags) parent.tags.add(t);
  if (ttl < parent.ttlCap) parent.ttlCap = ttl;
}
