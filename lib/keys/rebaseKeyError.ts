import { InvalidKeyError } from '../errors.js';

/**
 * The InvalidKeyError `e` (raised for `argument 0` of a one-value key) with its path moved under
 * `where` (`this`, `argument 1.filter`, …); anything else unchanged.
 */
export function rebaseKeyError(e: unknown, where: string): unknown {
  if (!(e instanceof InvalidKeyError) || !e.path.startsWith('argument 0')) return e;
  const reason = e.message.slice(`Cannot build a cache key from ${e.path}: `.length);
  return new InvalidKeyError(where + e.path.slice('argument 0'.length), reason);
}
