/**
 * Options shared by the Redis stores, and their checks (bad options throw at construction).
 *
 * @packageDocumentation
 */
import { parseDuration, type Duration } from '../../core/duration.js';
import { InvalidOptionsError } from '../../errors.js';
import { MARKER_MARGIN_MS } from '../clock/markerMargin.js';
import { SLOT_COUNT } from './slots.js';

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
  readonly onError: (error: Error) => void;
}

const ignore = (): void => undefined;

/**
 * Checks the options and fills in the defaults.
 *
 * @example
 * ```ts
 * resolveOptions({ groups: 32 }, 64).groups; // 32
 * ```
 */
export function resolveOptions(options: RedisStoreOptions, defaultGroups: number): RedisSettings {
  const groups = options.groups ?? defaultGroups;
  if (!Number.isInteger(groups) || groups < 1 || groups > SLOT_COUNT) {
    throw new InvalidOptionsError(
      'groups',
      `expected an integer from 1 to ${SLOT_COUNT}, got ${String(groups)}`,
    );
  }
  const prefix = options.prefix ?? 'tc';
  if (typeof prefix !== 'string' || prefix.length === 0 || /[{}]/.test(prefix)) {
    throw new InvalidOptionsError('prefix', 'expected a non-empty string without { or }');
  }
  const markerMargin =
    options.markerMargin === undefined ? MARKER_MARGIN_MS : parseDuration(options.markerMargin);
  if (markerMargin === undefined)
    throw new InvalidOptionsError(
      'markerMargin',
      `expected a duration, got ${JSON.stringify(options.markerMargin)}`,
    );
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new InvalidOptionsError('onError', 'expected a function');
  }
  return { groups, prefix, markerMargin, onError: options.onError ?? ignore };
}
