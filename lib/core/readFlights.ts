import type { Failed, StoreGuard } from './storeGuard.js';
import type { StoreOp } from '../events/CacheEvent.js';
import type { ReadResult } from '../stores/Store.js';

/**
 * Store reads in flight in one cache runtime, by full key: concurrent calls of a key share one
 * read (read coalescing). The caller that started a read removes it when it settles; any local
 * write, delete, invalidation or clear forgets every pending read, when it starts and when it
 * settles, so a call that starts after an invalidation resolved never joins a read that started
 * before it did (internal).
 */
export type ReadFlights = Map<string, Promise<ReadResult<unknown> | Failed>>;

/** Store operations that change entries (reads and locks do not). */
const changesEntries = (op: StoreOp): boolean => op !== 'get' && op !== 'lock';

/**
 * `guard`, with every entry-changing operation forgetting the pending reads of `reads` before it
 * runs and again once it settles (before its caller resumes).
 */
export function forgetReadsOnChange(guard: StoreGuard, reads: ReadFlights): StoreGuard {
  const forget = <T>(reply: T): T => {
    if (reads.size !== 0) reads.clear();
    return reply;
  };
  const settledLater = <T>(reply: Promise<T>): Promise<T> =>
    reply.then(forget, (e: unknown) => {
      forget(undefined);
      throw e;
    });
  const settled = <T>(reply: T | Promise<T>): T | Promise<T> =>
    reply instanceof Promise ? settledLater(reply) : forget(reply);
  const run: StoreGuard['run'] = (op, key, call, ms) => {
    if (!changesEntries(op)) return guard.run(op, key, call, ms);
    forget(undefined);
    return settled(guard.run(op, key, call, ms));
  };
  const strict = <T>(op: StoreOp, call: () => T | Promise<T>): Promise<T> => {
    if (!changesEntries(op)) return guard.strict(op, call);
    forget(undefined);
    return settledLater(guard.strict(op, call));
  };
  return Object.freeze({ ...guard, run, strict });
}
