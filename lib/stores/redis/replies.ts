/**
 * The entry format and the decoding of replies. An entry is one string:
 *
 * ```text
 * <epoch>|<createdAt>|<flags>|<grace>|<freshUntil>|<tagsJson>\n<payload>
 * ```
 *
 * `epoch` is the group epoch when it was written (set by the SET script), `flags` bit 0 marks a
 * cached error, `freshUntil` is the writer's clock plus the TTL (freshness only, never
 * invalidation). JSON never contains a raw newline, so the first `\n` ends the header. A value
 * or reply of an unexpected shape is a store error (the cache fails open), never a wrong hit.
 *
 * @packageDocumentation
 */
import { StoreError } from '../../errors.js';
import type { ReadResult, WriteEntry } from '../Store.js';

const NO_TAGS: readonly string[] = Object.freeze([]);
const MAX_CACHED_TAG_LISTS = 2048;
const tagLists = new Map<string, readonly string[]>();

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

function decodeTags(json: string): readonly string[] {
  let tags: unknown;
  try {
    tags = JSON.parse(json);
  } catch {
    throw malformed('get (tags)', json);
  }
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) throw malformed('get (tags)', json);
  return Object.freeze(tags as string[]);
}

/** Tag lists repeat across entries: decoded lists are shared (frozen) through a bounded cache. */
function parseTags(json: string): readonly string[] {
  if (json === '[]') return NO_TAGS;
  let tags = tagLists.get(json);
  if (tags === undefined) {
    tags = decodeTags(json);
    if (tagLists.size >= MAX_CACHED_TAG_LISTS) tagLists.clear();
    tagLists.set(json, tags);
  }
  return tags;
}

/**
 * The part of an entry the client writes (the SET script prepends the epoch).
 *
 * @example
 * ```ts
 * encodeBody({ payload: '"v"', tags: ['a'], createdAt: 1, ttl: 1000, grace: 0, error: false }, '["a"]', 1000);
 * // '1|0|0|2000|["a"]\n"v"'
 * ```
 */
export function encodeBody(entry: WriteEntry<string>, tagsJson: string, now: number): string {
  const grace = Math.floor(entry.grace);
  const head = `${entry.createdAt}|${entry.error ? 1 : 0}|${grace}|${Math.round(now + entry.ttl)}`;
  return `${head}|${tagsJson}\n${entry.payload}`;
}

/**
 * A decoded entry.
 *
 * @example
 * ```ts
 * const e: StoredEntry = parseEntry('3|1|0|0|2000|["a"]\n"v"');
 * ```
 */
export interface StoredEntry {
  /** Group epoch when written. */
  readonly at: number;
  readonly createdAt: number;
  readonly error: boolean;
  readonly freshUntil: number;
  readonly tagsJson: string;
  readonly payload: string;
}

/**
 * Decodes an entry string.
 *
 * @example
 * ```ts
 * parseEntry('3|1|0|0|2000|["a"]\n"v"').payload; // '"v"'
 * ```
 */
export function parseEntry(v: unknown): StoredEntry {
  if (typeof v !== 'string') throw malformed('get (entry)', v);
  const i1 = v.indexOf('|');
  const i2 = v.indexOf('|', i1 + 1);
  const i3 = v.indexOf('|', i2 + 1);
  const i4 = v.indexOf('|', i3 + 1);
  const i5 = v.indexOf('|', i4 + 1);
  const nl = v.indexOf('\n', i5 + 1);
  const at = Number(v.slice(0, i1));
  const createdAt = Number(v.slice(i1 + 1, i2));
  const freshUntil = Number(v.slice(i4 + 1, i5));
  if (
    i1 < 1 ||
    i5 < 0 ||
    nl < 0 ||
    !Number.isFinite(at) ||
    !Number.isFinite(createdAt) ||
    !Number.isFinite(freshUntil)
  ) {
    throw malformed('get (entry)', v.slice(0, 200));
  }
  const error = v.charCodeAt(i2 + 1) === 49; // '1'
  return { at, createdAt, error, freshUntil, tagsJson: v.slice(i5 + 1, nl), payload: v.slice(nl + 1) };
}

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
  tags: readonly string[] = parseTags(e.tagsJson),
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
 * hit (state 2: a soft marker is newer). Also returns the decoded entry (for its tags).
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
