import { parseDuration, toMs, type Duration } from './duration.js';
import { InvalidOptionsError } from '../errors.js';

/**
 * A named TTL: `'short'` (30 s), `'default'` (5 min), `'long'` (1 h), each overridable per cache
 * (`createCache({ ttlPresets })`) and by `TAGCACHE_TTL_SHORT|DEFAULT|LONG`.
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
const ENV_OF: Readonly<Record<TtlPreset, string>> = {
  short: 'TAGCACHE_TTL_SHORT',
  default: 'TAGCACHE_TTL_DEFAULT',
  long: 'TAGCACHE_TTL_LONG',
};

/** Whether `value` names a preset. */
export function isTtlPreset(value: unknown): value is TtlPreset {
  return value === 'short' || value === 'default' || value === 'long';
}

/**
 * The presets of a cache: `config` first, then the `TAGCACHE_TTL_*` variables, then the built-in
 * 30 s / 5 min / 1 h. A bad environment value throws InvalidOptionsError naming the variable.
 */
export function ttlPresetsOf(
  config: Partial<Record<TtlPreset, Duration>> = {},
  env: NodeJS.ProcessEnv = process.env,
): TtlPresets {
  const out: Record<TtlPreset, number> = { ...BUILT_IN };
  for (const name of PRESET_NAMES) {
    const given = config[name];
    if (given !== undefined) {
      out[name] = toMs(given, `ttlPresets.${name}`);
      continue;
    }
    const raw = env[ENV_OF[name]];
    if (raw === undefined || raw === '') continue;
    const ms = parseDuration(/^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw);
    if (ms === undefined || ms <= 0)
      throw new InvalidOptionsError(
        ENV_OF[name],
        `expected a positive duration like '30s' or '2h'; got ${JSON.stringify(raw)}`,
      );
    out[name] = ms;
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
