/**
 * Promises settled through the object that tracks them: one shared executor hands a new
 * promise's resolving functions to that object, so the hot paths that make a promise per store
 * operation (the timeout sweep, the Redis read batch) need no closure per promise. The shared
 * slots are emptied at once: nothing keeps a settled promise (and its value) reachable through
 * them. A leaf (no imports): stores use it too.
 *
 * @packageDocumentation
 */

/** What settles a promise made by {@link promiseInto}: the functions are put into these fields. */
export interface Settler<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** A resolving function that does nothing: the initial and the spent value of a {@link Settler}'s fields. */
export const SETTLES_NOTHING = (): void => undefined;

let resolveSlot: (value: never) => void = SETTLES_NOTHING;
let rejectSlot: (error: unknown) => void = SETTLES_NOTHING;
const capture = (resolve: (value: never) => void, reject: (error: unknown) => void): void => {
  resolveSlot = resolve;
  rejectSlot = reject;
};

/**
 * A new pending promise whose resolve and reject functions are now `settler.resolve` and
 * `settler.reject`.
 */
export function promiseInto<T>(settler: Settler<T>): Promise<T> {
  const promise = new Promise<T>(capture);
  settler.resolve = resolveSlot as (value: T) => void;
  settler.reject = rejectSlot;
  resolveSlot = SETTLES_NOTHING;
  rejectSlot = SETTLES_NOTHING;
  return promise;
}
