/**
 * The protocol through which class instances give their own key material.
 *
 * @packageDocumentation
 */

/**
 * Implement `[cacheKey]()` on a class to say how its instances appear in cache keys. The method
 * returns key material (a string, a number, a plain object, …) that is canonicalized like any
 * argument; an instance keys exactly as the value it returns. `Symbol.for` makes the symbol the
 * same across copies of the package.
 *
 * @example
 * ```ts
 * import { cacheKey } from 'tagcache';
 * class Query {
 *   constructor(readonly table: string, readonly where: Record<string, unknown>) {}
 *   [cacheKey]() { return { table: this.table, where: this.where }; }
 * }
 * ```
 */
export const cacheKey: unique symbol = Symbol.for('tagcache.cacheKey');

/**
 * An object implementing the {@link cacheKey} protocol.
 */
export interface HasCacheKey {
  [cacheKey](): unknown;
}
