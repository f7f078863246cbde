import { toMs } from './duration.js';
import { InvalidOptionsError } from '../errors.js';
import { parseOptions } from '../options/parseOptions.js';
import { wrapOptionsSchema } from '../options/schemas.js';
import { hashKey, stableKey } from '../keys/index.js';
import { argumentShaper } from '../keys/argumentShape.js';
import { compileKeyTemplate } from '../keys/keyTemplate.js';
import { FOREVER_MS, type TtlPreset } from './ttlPresets.js';
import type { Cache } from './createCache.js';
import type { Duration } from './duration.js';
import type { CacheOptions, CallInfo, EntryInfo, ErrorClass } from './types.js';
import type { StandardSchemaV1 } from '../options/standardSchema.js';
import { wrapSite } from './wrapSite.js';
import { argTagsWithFunctionTag, valueTagsOf, type ValueTags } from '../tags/tagSources.js';

/** The options of one cached function, checked and normalized at wrap time (internal). */
export interface Policy<A extends unknown[], R> {
  /** Called with the caller's `this`. */
  readonly fn: (this: unknown, ...args: A) => Promise<R>;
  readonly options: CacheOptions<A, R>;
  readonly name: string;
  readonly cache: Cache | string | undefined;
  /** Key material of the arguments (bounded in length); `self` is the caller's `this`. */
  readonly material: (args: A, self: unknown) => string;
  /** The `key` option is a function, which may read `this`: no key memo for calls with a `this`. */
  readonly keyReadsThis: boolean;
  /** Entries are per instance: the identity of `this` is part of the key (decorated methods). */
  readonly perInstance: boolean;
  /** Tags known before the call: static ones plus those of the arguments. */
  readonly argTags: (args: A, self?: unknown) => Iterable<string>;
  /** Tags of the value: `resultTags` plus entities; undefined when there are none. */
  readonly valueTags: ValueTags<R, A> | undefined;
  /** ms, a preset resolved by the cache at call time, or a function of the value. */
  readonly ttl: number | TtlPreset | ((value: R) => Duration) | undefined;
  readonly cacheIf: ((value: R) => boolean) | undefined;
  readonly validate: ((entry: EntryInfo<R>) => boolean) | undefined;
  readonly schema: StandardSchemaV1 | undefined;
  /** `staleWhileRevalidate`, ms (0: off). */
  readonly staleWhileRevalidate: number;
  /** `staleIfError`, ms (0: off). */
  readonly staleIfError: number;
  /** How long entries are kept past their TTL for stale serving: the larger stale window. */
  readonly grace: number;
  readonly jitter: number;
  readonly refreshAhead: number;
  readonly cacheError: ((e: unknown) => boolean) | undefined;
  readonly errorClasses: readonly ErrorClass[];
  readonly lock: { readonly ttl: number; readonly wait: number } | undefined;
  readonly timeout: number | undefined;
  /** `softTimeout`, ms (0: off). */
  readonly softTimeout: number;
  /** `hardTimeout`, ms (0: off). */
  readonly hardTimeout: number;
  /** A hit needs no per-hit check (no validate, no schema). */
  readonly plainHit: boolean;
  /**
   * A plain hit needs nothing but the value (plain, no `refreshAhead`): with no enclosing
   * computation it may take the store's {@link Store.freshEntry} shortcut.
   */
  readonly shortHit: boolean;
  /** `onCall`: every call is observed (timed, its outcome recorded) for it. */
  readonly onCall: ((info: CallInfo<A, R>) => void) | undefined;
  /**
   * Full keys of single-primitive-argument calls, for the cache they were built in: reusing the
   * same key string lets the store's map skip hashing a fresh string on every hit.
   */
  readonly keyMemo: { owner: object | undefined; readonly keys: Map<unknown, string> };
  /** A key given by hand (`cache.getOrSet`): used as it is, whatever the arguments. */
  readonly fixedKey?: string;
  /** The same per instance, for {@link perInstance} policies (see instanceKey.ts). */
  readonly instanceMemo: WeakMap<object, InstanceMemo>;
  /**
   * The instance of the last per-instance call and its memo, so repeat calls on one instance skip
   * the WeakMap (as memoize-one, it holds that one instance until a call on another one; a
   * `WeakRef` cost ~15% of a decorated memory hit).
   */
  readonly lastInstance: { instance: object | undefined; memo: InstanceMemo | undefined };
  /** Where the function was wrapped (for the error of a name used twice). */
  readonly site: string;
  readonly shareEntries: boolean;
  /** The runtime in which the name was last claimed (a claim is checked once per cache). */
  readonly claim: { owner: object | undefined };
}

/** Keys of one instance's single-primitive-argument calls, valid while its identity stays the same. */
export interface InstanceMemo {
  readonly identity: unknown;
  readonly owner: object;
  readonly keys: Map<unknown, string>;
  /** The identity is the instance's `id` (it has no `[cacheKey]()`), so a repeat call reads `id` alone. */
  readonly byId: boolean;
}

/** What the decorators tell {@link makePolicy} beyond the options (internal). */
export interface PolicyExtras {
  /** The identity of `this` is part of every key. */
  readonly perInstance?: boolean;
}

