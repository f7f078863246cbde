/**
 * A store that keeps nothing.
 *
 * @packageDocumentation
 */
import { parseOptions } from '../options/parseOptions.js';
import { nullStoreOptionsSchema } from '../options/storeSchemas.js';
import type { ReadResult, Store } from './Store.js';

const MISS: ReadResult<never> = Object.freeze({ hit: false, epoch: 0 });

/**
 * A store that never stores anything (`TAGCACHE_URL=null://`): every read is a miss at epoch 0,
 * every write is refused (`false`), deletes, invalidations and clears do nothing. Cached
 * functions always run, while the cache still checks options, builds keys and serializes values,
 * so it suits tests and switching caching off by configuration. It takes no options: any given
 * is rejected with an `InvalidOptionsError`.
 *
 * @example
 * ```ts
 * import { createCache, nullStore } from 'tagcache';
 * const cache = createCache({ store: nullStore() }); // every call runs the function
 * ```
 */
export function nullStore(options: Record<string, never> = {}): Store<string> {
  parseOptions(nullStoreOptionsSchema, options, 'nullStore');
  return Object.freeze({
    kind: 'null',
    holdsValues: false,
    get: (): ReadResult<string> => MISS,
    set: (): boolean => false,
    delete: (): void => undefined,
    invalidate: (): void => undefined,
    clear: (): void => undefined,
    getMany: (_ns: string, keys: readonly string[]): ReadResult<string>[] => keys.map(() => MISS),
    setMany: (_ns: string, items: readonly unknown[]): boolean[] => items.map(() => false),
    remove: (): number => 0,
    expire: (): boolean => false,
    scan: async function* (): AsyncGenerator<readonly string[]> {},
    ping: (): void => undefined,
    info: () => ({ entries: 0 }),
    close: (): Promise<void> => Promise.resolve(),
  });
}
