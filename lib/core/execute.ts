import { currentComputation, propagate, type Computation } from './context.js';
import { compute, startFlight, type CallContext, type Outcome } from './compute.js';
import { runtimeOf, type Runtime } from './createCache.js';
import { isCachingEnabled, resolveCache } from './defaults.js';
import { lockedCompute } from './lock.js';
import { decodePayload } from './payload.js';
import { FAILED, type Failed } from './storeGuard.js';
import type { Policy } from './policy.js';
import type { CacheStats } from './types.js';
import type { StoreHit, ReadResult } from '../stores/Store.js';
import type { TagcacheError } from '../errors.js';

/** The runtime of the policy's cache, or undefined when caching is off. Throws for unknown names. */
export function runtimeFor<A extends unknown[], R>(p: Policy<A, R>): Runtime | undefined {
  if (!isCachingEnabled()) return undefined;
  const rt = resolveCache(p.cache)[runtimeOf];
  return rt.enabled ? rt : undefined;
}

const KEY_MEMO_MAX = 10_000;
const NO_ARGUMENT = Symbol('no argument');

/** The full key of `args` in `rt`. Throws InvalidKeyError for arguments that cannot form a key. */
export function keyFor<A extends unknown[], R>(p: Policy<A, R>, rt: Runtime, args: A): string {
  if (p.fixedKey !== undefined) return rt.keyPrefix + p.fixedKey;
  if (args.length > 1) return rt.keyPrefix + p.name + ':' + p.material(args);
  const arg: unknown = args.length === 0 ? NO_ARGUMENT : args[0];
  const type = typeof arg;
  if (type !== 'string' && type !== 'number' && arg !== NO_ARGUMENT) return rt.keyPrefix + p.name + ':' + p.material(args);
  const memo = p.keyMemo;
  if (memo.owner !== rt) {
    memo.owner = rt;
    memo.keys.clear();
  }
  let key = memo.keys.get(arg);
  if (key === undefined) {
    key = rt.keyPrefix + p.name + ':' + p.material(args);
    if (memo.keys.size >= KEY_MEMO_MAX) memo.keys.clear();
    memo.keys.set(arg, key);
  }
  return key;
}

/** Hands an outcome to the caller, recording its dependencies in the enclosing computation. */
export function settle<R>(o: Outcome<R>, parent: Computation | undefined): R {
  propagate(parent, o.tags, o.ttl);
  if (o.ok) return o.value;
  throw o.error;
}

/** A miss: join the in-process flight started at the same epoch, or start one. */
function miss<A extends unknown[], R>(c: CallContext<A, R>, epoch: number | undefined): Promise<Outcome<R>> {
  c.stats.misses += 1;
  c.rt.trace?.({ type: 'miss', cache: c.rt.name, name: c.p.name, key: c.key });
  const f = c.rt.inflight.get(c.key);
  if (f !== undefined && f.epoch === (epoch ?? -1)) {
    c.stats.joins += 1;
    return f.promise as Promise<Outcome<R>>;
  }
  return startFlight(c, epoch, c.p.lock === undefined ? compute : lockedCompute);
}

/** Refreshes the entry in the background unless a computation of it is already running. */
function background<A extends unknown[], R>(c: CallContext<A, R>, epoch: number): void {
  if (c.rt.inflight.has(c.key)) return;
  const report = (error: unknown): void => c.rt.emit?.({ type: 'refresh-error', cache: c.rt.name, name: c.p.name, key: c.key, error });
  startFlight(c, epoch).then((o) => {
    if (!o.ok) report(o.error);
  }, report);
}

function maybeRefreshAhead<A extends unknown[], R>(c: CallContext<A, R>, r: StoreHit<unknown>): void {
  const total = Date.now() - r.createdAt + r.ttl;
  if (r.ttl < total * c.p.refreshAhead) background(c, r.epoch);
}

type Verdict = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly drop: boolean };

/** Decodes a hit and applies `schema` and `validate`. */
async function accept<A extends unknown[], R>(c: CallContext<A, R>, r: StoreHit<unknown>): Promise<Verdict> {
  const { p, rt } = c;
  let value: unknown;
  try {
    value = decodePayload(rt, r.payload, r.error, p.errorClasses);
  } catch (e) {
    rt.emit?.({ type: 'decode-error', cache: rt.name, name: p.name, key: c.key, error: e as TagcacheError });
    return { ok: false, drop: true };
  }
  if (r.error) return { ok: true, value };
  if (p.schema !== undefined) {
    const result = await p.schema['~standard'].validate(value);
    if (result.issues !== undefined) {
      rt.trace?.({ type: 'rejected-entry', cache: rt.name, name: p.name, key: c.key, reason: 'schema' });
      return { ok: false, drop: true };
    }
  }
  if (p.validate !== undefined && !p.validate({ value: value as R, createdAt: r.createdAt, age: Date.now() - r.createdAt, ttl: r.ttl, tags: r.tags })) {
    rt.trace?.({ type: 'rejected-entry', cache: rt.name, name: p.name, key: c.key, reason: 'validate' });
    return { ok: false, drop: false };
  }
  return { ok: true, value };
}