function materialOf<A extends unknown[], R>(options: CacheOptions<A, R>): (args: A, self: unknown) => string {
  const { key, exclude } = options;
  if (key !== undefined && exclude !== undefined)
    throw new InvalidOptionsError(
      'exclude',
      'has no effect with the `key` option: leave those arguments out of `key`',
    );
  if (typeof key === 'string') {
    const render = compileKeyTemplate(key);
    return (args) => hashKey(render(args));
  }
  if (key !== undefined) return (args, self) => hashKey(stableKey([key.apply(self, args)]));
  const shape = argumentShaper(exclude);
  return (args) => hashKey(stableKey(shape(args)));
}

function ttlOf<R>(ttl: CacheOptions<unknown[], R>['ttl']): Policy<unknown[], R>['ttl'] {
  if (ttl === undefined || typeof ttl === 'function') return ttl;
  if (ttl === 'forever') return FOREVER_MS;
  if (ttl === 'short' || ttl === 'default' || ttl === 'long') return ttl;
  return toMs(ttl, 'ttl');
}

function cacheErrorOf(
  cacheErrors: CacheOptions<unknown[], unknown>['cacheErrors'],
): ((e: unknown) => boolean) | undefined {
  if (cacheErrors === undefined) return undefined;
  if (typeof cacheErrors === 'function') return cacheErrors as (e: unknown) => boolean;
  return (e) => cacheErrors.some((cls) => e instanceof cls);
}

function lockOf(lock: CacheOptions<unknown[], unknown>['lock']): Policy<unknown[], unknown>['lock'] {
  if (lock === undefined || lock === false) return undefined;
  const given = lock === true ? {} : lock;
  return { ttl: toMs(given.ttl ?? '10s', 'lock.ttl'), wait: toMs(given.wait ?? '5s', 'lock.wait') };
}

const durationOr0 = (d: Duration | undefined, option: string): number =>
  d === undefined ? 0 : toMs(d, option);

/** `softTimeout` and `hardTimeout` in ms (0: off); a soft one needs a stale window and must be the shorter. */
function timeoutsOf(
  options: CacheOptions<never, never>,
  grace: number,
): { softTimeout: number; hardTimeout: number } {
  const softTimeout = durationOr0(options.softTimeout, 'softTimeout');
  const hardTimeout = durationOr0(options.hardTimeout, 'hardTimeout');
  if (softTimeout > 0 && grace === 0)
    throw new InvalidOptionsError(
      'softTimeout',
      'serves a stale value, so it needs a stale window: add staleIfError (or staleWhileRevalidate)',
    );
  if (softTimeout > 0 && hardTimeout > 0 && softTimeout >= hardTimeout)
    throw new InvalidOptionsError('softTimeout', `must be shorter than hardTimeout (${hardTimeout} ms)`);
  return { softTimeout, hardTimeout };
}

/**
 * Checks `options` with zod and builds the {@link Policy} of `fn`; throws InvalidOptionsError
 * naming the option at fault.
 */
export function makePolicy<A extends unknown[], R>(
  fn: (this: unknown, ...args: A) => Promise<R>,
  options: CacheOptions<A, R> = {},
  extras: PolicyExtras = {},
): Policy<A, R> {
  if (typeof fn !== 'function') throw new InvalidOptionsError('fn', 'expected the function to cache');
  parseOptions(wrapOptionsSchema, options, 'withCache');
  const name = options.name ?? fn.name;
  if (!name)
    throw new InvalidOptionsError(
      'name',
      'required for an anonymous function (the key scope must be stable across processes)',
    );
  const loose = options as CacheOptions<unknown[], unknown>;
  const staleWhileRevalidate = durationOr0(options.staleWhileRevalidate, 'staleWhileRevalidate');
  const staleIfError = durationOr0(options.staleIfError, 'staleIfError');
  return Object.freeze({
    fn,
    options,
    name,
    cache: options.cache,
    material: materialOf(options),
    keyReadsThis: typeof options.key === 'function',
    perInstance: extras.perInstance ?? false,
    argTags: argTagsWithFunctionTag(name, options.tags),
    valueTags: valueTagsOf(options.resultTags, options.entities),
    ttl: ttlOf(options.ttl as CacheOptions<unknown[], R>['ttl']),
    cacheIf: options.cacheIf,
    validate: options.validate,
    schema: options.schema,
    staleWhileRevalidate,
    staleIfError,
    grace: Math.max(staleWhileRevalidate, staleIfError),
    jitter: options.jitter ?? 0,
    refreshAhead: options.refreshAhead ?? 0,
    cacheError: cacheErrorOf(loose.cacheErrors),
    errorClasses: Array.isArray(loose.cacheErrors) ? (loose.cacheErrors as readonly ErrorClass[]) : [],
    lock: lockOf(loose.lock),
    timeout: options.timeout === undefined ? undefined : toMs(options.timeout, 'timeout'),
    ...timeoutsOf(options, Math.max(staleWhileRevalidate, staleIfError)),
    plainHit: options.validate === undefined && options.schema === undefined,
    shortHit:
      options.validate === undefined && options.schema === undefined && (options.refreshAhead ?? 0) === 0,
    onCall: options.onCall,
    keyMemo: { owner: undefined, keys: new Map<unknown, string>() },
    instanceMemo: new WeakMap<object, InstanceMemo>(),
    lastInstance: { instance: undefined, memo: undefined },
    site: wrapSite(),
    shareEntries: options.shareEntries ?? false,
    claim: { owner: undefined },
  });
}
