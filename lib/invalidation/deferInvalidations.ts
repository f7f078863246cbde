/**
 * Transaction-aware invalidation: run the invalidations a unit of work makes once it commits.
 *
 * @packageDocumentation
 */
import {
  currentDeferral,
  newDeferral,
  runDeferral,
  workOf,
  type Deferral,
  type PendingWork,
} from '../core/deferral.js';
import type { Cache } from '../core/createCache.js';

/** Folds a committed nested deferral into its parent (a savepoint that was released). */
function mergeInto(parent: Deferral, child: Deferral): void {
  for (const [cache, w] of child.work) {
    const p = workOf(parent, cache);
    for (const t of w.drop) p.drop.add(t);
    for (const t of w.stale) p.stale.add(t);
    for (const k of w.keys) p.keys.add(k);
    for (const x of w.patterns) p.patterns.add(x);
    p.clear ||= w.clear;
  }
  parent.after.push(...child.after);
}

/** The store operations of one cache: a clear first, then tags, keys and patterns together. */
async function runWork(cache: Cache, w: PendingWork): Promise<void> {
  if (w.clear) await cache.clear();
  const stale = [...w.stale].filter((t) => !w.drop.has(t));
  const ops: Promise<unknown>[] = [];
  if (w.drop.size > 0) ops.push(cache.invalidateTags(w.drop));
  if (stale.length > 0) ops.push(cache.invalidateTags(stale, { mode: 'stale' }));
  if (w.keys.size > 0) ops.push(cache.delete([...w.keys]));
  for (const p of w.patterns) ops.push(cache.deletePattern(p));
  await Promise.all(ops);
}

/** Runs everything a committed outermost deferral recorded; rejects with the first failure. */
async function commit(d: Deferral): Promise<void> {
  const outcomes = await Promise.allSettled([...d.work].map(([cache, w]) => runWork(cache, w)));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  await Promise.allSettled(d.after.map((fn) => fn()));
}

/**
 * Runs `fn` and defers every invalidation it makes (`invalidateTag(s)`, `invalidateEntity`,
 * `withInvalidation`, `resource().write`, `cached.invalidate`, `cache.invalidateTags`,
 * `cache.delete`, `cache.deletePattern`, `clear`) until it resolves: then they run, deduplicated
 * (one store call per cache and kind), and `withInvalidation`'s re-warming after them; the
 * promise resolves with `fn`'s result once they are done. If `fn` rejects, none runs and the
 * rejection propagates. A nested call joins the enclosing one: its invalidations run when the
 * outermost commits, and are dropped if the nested `fn` rejects (like a rolled-back savepoint).
 *
 * Wrap your database transaction in it, so that a rolled-back write invalidates nothing and a
 * concurrent read cannot cache the old row again between the invalidation and the commit. Inside
 * `fn`, a deferred `cache.delete`/`deletePattern` resolves to 0 (nothing removed yet), and reads
 * are served the entries as they were. If the process dies between the commit and the
 * invalidations, they are lost: the entries stay until their TTL. If an invalidation fails (store
 * down), the promise rejects with that error after the others ran (the transaction has committed).
 *
 * @example
 * ```ts
 * import { deferInvalidations, invalidateEntity } from 'tagcache';
 * await deferInvalidations(async () => {
 *   await db.users.update(1, { name: 'Ada' });
 *   await invalidateEntity('user', 1); // runs after this function resolves
 * });
 * ```
 */
export async function deferInvalidations<T>(fn: () => T | Promise<T>): Promise<T> {
  if (typeof fn !== 'function') throw new TypeError('deferInvalidations: expected a function');
  const parent = currentDeferral();
  const deferral = newDeferral(parent);
  let result: T;
  try {
    result = await runDeferral(deferral, fn);
  } finally {
    deferral.closed = true;
  }
  if (parent !== undefined && !parent.closed) mergeInto(parent, deferral);
  else await commit(deferral);
  return result;
}

/**
 * Schedules `fn` after the invalidations of the open deferral, or returns `false` when none is
 * open (internal: `withInvalidation`'s `recache`).
 */
export function afterDeferredInvalidations(fn: () => Promise<unknown>): boolean {
  const d = currentDeferral();
  if (d === undefined) return false;
  d.after.push(fn);
  return true;
}
