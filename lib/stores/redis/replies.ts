/**
 * Decoding of script replies. A reply of an unexpected shape is a store error (the cache fails
 * open on it), never a wrong hit.
 *
 * @packageDocumentation
 */
import { StoreError } from '../../errors.js';
import type { ReadResult } from '../Store.js';

const NO_TAGS: readonly string[] = Object.freeze([]);

const malformed = (what: string, reply: unknown): StoreError =>
  new StoreError('ERR_STORE', `Unexpected Redis reply to ${what}: ${JSON.stringify(reply)?.slice(0, 200)}`);

const MAX_CACHED_TAG_LISTS = 2048;
const tagLists = new Map<string, readonly string[]>();

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
function parseTags(json: unknown): readonly string[] {
  if (json === '[]') return NO_TAGS;
  if (typeof json !== 'string') throw malformed('get (tags)', json);
  let tags = tagLists.get(json);
  if (tags === undefined) {
    tags = decodeTags(json);
    if (tagLists.size >= MAX_CACHED_TAG_LISTS) tagLists.clear();
    tagLists.set(json, tags);
  }
  return tags;
}

/** `createdAt:flags:grace` → its numbers. */
function parseMeta(meta: unknown): [createdAt: number, flags: number, grace: number] {
  if (typeof meta === 'string') {
    const a = meta.indexOf(':');
    const b = meta.indexOf(':', a + 1);
    const createdAt = Number(meta.slice(0, a));
    const flags = Number(meta.slice(a + 1, b));
    const grace = Number(meta.slice(b + 1));
    if (a > 0 && b > a && Number.isFinite(createdAt) && Number.isFinite(flags) && Number.isFinite(grace)) {
      return [createdAt, flags, grace];
    }
  }
  throw malformed('get (meta)', meta);
}

/**
 * Decodes the reply of the GET script: `[0, epoch]` for a miss, or
 * `[1, payload, tagsJson, meta, pttl, state, epoch]` for a hit (meta: `createdAt:flags:grace`;
 * state 0 fresh or expired, 2 invalidated).
 *
 * @example
 * ```ts
 * parseRead([0, 7]); // { hit: false, epoch: 7 }
 * ```
 */
export function parseRead(reply: unknown): ReadResult<string> {
  if (!Array.isArray(reply)) throw malformed('get', reply);
  if (reply[0] === 0 && typeof reply[1] === 'number') return { hit: false, epoch: reply[1] };
  const [flag, payload, tags, meta, pttl, state, epoch] = reply as unknown[];
  if (
    flag !== 1 ||
    typeof payload !== 'string' ||
    typeof pttl !== 'number' ||
    typeof epoch !== 'number' ||
    (state !== 0 && state !== 2)
  ) {
    throw malformed('get', reply);
  }
  const [createdAt, flags, grace] = parseMeta(meta);
  const ttl = pttl - grace;
  const s = state === 2 ? 'invalidated' : ttl > 0 ? 'fresh' : 'expired';
  return {
    hit: true,
    payload,
    tags: parseTags(tags),
    createdAt,
    ttl,
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
