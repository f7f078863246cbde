/**
 * Options of the tiered store, their checks (zod, at construction) and their defaults.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { parseDuration, type Duration } from '../../core/duration.js';
import { InvalidOptionsError } from '../../errors.js';
import { parseOptions } from '../../options/parseOptions.js';
import type { MemoryStoreOptions } from '../memoryStore.js';
import type { RedisClientOptionsLike } from '../redis/connectors.js';
import type { Store } from '../Store.js';

/**
 * Where the coherence bus of a tiered store connects: the Redis server, or the Redis Cluster, that
 * the L2 store uses (the bus has its own connections: one for commands, one subscribed).
 *
 * @example
 * ```ts
 * const single: TieredBusConnection = { url: 'redis://localhost:6379' };
 * const cluster: TieredBusConnection = { rootNodes: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000'] };
 * ```
 */
export type TieredBusConnection =
  | { readonly url: string; readonly clientOptions?: RedisClientOptionsLike }
  | { readonly rootNodes: readonly string[]; readonly clusterOptions?: RedisClientOptionsLike };

/**
 * Options of `tieredStore`.
 *
 * @example
 * ```ts
 * const opts: TieredStoreOptions = {
 *   l2: redisStore({ url: 'redis://localhost:6379' }),
 *   bus: { url: 'redis://localhost:6379' },
 *   l1: { maxEntries: 50_000, maxBytes: 64 * 1024 * 1024 },
 *   coherence: 'strict',
 *   lease: '2s',
 * };
 * ```
 */
export interface TieredStoreOptions {
  /** The shared store behind the memory tier: `redisStore` or `redisClusterStore`. */
  readonly l2: Store<string>;
  /** The Redis (or Cluster) the coherence bus uses; the same server as `l2`. */
  readonly bus: TieredBusConnection;
  /** Bounds of the memory tier, per namespace: default 10,000 entries, no byte bound. */
  readonly l1?: MemoryStoreOptions;
  /**
   * `strict` (default): an invalidation resolves once every live process has dropped the entries
   * from its memory tier (or its lease ran out). `eventual`: it resolves as soon as it is
   * published; other processes drop their copies when the message arrives.
   */
  readonly coherence?: 'strict' | 'eventual';
  /**
   * How long a process may serve its memory tier without hearing from Redis, and the longest a
   * strict invalidation waits for a silent process. Default `'2s'`; at least 300 ms.
   */
  readonly lease?: Duration;
  /** First segment of the bus key and channels; processes sharing data must agree. Default `tc`. */
  readonly prefix?: string;
  /** Errors of the bus connections (lost connection, failed renewal). Default: ignored. */
  readonly onError?: (error: Error) => void;
}

/** Resolved settings of a tiered store. */
export interface TieredSettings {
  readonly coherence: 'strict' | 'eventual';
  readonly lease: number;
  readonly prefix: string;
  readonly maxEntries: number;
  readonly maxBytes: number | undefined;
  readonly sizeOf: ((payload: string) => number) | undefined;
  readonly onError: (error: Error) => void;
}

const isFn = (v: unknown): boolean => typeof v === 'function';
const storeShape = z.custom<Store<string>>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    ['get', 'set', 'delete', 'invalidate', 'clear', 'close'].every((m) =>
      isFn((v as Record<string, unknown>)[m]),
    ),
  { message: 'expected a Store (redisStore or redisClusterStore)' },
);
const busShape = z.union(
  [
    z.strictObject({
      url: z.string().regex(/^rediss?:\/\//i),
      clientOptions: z.record(z.string(), z.unknown()).optional(),
    }),
    z.strictObject({
      rootNodes: z.array(z.string().min(1)).min(1),
      clusterOptions: z.record(z.string(), z.unknown()).optional(),
    }),
  ],
  { message: 'expected { url: "redis://…" } or { rootNodes: ["redis://host:port", …] }' },
);
const positiveInt = z.number().int().positive();
const schema = z.strictObject({
  l2: storeShape,
  bus: busShape,
  l1: z
    .strictObject({
      maxEntries: positiveInt.optional(),
      maxBytes: positiveInt.optional(),
      sizeOf: z.custom(isFn).optional(),
    })
    .optional(),
  coherence: z.enum(['strict', 'eventual']).optional(),
  lease: z
    .custom<Duration>((d) => (parseDuration(d) ?? 0) >= 300, {
      message: "expected a duration of at least 300 ms, like '2s'",
    })
    .optional(),
  prefix: z
    .string()
    .min(1)
    .regex(/^[^{}]+$/, { message: 'expected a non-empty string without { or }' })
    .optional(),
  onError: z.custom(isFn, { message: 'expected a function' }).optional(),
});

const ignore = (): void => undefined;

/**
 * Checks the options (throwing `InvalidOptionsError` naming the bad one) and fills the defaults.
 *
 * @example
 * ```ts
 * resolveTieredOptions({ l2, bus: { url } }).lease; // 2000
 * ```
 */
export function resolveTieredOptions(options: TieredStoreOptions): TieredSettings {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionsError('tieredStore', 'expected an options object');
  parseOptions(schema, options, 'tieredStore');
  const l1 = options.l1 ?? {};
  if (options.l2.holdsValues)
    throw new InvalidOptionsError('l2', 'expected a store of strings (redisStore, redisClusterStore)');
  const sizeOf = l1.sizeOf;
  return {
    coherence: options.coherence ?? 'strict',
    lease: parseDuration(options.lease ?? '2s') as number,
    prefix: options.prefix ?? 'tc',
    maxEntries: l1.maxEntries ?? 10_000,
    maxBytes: l1.maxBytes,
    sizeOf: sizeOf === undefined ? undefined : (p: string) => sizeOf(p),
    onError: options.onError ?? ignore,
  };
}
