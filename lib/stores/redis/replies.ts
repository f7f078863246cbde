/**
 * The decoding of replies of the Redis stores' scripts. The entry format itself is in
 * `entryCodec.ts` (re-exported here): a value that is not an entry (garbage, another writer's
 * format, format 1) is a miss, which the GET script removes; a reply of an unexpected shape is a
 * store error (the cache fails open).
 *
 * @packageDocumentation
 */
import { StoreError } from '../../errors.js';
import type { ReadResult } from '../Store.js';
import { parseEntry, type StoredEntry } from './entryCodec.js';

export { encodeBody, parseEntry, type StoredEntry } from './entryCodec.js';

/**
 * A store error for a reply or value of an unexpected shape.
 *
 * @example
 * ```ts
 * throw malformed('get', reply);
 * ```
 */
export const malformed = (what: string, reply: unknown): StoreError =>
  new StoreError('ERR_STORE', `Unexpected Redis reply to ${what}: ${JSON.stringify(reply)?.slice(0, 200)}`);

/**
 * The read result for a decoded entry: `invalidated` when a soft marker is newer, else `fresh` or
 * `expired` by `freshUntil`.
 *
 * @example
 * ```ts
 * toHit(parseEntry(value), false, 7);
 * ```
 */
export function toHit(
  e: StoredEntry,
  invalidated: boolean,
  epoch: number,
  tags: readonly string[] = e.tags,
): ReadResult<string> {
  const ttl = e.freshUntil - Date.now();
  const state = invalidated ? 'invalidated' : ttl > 0 ? 'fresh' : 'expired';
  return {
    hit: true,
    payload: e.payload,
    tags,
    createdAt: e.createdAt,
    ttl,
    state,
    error: e.error,
    epoch,
  };
}

/**
 * Decodes the reply of the GET script: `[0, epoch]` for a miss, `[1, entry, state, epoch]` for a
 * hit (state 2: a soft marker is newer). Also returns the decoded entry (for its tags). The
 * script only returns entries its own grammar accepts, which is this module's.
 *
 * @example
 * ```ts
 * parseScriptRead([0, 7]).read; // { hit: false, epoch: 7 }
 * ```
 */
export function parseScriptRead(reply: unknown): { read: ReadResult<string>; entry?: StoredEntry } {
  if (!Array.isArray(reply)) throw malformed('get', reply);
  const [flag, value, state, epoch] = reply as unknown[];
  if (flag === 0 && typeof value === 'number') return { read: { hit: false, epoch: value } };
  if (flag !== 1 || typeof epoch !== 'number' || (state !== 0 && state !== 2)) throw malformed('get', reply);
  const entry = parseEntry(value);
  if (entry === undefined) return { read: { hit: false, epoch } };
  return { read: toHit(entry, state === 2, epoch), entry };
}

/**
 * Decodes the reply of the SET script: `1` written, `0` refused.
 *
 * @example
 * ```ts
 * parseWritten(1); // true
 * ```
 */
export function parseWritten(reply: unknown): boolean {
  if (reply === 1) return true;
  if (reply === 0) return false;
  throw malformed('set', reply);
}
