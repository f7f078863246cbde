import { toMs } from './duration.js';
import { InvalidOptionsError } from '../errors.js';
import { parseOptions } from '../options/parseOptions.js';
import { wrapOptionsSchema } from '../options/schemas.js';
import { hashKey, stableKey } from '../keys/index.js';
import type { Cache } from './createCache.js';
import type { Duration } from './duration.js';
import type { CacheOptions, EntryInfo, ErrorClass } from './types.js';
import type { EntityExtractor } from '../entities/entity.js';
import type { StandardSchemaV1 } from '../options/standardSchema.js';

/** The options of one cached function, checked and normalized at wrap time (internal). */
export interface Policy<A extends unknown[], R> {
  readonly fn: (...args: A) => Promise<R>;
  readonly options: CacheOptions<A, R>;
  readonly name: string;
  readonly cache: Cache | string | undefined;
  /** Key material of the arguments (bounded in length). */
  readonly material: (args: A) => string;
  /** Tags known before the call: static ones plus those of the arguments. */
  readonly argTags: (args: A) => Iterable<string>;
  /** Tags of the value: `resultTags` plus entities; undefined when there are none. */
  readonly valueTags: ((value: R, args: A) => string[]) | undefined;
  readonly ttl: number | ((value: R) => Duration) | undefined;
  readonly cacheIf: ((value: R) => boolean) | undefined;
  readonly validate: ((entry: EntryInfo<R>) => boolean) | undefined;
  readonly schema: StandardSchemaV1 | undefined;
  readonly swr: number;
  readonly sie: number;
  /** How long entries are kept past their TTL for stale serving: max(swr, sie). */
  readonly grace: number;
  readonly jitter: number;
  readonly refreshAhead: number;
  readonly cacheError: ((e: unknown) => boolean) | undefined;
  readonly errorClasses: readonly ErrorClass[];
  readonly lock: { readonly ttl: number; readonly wait: number } | undefined;
  readonly timeout: number | undefined;
  /** A hit needs no per-hit check (no validate, no schema). */
  readonly plainHit: boolean;
  /**
   * Full keys of single-primitive-argument calls, for the cache they were built in: reusing the
   * same key string lets the store's map skip hashing a fresh string on every hit.
   */
  readonly keyMemo: { owner: object | undefined; readonly keys: Map<unknown, string> };
  /** A key given by hand (`cache.getOrSet`): used as it is, whatever the arguments. */
  readonly fixedKey?: string;
}

const NO_TAGS: readonly string[] = Object.freeze([]);

function materialOf<A extends unknown[]>(key: ((...args: A) => unknown) | undefined): (args: A) => string {
  if (key === undefined) return (args) => hashKey(stableKey(args));
  return (args) => hashKey(stableKey([key(...args)]));
}

/**
 * The tag every entry of the function named `name` carries: `invalidateAll()` invalidates it.
 *
 * @example
 * ```ts
 * functionTag('getUser'); // '@fn:getUser'
 * ```
 */
export function functionTag(name: string): string {
  return '@fn:' + name;
}

/**
 * The tags a call knows before it runs: the `tags` option's.
 *
 * @example
 * ```ts
 * argTagsOf<[number]>((id) => [`user:${id}`])([1]); // ['user:1']
 * ```
 */
export function argTagsOf<A extends unknown[]>(tags: CacheOptions<A, unknown>['tags']): (args: A) => Iterable<string> {
  if (tags === undefined) return () => NO_TAGS;
  if (typeof tags === 'function') return (args) => tags(...args);
  const fixed = Object.freeze([...tags]);
  return () => fixed;
}

function withFunctionTag<A extends unknown[]>(name: string, tags: CacheOptions<A, unknown>['tags']): (args: A) => Iterable<string> {
  const own = functionTag(name);
  if (typeof tags !== 'function') {
    const fixed = Object.freeze([own, ...(tags ?? [])]);
    return () => fixed;
  }
  return (args) => [own, ...tags(...args)];
}

function valueTagsOf<A extends unknown[], R>(o: CacheOptions<A, R>): ((value: R, args: A) => string[]) | undefined {
  const extractors: readonly EntityExtractor[] = o.entities === undefined ? [] : Array.isArray(o.entities) ? o.entities : [o.entities as EntityExtractor];
  const resultTags = o.resultTags;
  if (resultTags === undefined && extractors.length === 0) return undefined;
  return (value, args) => {
    const out: string[] = resultTags === undefined ? [] : [...resultTags(value, ...args)];
    for (const x of extractors) out.push(...x.extract(value));
    return out;
  };
}

function cacheErrorOf(c: CacheOptions<unknown[], unknown>['cacheErrors']): ((e: unknown) => boolean) | undefined {
  if (c === undefined) return undefined;
  if (typeof c === 'function') return c as (e: unknown) => boolean;
  const classes = c;
  return (e) => classes.some((cls) => e instanceof cls);
}

function lockOf(l: CacheOptions<unknown[], unknown>['lock']): Policy<unknown[], unknown>['lock'] {
  if (l === undefined || l === false) return undefined;
  const o = l === true ? {} : l;
  return { ttl: toMs(o.ttl ?? '10s', 'lock.ttl'), wait: toMs(o.wait ?? '5s', 'lock.wait') };
}

/**
 * Checks `options` with zod and builds the {@link Policy} of `fn`; throws InvalidOptionsError
 * naming the option at fault.
 *
 * @example
 * ```ts
 * const policy = makePolicy(fetchUser, { ttl: '5m' });
 * ```
 */
export function makePolicy<A extends unknown[], R>(fn: (...args: A) => Promise<R>, options: CacheOptions<A, R> = {}): Policy<A, R> {
  if (typeof fn !== 'function') throw new InvalidOptionsError('fn', 'expected the function to cache');
  parseOptions(wrapOptionsSchema, options, 'withCache');
  const name = options.name ?? fn.name;
  if (!name) throw new InvalidOptionsError('name', 'required for an anonymous function (the key scope must be stable across processes)');
  const o = options as CacheOptions<unknown[], unknown>;
  const swr = options.staleWhileRevalidate === undefined ? 0 : toMs(options.staleWhileRevalidate, 'staleWhileRevalidate');
  const sie = options.staleIfError === undefined ? 0 : toMs(options.staleIfError, 'staleIfError');
  const ttl = options.ttl;
  return Object.freeze({
    fn,
    options,
    name,
    cache: options.cache,
    material: materialOf(options.key),
    argTags: withFunctionTag(name, options.tags),
    valueTags: valueTagsOf(options),
    ttl: ttl === undefined || typeof ttl === 'function' ? ttl : toMs(ttl, 'ttl'),
    cacheIf: options.cacheIf,
    validate: options.validate,
    schema: options.schema,
    swr,
    sie,
    grace: Math.max(swr, sie),
    jitter: options.jitter ?? 0,
    refreshAhead: options.refreshAhead ?? 0,
    cacheError: cacheErrorOf(o.cacheErrors),
    errorClasses: Array.isArray(o.cacheErrors) ? (o.cacheErrors as readonly ErrorClass[]) : [],
    lock: lockOf(o.lock),
    timeout: options.timeout === undefined ? undefined : toMs(options.timeout, 'timeout'),
    plainHit: options.validate === undefined && options.schema === undefined,
    keyMemo: { owner: undefined, keys: new Map<unknown, string>() },
  });
}
