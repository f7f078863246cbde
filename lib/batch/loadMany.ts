/**
 * The core of `withBatch`: reads many ids in one store round trip, runs the batch function once
 * for the missing ones (joining computations of the same keys already running in this process),
 * and writes them back in one round trip, each conditionally on the epoch its read returned.
 *
 * @packageDocumentation
 */
import { newComputation, runComputation } from '../core/context.js';
import { keyFor } from '../core/call.js';
import { policyTtl } from '../core/entryRules.js';
import { decodePayload, encodePayload } from '../core/payload.js';
import { FAILED } from '../core/storeGuard.js';
import { derivedOps } from '../stores/storeOps.js';
import type { Outcome } from '../core/call.js';
import type { Runtime } from '../core/runtime.js';
import type { Policy } from '../core/policy.js';
import type { CacheStats } from '../core/types.js';
import type { ManyWrite, ReadResult } from '../stores/Store.js';

/**
 * What a batch function returns: a Map by id, or an array in the order of the ids it was given.
 *
 * @example
 * ```ts
 * const load: BatchFn<number, User> = async (ids) => new Map((await db.users.findMany(ids)).map((u: User) => [u.id, u]));
 * ```
 */
export type BatchFn<K, V> = (ids: readonly K[]) => Promise<ReadonlyMap<K, V> | readonly (V | undefined)[]>;

/** One id still to load: its key and the epoch its read returned (undefined: the store failed). */
interface Pending<K> {
  readonly id: K;
  readonly key: string;
  readonly epoch: number | undefined;
}

type Out<V> = Outcome<V | undefined>;

interface Loaded<V> {
  readonly ok: true;
  readonly value: V | undefined;
  readonly tags: readonly string[];
  readonly ttl: number;
  readonly write: boolean;
}

function hitOutcome<V>(rt: Runtime, r: ReadResult<unknown>): Out<V> | undefined {
  if (!r.hit || r.error || r.state !== 'fresh') return undefined;
  try {
    return {
      ok: true,
      value: decodePayload(rt, r.payload, false, [], r.slot) as V,
      tags: r.tags,
      ttl: r.ttl,
    };
  } catch {
    return undefined; // undecodable: recomputed and overwritten
  }
}

function pick<K, V>(
  result: ReadonlyMap<K, V> | readonly (V | undefined)[],
  ids: readonly K[],
): (V | undefined)[] {
  if (result instanceof Map) return ids.map((id) => result.get(id));
  if (Array.isArray(result)) return ids.map((_, i) => result[i] as V | undefined);
  throw new TypeError('withBatch: the batch function must return a Map or an array');
}

/** Tags, TTL and whether to cache one loaded value. */
function itemOutcome<K, V>(
  p: Policy<[K], V | undefined>,
  rt: Runtime,
  id: K,
  value: V | undefined,
  batchTags: Iterable<string>,
  ttlCap: number,
): Loaded<V> {
  const tags = new Set<string>(p.argTags([id]));
  for (const t of batchTags) tags.add(t);
  if (value !== undefined && p.valueTags !== undefined) for (const t of p.valueTags(value, [id])) tags.add(t);
  const base = policyTtl(p, rt, value);
  const ttl = Math.min(base, ttlCap);
  const write = value !== undefined && ttl > 0 && (p.cacheIf === undefined || p.cacheIf(value));
  return { ok: true, value, tags: [...tags], ttl, write };
}

