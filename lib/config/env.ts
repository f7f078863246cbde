import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { InvalidOptionsError } from '../errors.js';
import type { TtlPreset } from '../core/ttlPresets.js';

// Reads every environment variable tagcache has. Each variable is a row of ENVIRONMENT_VARIABLES
// (name, zod schema, what it means); `readEnvironment` parses rows of a record. Two readings of
// process.env, each made once and kept:
// - `environment()`: every row, for the default cache (core/defaults.ts maps it onto the default
//   cache's configuration), the first time the default cache is made;
// - `environmentTtlPresets()`: the three TTL preset rows only, for every cache
//   (core/ttlPresets.ts), the first time any cache is made. Only these rows, so that a named cache
//   is never refused over a variable that configures the default cache alone.
// docs/configuration.md lists every row (a test checks it).

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

const flag = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => TRUE.has(v) || FALSE.has(v), { message: 'expected 1, 0, true, false, yes, no, on or off' })
  .transform((v) => TRUE.has(v));
const text = z
  .string()
  .transform((v) => v.trim())
  .refine((v) => v.length > 0, { message: 'expected a non-empty string' });
const positiveDuration = z
  .string()
  .transform((v) => (/^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v))
  .transform((v) => parseDuration(v) ?? 0)
  .refine((ms) => ms > 0, {
    message: "expected a positive duration: milliseconds (300000) or a string like '30s', '5m', '2h', '7d'",
  });
const storeUrl = z
  .string()
  .trim()
  .regex(/^(memory|redis|rediss|redis-cluster|file|null):\/\//, {
    message:
      'expected a URL starting with memory://, redis://, rediss://, redis-cluster://, file:// or null://',
  });

/**
 * The configuration the environment gives the default cache (every field absent when its
 * variable is unset or empty).
 *
 * @example
 * ```ts
 * const env: Environment = { namespace: 'shop', ttl: 600_000, debug: true };
 * ```
 */
export interface Environment {
  readonly url?: string;
  readonly enabled?: boolean;
  readonly namespace?: string;
  readonly version?: string;
  /** ms */
  readonly ttl?: number;
  readonly debug?: boolean;
  readonly metrics?: boolean;
  /** ms: the `'short'` preset of every cache */
  readonly ttlShort?: number;
  /** ms: the `'default'` preset of every cache (also its default TTL) */
  readonly ttlDefault?: number;
  /** ms: the `'long'` preset of every cache */
  readonly ttlLong?: number;
}

/**
 * Every environment variable tagcache reads: its name, the `Environment` field it sets, its
 * schema, and what it does (the docs table is checked against this list).
 *
 * @example
 * ```ts
 * ENVIRONMENT_VARIABLES.map((v) => v.name); // ['TAGCACHE_URL', 'TAGCACHE_ENABLED', 'TAGCACHE_NAMESPACE', 'TAGCACHE_VERSION', 'TAGCACHE_TTL', 'TAGCACHE_DEBUG', 'TAGCACHE_METRICS', 'TAGCACHE_TTL_SHORT', 'TAGCACHE_TTL_DEFAULT', 'TAGCACHE_TTL_LONG']
 * ```
 */
export const ENVIRONMENT_VARIABLES = [
  { name: 'TAGCACHE_URL', field: 'url', schema: storeUrl, doc: 'store of the default cache' },
  { name: 'TAGCACHE_ENABLED', field: 'enabled', schema: flag, doc: '0 turns the default cache off' },
  { name: 'TAGCACHE_NAMESPACE', field: 'namespace', schema: text, doc: 'namespace of the default cache' },
  { name: 'TAGCACHE_VERSION', field: 'version', schema: text, doc: 'version of the default cache' },
  { name: 'TAGCACHE_TTL', field: 'ttl', schema: positiveDuration, doc: 'default TTL of the default cache' },
  { name: 'TAGCACHE_DEBUG', field: 'debug', schema: flag, doc: 'debug lines for the default cache' },
  { name: 'TAGCACHE_METRICS', field: 'metrics', schema: flag, doc: 'metrics for the default cache' },
  {
    name: 'TAGCACHE_TTL_SHORT',
    field: 'ttlShort',
    schema: positiveDuration,
    doc: "'short' preset of every cache",
  },
  {
    name: 'TAGCACHE_TTL_DEFAULT',
    field: 'ttlDefault',
    schema: positiveDuration,
    doc: "'default' preset (and default TTL) of every cache",
  },
  {
    name: 'TAGCACHE_TTL_LONG',
    field: 'ttlLong',
    schema: positiveDuration,
    doc: "'long' preset of every cache",
  },
] as const satisfies ReadonlyArray<{
  readonly name: string;
  readonly field: keyof Environment;
  readonly schema: z.ZodType;
  readonly doc: string;
}>;

type Variable = (typeof ENVIRONMENT_VARIABLES)[number];

/**
 * Parses tagcache's variables from `env`; throws InvalidOptionsError naming the variable for a
 * bad value (`Invalid option "TAGCACHE_TTL": … (environment variable); got "banana"`).
 *
 * @example
 * ```ts
 * readEnvironment({ TAGCACHE_TTL: '10m', TAGCACHE_DEBUG: '1' }); // { ttl: 600000, debug: true }
 * ```
 */
export function readEnvironment(env: Readonly<Record<string, string | undefined>>): Environment {
  return readRows(env, ENVIRONMENT_VARIABLES);
}

function readRows(env: Readonly<Record<string, string | undefined>>, rows: readonly Variable[]): Environment {
  const out: Record<string, unknown> = {};
  for (const variable of rows) {
    const raw = env[variable.name];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = variable.schema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues[0]?.message ?? 'invalid value';
      throw new InvalidOptionsError(
        variable.name,
        `${why} (environment variable); got ${JSON.stringify(raw)}`,
      );
    }
    out[variable.field] = parsed.data;
  }
  return out as Environment;
}

let cached: Environment | undefined;

/**
 * The process environment's tagcache settings, read from `process.env` once (the first time the
 * default cache is made) and kept.
 */
export function environment(): Environment {
  cached ??= readEnvironment(process.env);
  return cached;
}

const PRESET_FIELDS = { short: 'ttlShort', default: 'ttlDefault', long: 'ttlLong' } as const satisfies Record<
  TtlPreset,
  keyof Environment
>;
const PRESET_ROWS: readonly Variable[] = ENVIRONMENT_VARIABLES.filter((v) =>
  (Object.values(PRESET_FIELDS) as readonly string[]).includes(v.field),
);
let cachedPresets: Partial<Record<TtlPreset, number>> | undefined;

/**
 * The TTL presets `TAGCACHE_TTL_SHORT|DEFAULT|LONG` set (ms; a preset absent when its variable is
 * unset or empty), read from `process.env` once (the first time any cache is made) and kept; a
 * bad value throws InvalidOptionsError naming the variable (every time it is asked for).
 */
export function environmentTtlPresets(): Partial<Record<TtlPreset, number>> {
  if (cachedPresets === undefined) {
    const env = readRows(process.env, PRESET_ROWS);
    const out: Partial<Record<TtlPreset, number>> = {};
    for (const [preset, field] of Object.entries(PRESET_FIELDS) as Array<[TtlPreset, keyof Environment]>) {
      const ms = env[field];
      if (typeof ms === 'number') out[preset] = ms;
    }
    cachedPresets = Object.freeze(out);
  }
  return cachedPresets;
}
