/**
 * Reading one entry with its metadata: `cache.getEntry(key)` and `cached.peekEntry(...args)`.
 *
 * @packageDocumentation
 */
import { currentComputation, propagate } from '../core/context.js';
import { decodePayload } from '../core/payload.js';
import { FAILED } from '../core/storeGuard.js';
import type { Runtime } from '../core/runtime.js';
import type { EntryInfo, ErrorClass } from '../core/types.js';
import type { ReadResult } from '../stores/Store.js';
import type { TagcacheError } from '../errors.js';

/**
 * The entry a read gives, if it is fresh and decodes (a cached error is not a value). Records its
 * tags and TTL in the running cached computation, if any, as a nested cached call would. An
 * undecodable entry counts as a miss and is removed.
 */
export function entryOf<T>(
  rt: Runtime,
  key: string,
  r: ReadResult<unknown>,
  classes: readonly ErrorClass[] = [],
): Promise<EntryInfo<T> | undefined> {
  if (!r.hit || r.error || r.state !== 'fresh') return Promise.resolve(undefined);
  let value: unknown;
  try {
    value = decodePayload(rt, r.payload, false, classes, r.slot);
  } catch (e) {
    rt.emit?.({ type: 'decode-error', cache: rt.name, name: '', key, error: e as TagcacheError });
    return Promise.resolve(rt.guard.run('delete', key, () => rt.store.delete(rt.namespace, [key]))).then(
      () => undefined,
    );
  }
  propagate(currentComputation(), r.tags, r.ttl);
  return Promise.resolve({
    value: value as T,
    createdAt: r.createdAt,
    age: Date.now() - r.createdAt,
    ttl: r.ttl,
    tags: r.tags,
  });
}

/**
 * Reads the full key `key` of `rt` and gives its entry (see {@link entryOf}); `undefined` also
 * when the store fails (fail open, with an event).
 */
export function readEntry<T>(
  rt: Runtime,
  key: string,
  timeout?: number,
  classes: readonly ErrorClass[] = [],
): Promise<EntryInfo<T> | undefined> {
  const r = rt.guard.get(rt.store, rt.namespace, key, timeout);
  if (r instanceof Promise)
    return r.then((x) => (x === FAILED ? undefined : entryOf<T>(rt, key, x, classes)));
  return r === FAILED ? Promise.resolve(undefined) : entryOf<T>(rt, key, r, classes);
}
