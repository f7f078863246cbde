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
 * that is not an entry (garbage, another writer's format) is a miss, which the GET script
 * removes; a reply of an unexpected shape is a store error (the cache fails open).
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

function decodeTags(json: string): readonly string[] | undefined {
  let tags: unknown;
  try {
    tags = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) return undefined;
  return Object.freeze(tags as string[]);
}

/**
 * The tags of an entry header, or `undefined` when they are not a JSON array of strings. Tag
 * lists repeat across entries: decoded lists are shared (frozen) through a bounded cache.
 *
 * @example
 * ```ts
 * parseTags('["a","b"]'); // ['a', 'b']
 * parseTags('{"a":1}'); // undefined
 * ```
 */
export function parseTags(json: string): readonly string[] | undefined {
  if (json === '[]') return NO_TAGS;
  let tags = tagLists.get(json);
  if (tags === undefined) {
    if (!json.startsWith('[')) return undefined;
    tags = decodeTags(json);
    if (tags === undefined) return undefined;
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
  readonly tags: readonly string[];
  readonly payload: string;
}

const HEADER = /^(\d+)\|([-+\d.eE]+)\|([01])\|([-+\d.eE]+)\|([-+\d.eE]+)\|/;
const finite = (s: string | undefined): boolean => s !== undefined && Number.isFinite(Number(s));

/**
 * Decodes an entry string, or returns `undefined` when it is not one (the grammar the GET script's
 * `parse_entry` accepts: five numeric fields, a flag, tags as a JSON array of strings, a newline).
 *
 * @example
 * ```ts
 * parseEntry('3|1|0|0|2000|["a"]\n"v"')?.payload; // '"v"'
 * parseEntry('garbage'); // undefined
 * ```
 */
export function parseEntry(v: unknown): StoredEntry | undefined {
  if (typeof v !== 'string') return undefined;
  const m = HEADER.exec(v);
  if (m === null || !finite(m[2]) || !finite(m[4]) || !finite(m[5])) return undefined;
  const from = m[0].length;
  const nl = v.indexOf('\n', from);
  if (nl < 0) return undefined;
  const tagsJson = v.slice(from, nl);
  const tags = parseTags(tagsJson);
  if (tags === undefined) return undefined;
  return {
    at: Number(m[1]),
    createdAt: Number(m[2]),
    error: m[3] === '1',
    freshUntil: Number(m[5]),
    tagsJson,
    tags,
    payload: v.slice(nl + 1),
  };
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
