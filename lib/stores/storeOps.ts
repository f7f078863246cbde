/**
 * The key-value store operations built from a store's basic ones (`get`, `set`, `delete`): what
 * an in-process store offers directly, and what the cache falls back to for a store without
 * them. Synchronous stores stay synchronous.
 *
 * @packageDocumentation
 */
import { globMatch } from '../keys/glob.js';
import type { ManyWrite, ReadResult, Store } from './Store.js';

type Basic<P> = Pick<Store<P>, 'get' | 'set' | 'delete'>;

const isPromise = <T>(v: T | Promise<T>): v is Promise<T> => v instanceof Promise;

/** Resolves a list of values some of which may be promises, staying synchronous when none is. */
function all<T>(items: readonly (T | Promise<T>)[]): T[] | Promise<T[]> {
  return items.some(isPromise) ? Promise.all(items) : (items as T[]);
}

/**
 * `getMany`, `setMany` and `remove` from `get`, `set` and `delete`.
 *
 * @example
 * ```ts
 * const ops = derivedOps(store);
 * const reads = await ops.getMany('app', ['a', 'b']);
 * ```
 */
export function derivedOps<P>(store: Basic<P>): Required<Pick<Store<P>, 'getMany' | 'setMany' | 'remove'>> {
  const getMany = (ns: string, keys: readonly string[]): ReadResult<P>[] | Promise<ReadResult<P>[]> =>
    all(keys.map((k) => store.get(ns, k)));
  const setMany = (ns: string, items: readonly ManyWrite<P>[]): boolean[] | Promise<boolean[]> =>
    all(items.map((w) => store.set(ns, w.key, w.entry, w.epoch)));
  const remove = (ns: string, keys: readonly string[]): number | Promise<number> => {
    const unique = [...new Set(keys)];
    const reads = getMany(ns, unique);
    const finish = (rs: ReadResult<P>[]): number | Promise<number> => {
      const n = rs.filter((r) => r.hit).length;
      const d = store.delete(ns, unique);
      return isPromise(d) ? d.then(() => n) : n;
    };
    return isPromise(reads) ? reads.then(finish) : finish(reads);
  };
  return { getMany, setMany, remove };
}

/** Keys per batch yielded by the in-process stores' `scan`. */
export const SCAN_BATCH = 1000;

/**
 * Yields, in batches, the keys of `keys` that match `pattern` and that `live` accepts.
 *
 * @example
 * ```ts
 * for await (const batch of scanIterable(lru.keys(), 'user:*', () => true)) console.log(batch);
 * ```
 */
export async function* scanIterable(
  keys: Iterable<string>,
  pattern: string,
  live: (key: string) => boolean = () => true,
): AsyncGenerator<readonly string[]> {
  let batch: string[] = [];
  for (const key of [...keys]) {
    if (!globMatch(pattern, key) || !live(key)) continue;
    batch.push(key);
    if (batch.length >= SCAN_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