async function computeBatch<K, V>(
  p: Policy<[K], V | undefined>,
  rt: Runtime,
  stats: CacheStats,
  fn: BatchFn<K, V>,
  todo: readonly Pending<K>[],
): Promise<Out<V>[]> {
  const comp = newComputation(p.name + ':batch', []);
  stats.calls += 1;
  const ids = todo.map((t) => t.id);
  const values = pick(await runComputation(comp, () => fn(ids)), ids);
  const outs = todo.map((t, i) => itemOutcome(p, rt, t.id, values[i], comp.tags, comp.ttlCap));
  const writes: ManyWrite<unknown>[] = [];
  outs.forEach((o, i) => {
    const t = todo[i] as Pending<K>;
    if (!o.write || t.epoch === undefined) return;
    try {
      writes.push({
        key: t.key,
        entry: {
          payload: encodePayload(rt, o.value, false),
          tags: o.tags,
          createdAt: Date.now(),
          ttl: o.ttl,
          grace: 0,
          error: false,
        },
        epoch: t.epoch,
      });
    } catch (e) {
      rt.emit?.({ type: 'serialize-error', cache: rt.name, name: p.name, key: t.key, error: e as never });
    }
  });
  if (writes.length > 0) {
    const setMany = rt.store.setMany?.bind(rt.store) ?? derivedOps(rt.store).setMany;
    const written = await rt.guard.run('set', undefined, () => setMany(rt.namespace, writes), p.timeout);
    if (written === FAILED) stats.errors += 1;
    else
      for (const w of written as boolean[]) {
        if (w) stats.writes += 1;
        else stats.refusedWrites += 1;
      }
  }
  return outs.map(({ value, tags, ttl }) => ({ ok: true, value, tags, ttl }));
}

/** Registers one in-process flight per key, settled from the batch's outcomes. */
function startFlights<K, V>(rt: Runtime, todo: readonly Pending<K>[], batch: Promise<Out<V>[]>): void {
  todo.forEach((t, i) => {
    const promise: Promise<Out<V>> = batch.then(
      (outs) => outs[i] as Out<V>,
      (error: unknown) => ({ ok: false, error, tags: [], ttl: 0 }),
    );
    const flight = { epoch: t.epoch ?? -1, promise };
    rt.inflight.set(t.key, flight);
    const done = (): void => {
      if (rt.inflight.get(t.key) === flight) rt.inflight.delete(t.key);
    };
    void promise.then(done);
  });
}

/**
 * Loads `ids` (duplicates allowed): the outcome of each, in order.
 */
export async function loadMany<K, V>(
  p: Policy<[K], V | undefined>,
  rt: Runtime,
  stats: CacheStats,
  fn: BatchFn<K, V>,
  ids: readonly K[],
): Promise<Out<V>[]> {
  const keys = ids.map((id) => keyFor(p, rt, [id]));
  const unique = [...new Map(keys.map((k, i) => [k, ids[i] as K])).entries()];
  const getMany = rt.store.getMany?.bind(rt.store) ?? derivedOps(rt.store).getMany;
  const reads = await rt.guard.run(
    'get',
    undefined,
    () =>
      getMany(
        rt.namespace,
        unique.map(([k]) => k),
      ),
    p.timeout,
  );
  if (reads === FAILED) stats.errors += 1;
  const byKey = new Map<string, Promise<Out<V>> | Out<V>>();
  const todo: Pending<K>[] = [];
  unique.forEach(([key, id], i) => {
    const r = reads === FAILED ? undefined : (reads as ReadResult<unknown>[])[i];
    const hit = r === undefined ? undefined : hitOutcome<V>(rt, r);
    if (hit !== undefined) {
      stats.hits += 1;
      return void byKey.set(key, hit);
    }
    stats.misses += 1;
    const epoch = r?.epoch;
    const running = rt.inflight.get(key);
    if (running !== undefined && running.epoch === (epoch ?? -1)) {
      stats.joins += 1;
      return void byKey.set(key, running.promise as Promise<Out<V>>);
    }
    todo.push({ id, key, epoch });
  });
  if (todo.length > 0) {
    const batch = computeBatch(p, rt, stats, fn, todo);
    startFlights(rt, todo, batch);
    todo.forEach((t, i) =>
      byKey.set(
        t.key,
        batch.then((outs) => outs[i] as Out<V>),
      ),
    );
  }
  return Promise.all(keys.map((k) => byKey.get(k) as Promise<Out<V>> | Out<V>));
}
