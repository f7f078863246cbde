import { toMs, type Duration } from './duration.js';
import { environmentTtlPresets } from '../config/env.js';

/**
 * A named TTL: `'short'` (30 s), `'default'` (5 min), `'long'` (1 h), each overridable per cache
 * (`createCache({ ttlPresets })`) and by `TAGCACHE_TTL_SHORT|DEFAULT|LONG` (read by config/env.ts).
 *
 * @example
 * ```ts
 * const preset: TtlPreset = 'long';
 * ```
 */
export type TtlPreset = 'short' | 'default' | 'long';

/**
 * What a `ttl` option accepts: a {@link Duration}, a {@link TtlPreset}, or `'forever'` (no time
 * expiry: the entry lives until it is invalidated or evicted).
 *
 * @example
 * ```ts
 * const ttls: Ttl[] = [60_000, '5m', 'short', 'forever'];
 * ```
 */
export type Ttl = Duration | TtlPreset | 'forever';

/**
 * The presets of one cache, in milliseconds.
 *
 * @example
 * ```ts
 * const presets: TtlPresets = { short: 30_000, default: 300_000, long: 3_600_000 };
 * ```
 */
export interface TtlPresets {
  readonly short: number;
  readonly default: number;
  readonly long: number;
}

/**
 * The lifetime `'forever'` stands for: 10^13 ms (about 317 years), a finite number so that every
 * store (Redis `PX`, file timestamps, Lua arithmetic) keeps exact integers.
 */
export const FOREVER_MS = 1e13;

const BUILT_IN: TtlPresets = Object.freeze({ short: 30_000, default: 300_000, long: 3_600_000 });
const PRESET_NAMES: readonly TtlPreset[] = ['short', 'default', 'long'];

/** Whether `value` names a preset. */
export function isTtlPreset(value: unknown): value is TtlPreset {
  return value === 'short' || value === 'default' || value === 'long';
}

/**
 * The presets of a cache: `config` first, then `fromEnvironment` (by default the
 * `TAGCACHE_TTL_SHORT|DEFAULT|LONG` variables, read once by config/env.ts; a bad value throws
 * InvalidOptionsError naming the variable), then the built-in 30 s / 5 min / 1 h.
 */
export function ttlPresetsOf(
  config: Partial<Record<TtlPreset, Duration>> = {},
  fromEnvironment: Partial<Record<TtlPreset, number>> = environmentTtlPresets(),
): TtlPresets {
  const out: Record<TtlPreset, number> = { ...BUILT_IN };
  for (const name of PRESET_NAMES) {
    const given = config[name];
    const env = fromEnvironment[name];
    if (given !== undefined) out[name] = toMs(given, `ttlPresets.${name}`);
    else if (env !== undefined) out[name] = env;
  }
  return Object.freeze(out);
}

/**
 * Milliseconds of a {@link Ttl} for a cache with `presets`; throws a TypeError naming `what` for
 * anything else.
 */
export function ttlMs(ttl: Ttl, presets: TtlPresets, what: string): number {
  if (ttl === 'forever') return FOREVER_MS;
  if (isTtlPreset(ttl)) return presets[ttl];
  return toMs(ttl, what);
}

/** The built-in presets (30 s, 5 min, 1 h), for computations outside any cache. */
export const DEFAULT_TTL_PRESETS: TtlPresets = BUILT_IN;
