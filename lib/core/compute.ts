import { newComputation, runComputation } from './context.js';
import { toMs } from './duration.js';
import { encodePayload } from './payload.js';
import { FAILED } from './storeGuard.js';
import type { Runtime } from './createCache.js';
import type { Policy } from './policy.js';
import type { CacheStats } from './types.js';
import type { TagcacheError } from '../errors.js';

/** What one run of the function produced, with what it depended on. */
export type Outcome<R> =
  | { readonly ok: true; readonly value: R; readonly tags: readonly string[]; readonly ttl: number }
  | { readonly ok: false; readonly error: unknown; readonly tags: readonly string[]; readonly ttl: number };

/** Everything a call needs, bundled once per miss (never on the hit path). */
export interface CallContext<A extends unknown[], R> {
  readonly p: Policy<A, R>;
  readonly rt: Runtime;
  readonly stats: CacheStats;
  readonly key: string;
  readonly args: A;
}

function baseTtl<A extends unknown[], R>(p: Policy<A, R>, rt: Runtime, value: R): number {
  if (p.ttl === undefined) return rt.ttl;
  if (typeof p.ttl === 'number') return p.ttl;
  return toMs(p.ttl(value), 'ttl (returned by the ttl function)');
}

function spread(ttl: number, jitter: number): number {
  return jitter > 0 ? Math.max(1, Math.round(ttl * (1 - jitter * Math.random()))) : ttl;
}

/**
 * Writes an entry unless the store refuses it (an invalidation happened since `epoch`).
 *
 * @example
 * ```ts
 * await writeEntry(ctx, value, false, ['user:1'], 60_000, epoch);
 * ```
 */
export async function writeEntry<A extends unknown[], R>(
  c: CallContext<A, R>,
  value: unknown,
  isError: boolean,
  tags: readonly string[],
  ttl: number,
  epoch: number | undefined,
): Promise<void> {
  const { rt, p, key } = c;
  let payload: unknown;
  try {
    payload = encodePayload(rt, value, isError);
  } catch (e) {
    rt.emit?.({ type: 'serialize-error', cache: rt.name, name: p.name, key, error: e as TagcacheError });
    return;
  }
  const entry = { payload, tags, createdAt: Date.now(), ttl, grace: p.grace, error: isError };
  const written = await rt.guard.run('set', key, () => rt.store.set(rt.ns, key, entry, epoch), p.timeout);
  if (written === FAILED) c.stats.errors += 1;
  else if (written) {
    c.stats.writes += 1;
    rt.trace?.({ type: 'write', cache: rt.name, name: p.name, key, ttl, tags });
  } else {
    c.stats.refusedWrites += 1;
    rt.trace?.({ type: 'write-refused', cache: rt.name, name: p.name, key });
  }
}

/**
 * Runs the function in its own dependency context, collects its tags and TTL, and writes the
 * entry conditionally on `epoch` (no write when `epoch` is undefined: the store could not be
 * read, so a race-free write is impossible). Never rejects for the function's own errors: they
 * come back in the outcome.
 *
 * @example
 * ```ts
 * const outcome = await compute(ctx, epoch);
 * ```
 */
export async function compute<A extends unknown[], R>(c: CallContext<A, R>, epoch: number | undefined): Promise<Outcome<R>> {
  const { p, rt } = c;
  const comp = newComputation(c.key.slice(rt.keyPrefix.length), p.argTags(c.args));
  c.stats.calls += 1;
  let value: R;
  try {
    value = await runComputation(comp, () => p.fn(...c.args));
  } catch (error) {
    const tags = [...comp.tags];
    const ttl = Math.min(rt.ttl, comp.ttlCap);
    if (p.cacheError?.(error) === true && epoch !== undefined && ttl > 0) await writeEntry(c, error, true, tags, ttl, epoch);
    return { ok: false, error, tags, ttl };
  }
  if (p.valueTags !== undefined) for (const t of p.valueTags(value, c.args)) comp.tags.add(t);
  const tags = [...comp.tags];
  const ttl = Math.min(spread(comp.ttlSet ?? baseTtl(p, rt, value), p.jitter), comp.ttlCap);
  if (epoch !== undefined && ttl > 0 && (p.cacheIf === undefined || p.cacheIf(value))) await writeEntry(c, value, false, tags, ttl, epoch);
  return { ok: true, value, tags, ttl };
}

/**
 * Starts `compute` as the in-process flight for the key (callers with the same epoch join it).
 *
 * @example
 * ```ts
 * const outcome = await startFlight(ctx, epoch);
 * ```
 */
export function startFlight<A extends unknown[], R>(c: CallContext<A, R>, epoch: number | undefined, run = compute): Promise<Outcome<R>> {
  const { rt, key } = c;
  const promise = run(c, epoch);
  const flight = { epoch: epoch ?? -1, promise };
  rt.inflight.set(key, flight);
  const done = (): void => {
    if (rt.inflight.get(key) === flight) rt.inflight.delete(key);
  };
  promise.then(done, done);
  return promise;
}
