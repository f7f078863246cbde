/**
 * Error classes with a stable `code`. The wrapped function's own errors are never wrapped.
 *
 * @packageDocumentation
 */

/**
 * Base class of every error tagcache throws.
 *
 * @example
 * ```ts
 * try { getCache('nope'); } catch (e) { if (e instanceof TagcacheError) console.log(e.code); }
 * ```
 */
export class TagcacheError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * An option has the wrong shape; thrown at wrap time. `option` names it (`ttl`, `jitter`, …).
 *
 * @example
 * ```ts
 * withCache(fn, { ttl: 'banana' }); // throws InvalidOptionsError: ttl: …
 * ```
 */
export class InvalidOptionsError extends TagcacheError {
  readonly option: string;
  constructor(option: string, message: string) {
    super('ERR_INVALID_OPTIONS', `Invalid option "${option}": ${message}`);
    this.option = option;
  }
}

/**
 * `getCache(name)` for a name that was never registered.
 *
 * @example
 * ```ts
 * getCache('missing'); // throws UnknownCacheError
 * ```
 */
export class UnknownCacheError extends TagcacheError {
  constructor(name: string, known: readonly string[]) {
    super(
      'ERR_UNKNOWN_CACHE',
      `No cache named "${name}" is registered (known: ${known.length ? known.join(', ') : 'none'}). Create it with createCache({ name: "${name}" }).`,
    );
  }
}

/**
 * An argument cannot form a stable key; thrown at call time, naming the argument's position.
 *
 * @example
 * ```ts
 * await getThing(() => 1); // rejects with InvalidKeyError: argument 0 …
 * ```
 */
export class InvalidKeyError extends TagcacheError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('ERR_INVALID_KEY', `Cannot build a cache key from ${path}: ${message}`);
    this.path = path;
  }
}

/**
 * A store operation failed, timed out, or was skipped by an open circuit breaker.
 * Never thrown to callers of cached functions (they fail open); seen in events.
 *
 * @example
 * ```ts
 * createCache({ onEvent: (e) => { if (e.type === 'store-error') console.log(e.error.code); } });
 * ```
 */
export class StoreError extends TagcacheError {
  constructor(
    code: 'ERR_STORE' | 'ERR_STORE_TIMEOUT' | 'ERR_CIRCUIT_OPEN',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/**
 * A value could not be serialized or a payload could not be decoded.
 *
 * @example
 * ```ts
 * // seen as an event: { type: 'decode-error', error: SerializationError }
 * ```
 */
export class SerializationError extends TagcacheError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SERIALIZATION', message, options);
  }
}

/**
 * A cached function took longer than its `hardTimeout`: the call rejects with this (code
 * `ERR_TIMEOUT`); the computation goes on, and its result is still cached if no invalidation
 * refused the write.
 *
 * @example
 * ```ts
 * const getUser = withCache(fetchUser, { hardTimeout: '2s' });
 * try { await getUser(1); } catch (e) { if (e instanceof TimeoutError) console.log(e.timeout); }
 * ```
 */
export class TimeoutError extends TagcacheError {
  /** The timeout that passed, ms. */
  readonly timeout: number;
  constructor(message: string, timeout: number) {
    super('ERR_TIMEOUT', message);
    this.timeout = timeout;
  }
}

/**
 * All error classes, by name.
 *
 * @example
 * ```ts
 * import { errors } from 'tagcache';
 * if (e instanceof errors.InvalidOptionsError) console.log(e.option);
 * ```
 */
export const errors = Object.freeze({
  TagcacheError,
  InvalidOptionsError,
  UnknownCacheError,
  InvalidKeyError,
  StoreError,
  SerializationError,
  TimeoutError,
});
