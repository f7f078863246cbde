import {
  callInComputation,
  leaveComputation,
  newComputation,
  runComputation,
  type Computation,
} from './context.js';
import { policyTtl, spread } from './entryRules.js';
import { encodePayload } from './payload.js';
import { FAILED, type Failed } from './storeGuard.js';
import type { CallContext, Outcome } from './call.js';
import type { Runtime } from './runtime.js';
import type { TagcacheError } from '../errors.js';
import { aroundNeeded } from '../events/eventHub.js';
import { recordCompute, recordComputeStart, recordWrite } from '../events/record.js';
import { recordProblem } from '../events/recordProblems.js';

/**
 * Encodes the entry and hands it to the store: the guard's answer, or undefined when the value
 * could not be serialized (reported as a `serialize-error` event; nothing is written).
 */
function storeEntry<A extends unknown[], R>(
  call: CallContext<A, R>,
  value: unknown,
  isError: boolean,
  tags: readonly string[],
  ttl: number,
  epoch: number | undefined,
): boolean | Failed | Promise<boolean | Failed> | undefined {
  const { runtime, policy, key } = call;
  let payload: unknown;
  try {
    payload = encodePayload(runtime, value, isError);
  } catch (e) {
    recordProblem(runtime.events, 'serialize-error', { name: policy.name, key, error: e as TagcacheError });
    return undefined;
  }
  const entry = { payload, tags, createdAt: Date.now(), ttl, grace: policy.grace, error: isError };
  return runtime.guard.run(
    'set',
    key,
    () => runtime.store.set(runtime.namespace, key, entry, epoch),
    policy.timeout,
  );
}

/** Records what the store answered to {@link storeEntry}. */
function recordStored<A extends unknown[], R>(
  call: CallContext<A, R>,
  written: boolean | Failed,
  tags: readonly string[],
  ttl: number,
  computeMs: number,
): void {
  const { runtime, policy, key } = call;
  const result = written === FAILED ? 'failed' : written;
  recordWrite(runtime.events, call.stats, policy.name, key, result, ttl, tags, computeMs);
}

/**
 * Writes an entry unless the store refuses it (an invalidation happened since `epoch`; no
 * epoch: an unconditional write).
 */
export async function writeEntry<A extends unknown[], R>(
  call: CallContext<A, R>,
  value: unknown,
  isError: boolean,
  tags: readonly string[],
  ttl: number,
  epoch: number | undefined,
  computeMs = 0,
): Promise<void> {
  const written = await storeEntry(call, value, isError, tags, ttl, epoch);
  if (written !== undefined) recordStored(call, written, tags, ttl, computeMs);
}

/**
 * Runs the function as `computation` through `EventHub.around` (a tracing channel or a
 * global sink wraps computations).
 */
function aroundFunction<A extends unknown[], R>(
  call: CallContext<A, R>,
  computation: Computation,
): Promise<R> {
  const { policy, runtime } = call;
  const run = (): Promise<R> => policy.fn.apply(call.self, call.args);
  const context = () => ({ cache: runtime.name, name: policy.name, key: call.key });
  return runComputation(computation, () => runtime.events.around('compute', context, run));
}

/**
 * Runs the function in its own dependency context, collects its tags and TTL, and writes the
 * entry conditionally on `epoch` (no write when `epoch` is undefined: the store could not be
 * read, so a race-free write is impossible). Never rejects for the function's own errors: they
 * come back in the outcome.
 */
export async function compute<A extends unknown[], R>(
  call: CallContext<A, R>,
  epoch: number | undefined,
): Promise<Outcome<R>> {
  const { policy, runtime } = call;
  const { events } = runtime;
  const computation = newComputation(
    call.key.slice(runtime.keyPrefix.length),
    policy.argTags(call.args, call.self),
    runtime,
  );
  const t0 = recordComputeStart(events, call.stats);
  // Unwrapped (the usual case), the function is called without a closure, and this `await` of
  // its result ends the computation: no promise layer of its own (see callInComputation).
  const direct = !aroundNeeded('compute');
  let value: R;
  try {
    try {
      value = await (direct
        ? callInComputation(computation, policy.fn, call.self, call.args)
        : aroundFunction(call, computation));
    } finally {
      if (direct) leaveComputation();
    }
  } catch (error) {
    const ms = recordCompute(events, policy.name, call.key, t0, false);
    const tags = [...computation.tags];
    const ttl = Math.min(runtime.ttl, computation.ttlCap);
    if (policy.cacheError?.(error) === true && epoch !== undefined && ttl > 0)
      await writeEntry(call, error, true, tags, ttl, epoch, ms);
    return { ok: false, error, tags, ttl };
  }
  const ms = recordCompute(events, policy.name, call.key, t0, true);
  if (policy.valueTags !== undefined)
    for (const t of policy.valueTags(value, call.args, call.self, (x, reason) =>
      reportUnresolved(call, x.type, reason),
    ))
      computation.tags.add(t);
  const tags = [...computation.tags];
  const ttl = Math.min(
    spread(computation.ttlSet ?? policyTtl(policy, runtime, value), policy.jitter),
    computation.ttlCap,
    runtime.maxTtl,
  );
  if (epoch !== undefined && ttl > 0 && (policy.cacheIf === undefined || policy.cacheIf(value))) {
    const written = await storeEntry(call, value, false, tags, ttl, epoch);
    if (written !== undefined) recordStored(call, written, tags, ttl, ms);
  }
  return { ok: true, value, tags, ttl };
}

/** An `entity()` extractor found nothing in a non-empty result: a warning event (rate-limited in the log). */
function reportUnresolved<A extends unknown[], R>(
  call: CallContext<A, R>,
  entity: string,
  reason: 'path' | 'id',
): void {
  const { runtime, policy, key } = call;
  runtime.emit?.({ type: 'entity-unresolved', cache: runtime.name, name: policy.name, key, entity, reason });
}

/** How a flight computes: {@link compute}, or a variant of it (the cross-process lock). */
export type Computer = <A extends unknown[], R>(
  call: CallContext<A, R>,
  epoch: number | undefined,
) => Promise<Outcome<R>>;

/** Starts `run` (default {@link compute}) as the in-process flight for the key; callers with the same epoch join it. */
export function startFlight<A extends unknown[], R>(
  call: CallContext<A, R>,
  epoch: number | undefined,
  run: Computer = compute,
): Promise<Outcome<R>> {
  const { runtime, key } = call;
  const promise = run(call, epoch);
  const flight = { epoch: epoch ?? -1, promise };
  runtime.inflight.set(key, flight);
  const done = forget(runtime.inflight, key, flight);
  promise.then(done, done);
  return promise;
}

/**
 * What removes `flight` from `inflight` once it settled (unless another flight replaced it). Made
 * here rather than as a named local of startFlight: a named arrow gets its `name` defined at each
 * creation by builds that keep names (tsx, esbuild `keepNames`), which costs about a µs a miss.
 */
function forget(inflight: Runtime['inflight'], key: string, flight: object): () => void {
  return () => {
    if (inflight.get(key) === flight) inflight.delete(key);
  };
}
