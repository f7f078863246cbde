import { compute } from './compute.js';
import { decodePayload } from './payload.js';
import { FAILED } from './storeGuard.js';
import { sleepOn } from './timers.js';
import type { CallContext, Outcome } from './call.js';
import type { StoreLock } from '../stores/Store.js';
import { recordLockWait } from '../events/recordProblems.js';

type Read<R> = { readonly outcome: Outcome<R> } | { readonly epoch: number } | undefined;

/** Reads the key: a fresh entry as an outcome, else the epoch to compute at (undefined on failure). */
async function readFresh<A extends unknown[], R>(call: CallContext<A, R>): Promise<Read<R>> {
  const { runtime, policy, key } = call;
  const r = await runtime.guard.get(runtime.store, runtime.namespace, key, policy.timeout);
  if (r === FAILED) return undefined;
  if (!r.hit || r.state !== 'fresh') return { epoch: r.epoch };
  let value: unknown;
  try {
    value = decodePayload(runtime, r.payload, r.error, policy.errorClasses, r.slot);
  } catch {
    return { epoch: r.epoch };
  }
  const outcome: Outcome<R> = r.error
    ? { ok: false, error: value, tags: r.tags, ttl: r.ttl }
    : { ok: true, value: value as R, tags: r.tags, ttl: r.ttl };
  return { outcome };
}

/**
 * Holding the lock: reads once more (the previous holder may have written and released between
 * our miss and our lock), then computes at the epoch of that read.
 */
async function underLock<A extends unknown[], R>(
  call: CallContext<A, R>,
  epoch: number,
  lock: StoreLock,
): Promise<Outcome<R>> {
  try {
    const read = await readFresh(call);
    if (read !== undefined && 'outcome' in read) return read.outcome;
    return await compute(call, read === undefined ? epoch : read.epoch);
  } finally {
    await call.runtime.guard.run('lock', call.key, () => lock.release());
  }
}

/**
 * Cross-process single flight: takes the store's lock for the key and computes; when another
 * process holds it, polls the store until that process's entry appears, the lock frees up, or
 * `wait` runs out (then computes anyway). A lock whose holder died expires after its `ttl`.
 */
export async function lockedCompute<A extends unknown[], R>(
  call: CallContext<A, R>,
  startEpoch: number | undefined,
): Promise<Outcome<R>> {
  const { runtime, policy, key } = call;
  const lockOptions = policy.lock;
  const take = runtime.store.lock;
  if (lockOptions === undefined || take === undefined || startEpoch === undefined)
    return compute(call, startEpoch);
  let epoch = startEpoch;
  const first = await runtime.guard.run('lock', key, () => take(runtime.namespace, key, lockOptions.ttl));
  if (first === FAILED) return compute(call, epoch);
  if (first !== undefined) return underLock(call, epoch, first);
  const { timers } = runtime;
  const deadline = timers.now() + lockOptions.wait;
  for (let delay = 5; timers.now() < deadline; delay = Math.min(delay * 2, 50)) {
    await sleepOn(timers, Math.min(delay, deadline - timers.now()));
    const read = await readFresh(call);
    if (read === undefined) break;
    if ('outcome' in read) {
      recordLockWait(runtime.events, policy.name, key, 'hit');
      return read.outcome;
    }
    epoch = read.epoch;
    const again = await runtime.guard.run('lock', key, () => take(runtime.namespace, key, lockOptions.ttl));
    if (again === FAILED) break;
    if (again !== undefined) return underLock(call, epoch, again);
  }
  recordLockWait(runtime.events, policy.name, key, 'timeout');
  return compute(call, epoch);
}
