/**
 * Options shared by the Redis stores, and their checks (bad options throw at construction).
 *
 * @packageDocumentation
 */
import { parseDuration, type Duration } from '../../core/duration.js';
import { checkStoreOptions } from '../../options/redisStoreSchemas.js';
import { MARKER_MARGIN_MS } from '../clock/markerMargin.js';

/** Default bound on `close()`: how long pending commands may take to answer before they are dropped. */
export const CLOSE_TIMEOUT_MS = 2000;

/**
 * Options of `redisStore` and `redisClusterStore`.
 *
 * @example
 * ```ts
 * const opts: RedisStoreOptions = { prefix: 'myapp', markerMargin: '15m', onError: (e) => log.warn(e) };
 * ```
 */
export interface RedisStoreOptions {
  /**
   * Groups per namespace (each its own hash tag, epoch counter and cluster slot). Default 1 on a
   * single server, 64 on a cluster; use at least 16 per master. Every process sharing the data
   * must use the same value.
   */
  readonly groups?: number;
  /** First segment of every key. Default `tc`. */
  readonly prefix?: string;
  /**
   * How long invalidation markers outlive the longest entry life seen (covers computations that
   * straddle an invalidation). Default 10 minutes.
   */
  readonly markerMargin?: Duration;
  /**
   * How long `close()` waits for commands already sent to answer before it drops them and
   * destroys the connection (a hung server or a network partition). Default 2 s; 0 drops them
   * at once.
   */
  readonly closeTimeout?: Duration;
  /** Errors of a client the store created (connection lost, reconnect failed). Default: ignored. */
  readonly onError?: (error: Error) => void;
}

/**
 * Resolved settings.
 *
 * @example
 * ```ts
 * const s: RedisSettings = resolveOptions({}, 1);
 * ```
 */
export interface RedisSettings {
  readonly groups: number;
  readonly prefix: string;
  readonly markerMargin: number;
  /** ms, see {@link RedisStoreOptions.closeTimeout}. */
  readonly closeTimeout: number;
  readonly onError: (error: Error) => void;
}

const ignore = (): void => undefined;

/**
 * Checks the options (zod, `InvalidOptionsError` naming the option) and fills in the defaults.
 *
 * @example
 * ```ts
 * resolveOptions({ groups: 32 }, 64, 'redisClusterStore').groups; // 32
 * ```
 */
export function resolveOptions(
  options: RedisStoreOptions,
  defaultGroups: number,
  where = 'redisStore',
): RedisSettings {
  checkStoreOptions(options, where);
  const markerMargin =
    options.markerMargin === undefined ? MARKER_MARGIN_MS : parseDuration(options.markerMargin);
  const closeTimeout =
    options.closeTimeout === undefined ? CLOSE_TIMEOUT_MS : parseDuration(options.closeTimeout);
  return {
    groups: options.groups ?? defaultGroups,
    prefix: options.prefix ?? 'tc',
    markerMargin: markerMargin ?? MARKER_MARGIN_MS,
    closeTimeout: closeTimeout ?? CLOSE_TIMEOUT_MS,
    onError: options.onError ?? ignore,
  };
}
