import { TimeoutError } from '../errors.js';
import type { CallContext, Outcome } from './call.js';
import type { TimerHandle } from './timers.js';

/** What {@link withinTimeouts} gives when the soft timeout passed first: serve the stale value. */
export const SOFT_TIMEOUT: unique symbol = Symbol('tagcache.softTimeout');

/**
 * Waits for the outcome of a computation, bounded by the policy's timeouts (on the runtime's
 * injectable timers; no timer at all when neither is set): `softTimeout` (only when `stale`, a
 * stale value the caller can serve) gives {@link SOFT_TIMEOUT}, `hardTimeout` an outcome
 * rejecting with TimeoutError. Either way the computation goes on and writes as usual; a failure
 * of one that outlived its soft timeout is a `refresh-error` event.
 */
export function withinTimeouts<A extends unknown[], R>(
  call: CallContext<A, R>,
  flight: Promise<Outcome<R>>,
  stale: boolean,
): Promise<Outcome<R> | typeof SOFT_TIMEOUT> {
  const { policy, runtime, key } = call;
  const soft = stale ? policy.softTimeout : 0;
  const hard = policy.hardTimeout;
  if (soft === 0 && hard === 0) return flight;
  return new Promise((resolve) => {
    const timers: TimerHandle[] = [];
    let settled = false;
    const finish = (result: Outcome<R> | typeof SOFT_TIMEOUT): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) runtime.timers.clearTimeout(t);
      resolve(result);
    };
    flight.then(finish, (error: unknown) => finish({ ok: false, error, tags: [], ttl: 0 }));
    if (soft > 0)
      timers.push(
        runtime.timers.setTimeout(() => {
          finish(SOFT_TIMEOUT);
          void flight.then((o) => {
            if (!o.ok)
              runtime.emit?.({
                type: 'refresh-error',
                cache: runtime.name,
                name: policy.name,
                key,
                error: o.error,
              });
          });
        }, soft),
      );
    if (hard > 0)
      timers.push(
        runtime.timers.setTimeout(() => {
          const error = new TimeoutError(
            `${policy.name} took longer than its hardTimeout (${hard} ms)`,
            hard,
          );
          finish({ ok: false, error, tags: [], ttl: 0 });
        }, hard),
      );
  });
}
