import { z } from 'zod';
import { parseDuration } from '../core/duration.js';

const DURATION_HINT = "milliseconds (a number >= 0) or a string like '250ms', '30s', '5m', '2h', '7d'";

const isFn = (v: unknown): boolean => typeof v === 'function';
const fn = (what: string) => z.custom<(...a: never[]) => unknown>(isFn, { message: `expected ${what}` });
const duration = z.custom<number | string>((d) => parseDuration(d) !== undefined, {
  message: `expected ${DURATION_HINT}`,
});
const positiveDuration = z.custom<number | string>((d) => (parseDuration(d) ?? 0) > 0, {
  message: `expected a positive duration: ${DURATION_HINT}`,
});
const TTL_HINT = `a positive duration (${DURATION_HINT}), 'short' | 'default' | 'long' or 'forever'`;
const TTL_WORDS: ReadonlySet<unknown> = new Set(['forever', 'short', 'default', 'long']);
const ttlSpec = z.custom<number | string>((v) => TTL_WORDS.has(v) || (parseDuration(v) ?? 0) > 0, {
  message: `expected ${TTL_HINT}`,
});
const fraction = (what: string) =>
  z
    .number({ message: `expected a number from 0 to 1 (${what})` })
    .min(0, { message: `expected a number from 0 to 1 (${what})` })
    .max(1, {
      message: `expected a number from 0 to 1 (${what})`,
    });
/** A TagList: one non-empty string (one tag), or an iterable of them. */
const isTagList = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.length > 0
    : v != null &&
      typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function' &&
      [...(v as Iterable<unknown>)].every((t) => typeof t === 'string' && t.length > 0);
const TAGS_HINT =
  'expected a tag (non-empty string), an iterable (array or Set) of them, or a function of the arguments';
/** The `tags` option of `withCache`, `withInvalidation` and `resource`. */
export const tagsOption = z.union(
  [z.custom<Iterable<string>>(isTagList, { message: TAGS_HINT }), fn('a function')],
  {
    message: TAGS_HINT,
  },
);
const isExtractor = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && isFn((v as { extract?: unknown }).extract);
const extractor = z.custom((v) => isExtractor(v), {
  message: "expected an entity extractor made by entity('type', …)",
});
const errorClasses = z.custom<unknown[]>((v) => Array.isArray(v) && v.every(isFn), {
  message: 'expected an array of error classes or a predicate function',
});

/** Checks the options of `withCache` (wrap time). */
export const wrapOptionsSchema = z.strictObject({
  cache: z
    .union([z.string().min(1), z.custom((v) => typeof v === 'object' && v !== null)], {
      message: 'expected a cache handle or the name of a registered cache',
    })
    .optional(),
  name: z
    .string({ message: 'expected a non-empty string' })
    .min(1, { message: 'expected a non-empty string' })
    .optional(),
  shareEntries: z.boolean({ message: 'expected a boolean' }).optional(),
  key: z
    .union([fn('a function'), z.string().min(1)], {
      message: "expected a function of the arguments returning key material, or a template like 'user:{id}'",
    })
    .optional(),
  exclude: z
    .array(z.union([z.number().int().min(0), z.string().min(1)]), {
      message: 'expected an array of argument positions (integers >= 0) or field names of the first argument',
    })
    .optional(),
  ttl: z
    .union([ttlSpec, fn('a function')], {
      message: `expected ${TTL_HINT}, or a function of the value`,
    })
    .optional(),
  tags: tagsOption.optional(),
  resultTags: fn('a function (value, ...args) => iterable of tags').optional(),
  entities: z
    .union([extractor, z.array(extractor)], { message: "expected entity('type', …) or an array of them" })
    .optional(),
  cacheIf: fn('a predicate (value) => boolean').optional(),
  validate: fn('a predicate ({ value, createdAt, age }) => boolean').optional(),
  schema: z
    .custom((v) => typeof v === 'object' && v !== null && '~standard' in v, {
      message: 'expected a zod schema or any Standard Schema',
    })
    .optional(),
  staleWhileRevalidate: duration.optional(),
  staleIfError: duration.optional(),
  jitter: fraction('the fraction of the TTL to spread expiry over').optional(),
  refreshAhead: fraction(
    'the last fraction of the TTL in which a hit refreshes in the background',
  ).optional(),
  cacheErrors: z
    .union([errorClasses, fn('a predicate')], {
      message: 'expected an array of error classes or a predicate function',
    })
    .optional(),
  lock: z
    .union([z.boolean(), z.strictObject({ ttl: positiveDuration.optional(), wait: duration.optional() })], {
      message: 'expected true/false or { ttl?, wait? } with durations',
    })
    .optional(),
  timeout: positiveDuration.optional(),
  onCall: fn('a function ({ hit, stale, key, args, value, error, durationMs }) => void').optional(),
  softTimeout: positiveDuration.optional(),
  hardTimeout: positiveDuration.optional(),
});

const store = z.custom(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    ['get', 'set', 'delete', 'invalidate', 'clear', 'close'].every((m) =>
      isFn((v as Record<string, unknown>)[m]),
    ),
  { message: 'expected a Store (memoryStore(), redisStore(…), …)' },
);

/** Checks the configuration of `createCache` / `configure`. */
export const cacheConfigSchema = z.strictObject({
  name: z
    .string({ message: 'expected a non-empty string' })
    .min(1, { message: 'expected a non-empty string' })
    .optional(),
  store: store.optional(),
  namespace: z.string({ message: 'expected a string' }).optional(),
  version: z.union([z.string(), z.number()], { message: 'expected a string or a number' }).optional(),
  ttl: ttlSpec.optional(),
  maxTtl: positiveDuration.optional(),
  ttlPresets: z
    .strictObject({
      short: positiveDuration.optional(),
      default: positiveDuration.optional(),
      long: positiveDuration.optional(),
    })
    .optional(),
  serializer: z
    .custom(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        isFn((v as Record<string, unknown>).serialize) &&
        isFn((v as Record<string, unknown>).deserialize),
      {
        message: 'expected { serialize(value): string, deserialize(payload): unknown }',
      },
    )
    .optional(),
  enabled: z.boolean({ message: 'expected a boolean' }).optional(),
  onEvent: fn('a function (event) => void').optional(),
  debug: z.boolean({ message: 'expected a boolean' }).optional(),
  metrics: z.boolean({ message: 'expected a boolean' }).optional(),
  timeout: positiveDuration.optional(),
  breaker: z
    .union(
      [
        z.literal(false),
        z.strictObject({
          failures: z.number().int().min(1).optional(),
          resetAfter: positiveDuration.optional(),
        }),
      ],
      { message: 'expected false or { failures?: integer >= 1, resetAfter?: duration }' },
    )
    .optional(),
  logger: z
    .union(
      [
        z.literal(false),
        fn('a function (message) => void'),
        z.custom((v) => typeof v === 'object' && v !== null && isFn((v as Record<string, unknown>).warn)),
      ],
      { message: 'expected false, a function (line) => void, or a logger with warn() (console, pino)' },
    )
    .optional(),
  timers: z
    .custom(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        ['now', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'].every((m) =>
          isFn((v as Record<string, unknown>)[m]),
        ),
      {
        message:
          'expected { now, setTimeout, clearTimeout, setInterval, clearInterval } (manualTimers() of tagcache/testing)',
      },
    )
    .optional(),
});