/** Removes an entry that cannot be used and reads the epoch to recompute at. */
async function dropAndReread<A extends unknown[], R>(c: CallContext<A, R>): Promise<number | undefined> {
  const { rt, key, p } = c;
  c.stats.dropped += 1;
  const deleted = await rt.guard.run('delete', key, () => rt.store.delete(rt.ns, [key]), p.timeout);
  if (deleted === FAILED) return undefined;
  const r = await rt.guard.get(rt.store, rt.ns, key, p.timeout);
  return r === FAILED ? undefined : r.epoch;
}

function staleServable<A extends unknown[], R>(p: Policy<A, R>, r: StoreHit<unknown>, window: number): boolean {
  return window > 0 && !r.error && (r.state === 'invalidated' || -r.ttl <= window);
}

/** Everything but a plain fresh hit: misses, store failures, checks, stale serving. */
async function slowPath<A extends unknown[], R>(c: CallContext<A, R>, parent: Computation | undefined, r: ReadResult<unknown> | Failed): Promise<R> {
  const { p, rt } = c;
  if (r === FAILED) {
    c.stats.errors += 1;
    return settle(await miss(c, undefined), parent);
  }
  if (!r.hit) return settle(await miss(c, r.epoch), parent);
  const v = await accept(c, r);
  if (!v.ok) return settle(await miss(c, v.drop ? await dropAndReread(c) : r.epoch), parent);
  if (r.state === 'fresh') {
    c.stats.hits += 1;
    rt.trace?.({ type: 'hit', cache: rt.name, name: p.name, key: c.key });
    propagate(parent, r.tags, r.ttl);
    if (p.refreshAhead > 0) maybeRefreshAhead(c, r);
    if (r.error) throw v.value;
    return v.value as R;
  }
  const serveStale = (reason: 'revalidate' | 'error' | 'invalidated'): R => {
    c.stats.staleHits += 1;
    rt.trace?.({ type: 'stale-hit', cache: rt.name, name: p.name, key: c.key, reason });
    propagate(parent, r.tags, 0);
    return v.value as R;
  };
  if (staleServable(p, r, p.swr)) {
    background(c, r.epoch);
    return serveStale(r.state === 'invalidated' ? 'invalidated' : 'revalidate');
  }
  const outcome = await miss(c, r.epoch);
  if (!outcome.ok && staleServable(p, r, p.sie)) return serveStale('error');
  return settle(outcome, parent);
}

function afterRead<A extends unknown[], R>(p: Policy<A, R>, rt: Runtime, stats: CacheStats, key: string, args: A, parent: Computation | undefined, r: ReadResult<unknown> | Failed): Promise<R> {
  if (r !== FAILED && r.hit && r.state === 'fresh' && p.plainHit) {
    let value: unknown = r.payload;
    if (!rt.store.holdsValues) {
      try {
        value = decodePayload(rt, r.payload, r.error, p.errorClasses);
      } catch (e) {
        rt.emit?.({ type: 'decode-error', cache: rt.name, name: p.name, key, error: e as TagcacheError });
        const c: CallContext<A, R> = { p, rt, stats, key, args };
        return dropAndReread(c).then((epoch) => miss(c, epoch).then((o) => settle(o, parent)));
      }
    }
    stats.hits += 1;
    rt.trace?.({ type: 'hit', cache: rt.name, name: p.name, key });
    if (parent !== undefined) propagate(parent, r.tags, r.ttl);
    if (p.refreshAhead > 0) maybeRefreshAhead({ p, rt, stats, key, args }, r);
    return r.error ? Promise.reject(value) : Promise.resolve(value as R);
  }
  return slowPath({ p, rt, stats, key, args }, parent, r);
}

/**
 * One call of a cached function: read, then hit, stale serving or single-flight miss.
 *
 * @example
 * ```ts
 * const value = await cachedCall(policy, stats, [42]);
 * ```
 */
export function cachedCall<A extends unknown[], R>(p: Policy<A, R>, stats: CacheStats, args: A): Promise<R> {
  let rt: Runtime | undefined;
  let key: string;
  try {
    rt = runtimeFor(p);
    if (rt === undefined) return p.fn(...args);
    key = keyFor(p, rt, args);
  } catch (e) {
    return Promise.reject(e);
  }
  const parent = currentComputation();
  const r = rt.guard.get(rt.store, rt.ns, key, p.timeout);
  if (r instanceof Promise) {
    const runtime = rt;
    return r.then((res) => afterRead(p, runtime, stats, key, args, parent, res));
  }
  return afterRead(p, rt, stats, key, args, parent, r);
}
