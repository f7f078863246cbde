import { compute, type CallContext, type Outcome } from './compute.js';
import { decodePayload } from './payload.js';
import { FAILED } from './storeGuard.js';
import type { StoreLock } from '../stores/Store.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

type Read<R> = { readonly outcome: Outcome<R> } | { readonly epoch: number } | undefined;

/** Reads the key: a fresh entry as an outcome, else the epoch to compute at (undefined on failure). */
async function readFresh<A extends unknown[], R>(c: CallContext<A, R>): Promise<Read<R>> {
  const { rt, p, key } = c;
  const r = await rt.guard.get(rt.store, rt.ns, key, p.timeout);
  if (r === FAILED) return undefined;
  if (!r.hit || r.state !== 'fresh') return { epoch: r.epoch };
  let value: unknown;
  try {
    value = decodePayload(rt, r.payload, r.error, p.errorClasses);
  } catch {
    return { epoch: r.epoch };
  }
  const outcome: Outcome<R> = r.error ? { ok: false, error: value, tags: r.tags, ttl: r.ttl } : { ok: true, value: value as R, tags: r.tags, ttl: r.ttl };
  return { outcome };
}

/**
 * Holding the lock: reads once more (the previous holder may have written and released between
 * our miss and our lock), then computes at the epoch of that read.
 */
async function underLock<A extends unknown[], R>(c: CallContext<A, R>, epoch: number, lock: StoreLock): Promise<Outcome<R>> {
  try {
    const read = await readFresh(c);
    if (read !== undefined && 'outcome' in read) return read.outcome;
    return await compute(c, read === undefined ? epoch : read.epoch);
  } finally {
    await c.rt.guard.run('lock', c.key, () => lock.release());
  }
}

/**
 * Cross-process single flight: takes the store's lock for the key and computes; when another
 * process holds it, polls the store until that process's entry appears, the lock frees up, or
 * `wait` runs out (then computes anyway). A lock whose holder died expires after its `ttl`.
 *
 * @example
 * ```ts
 * const outcome = await lockedCompute(ctx, epoch);
 * ```
 */
export async function lockedCompute<A extends unknown[], R>(c: CallContext<A, R>, startEpoch: number | undefined): Promise<Outcome<R>> {
  const { rt, p, key } = c;
  const lockOpts = p.lock;
  const take = rt.store.lock;
  if (lockOpts === undefined || take === undefined || startEpoch === undefined) return compute(c, startEpoch);
  let epoch = startEpoch;
  const first = await rt.guard.run('lock', key, () => take(rt.ns, key, lockOpts.ttl));
  if (first === FAILED) return compute(c, epoch);
  if (first !== undefined) return underLock(c, epoch, first);
  const deadline = Date.now() + lockOpts.wait;
  for (let delay = 5; Date.now() < deadline; delay = Math.min(delay * 2, 50)) {
    await sleep(Math.min(delay, deadline - Date.now()));
    const read = await readFresh(c);
    if (read === undefined) break;
    if ('outcome' in read) {
      rt.trace?.({ type: 'lock-wait', cache: rt.name, name: p.name, key, outcome: 'hit' });
      return read.outcome;
    }
    epoch = read.epoch;
    const again = await rt.guard.run('lock', key, () => take(rt.ns, key, lockOpts.ttl));
    if (again === FAILED) break;
    if (again !== undefined) return underLock(c, epoch, again);
  }
  rt.trace?.({ type: 'lock-wait', cache: rt.name, name: p.name, key, outcome: 'timeout' });
  return compute(c, epoch);
}
