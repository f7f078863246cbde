/**
 * Decoding of script replies. A reply of an unexpected shape is a store error (the cache fails
 * open on it), never a wrong hit.
 *
 * @packageDocumentation
 */
import { StoreError } from '../../errors.js';
import type { EntryState, ReadResult } from '../Store.js';

const STATES: readonly EntryState[] = ['fresh', 'expired', 'invalidated'];
const NO_TAGS: readonly string[] = Object.freeze([]);

const malformed = (what: string, reply: unknown): StoreError =>
  new StoreError('ERR_STORE', `Unexpected Redis reply to ${what}: ${JSON.stringify(reply)?.slice(0, 200)}`);

function parseTags(json: unknown): readonly string[] {
  if (json === '[]') return NO_TAGS;
  if (typeof json !== 'string') throw malformed('get (tags)', json);
  let tags: unknown;
  try {
    tags = JSON.parse(json);
  } catch {
    throw malformed('get (tags)', json);
  }
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) throw malformed('get (tags)', json);
  return tags as string[];
}

/**
 * Decodes the reply of the GET script: `[0, epoch]` for a miss, or
 * `[1, payload, tagsJson, createdAt, flags, freshMsLeft, state, epoch]` for a hit.
 *
 * @example
 * ```ts
 * parseRead([0, 7]); // { hit: false, epoch: 7 }
 * ```
 */
export function parseRead(reply: unknown): ReadResult<string> {
  if (!Array.isArray(reply)) throw malformed('get', reply);
  if (reply[0] === 0 && typeof reply[1] === 'number') return { hit: false, epoch: reply[1] };
  const [flag, payload, tags, createdAt, flags, left, state, epoch] = reply as unknown[];
  const s = typeof state === 'number' ? STATES[state] : undefined;
  if (
    flag !== 1 ||
    typeof payload !== 'string' ||
    typeof flags !== 'number' ||
    typeof left !== 'number' ||
    s === undefined ||
    typeof epoch !== 'number'
  ) {
    throw malformed('get', reply);
  }
  const created = Number(createdAt);
  if (!Number.isFinite(created)) throw malformed('get (createdAt)', reply);
  return {
    hit: true,
    payload,
    tags: parseTags(tags),
    createdAt: created,
    ttl: left,
    state: s,
    error: (flags & 1) === 1,
    epoch,
  };
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
