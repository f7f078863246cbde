/**
 * The entry format of the Redis stores (format 2). An entry is one string, a header line and then
 * the payload:
 *
 * ```text
 * ~<epoch><createdAt>:<fresh>[+<grace>][!][,<tag>]…\n<payload>
 * ```
 *
 * - `~` is the format mark: an entry of format 1 (`<epoch>|…`, decimal fields and the tags as
 *   JSON) or anything else not of this grammar is a miss, which the GET script removes.
 * - `<epoch>`: the group epoch when written, exactly 9 base-62 digits (`0-9A-Za-z`, most
 *   significant first), below 2⁵³. The SET script writes `~` and the epoch; the client writes the rest.
 * - a number (`<createdAt>`, `<fresh>`, `<grace>`) is a safe integer in 1 to 9 base-62 digits,
 *   `-` first when negative, or any other finite number as decimal text in quotes (`'1.5'`).
 * - `<fresh>`: an integer is `freshUntil − createdAt`; a quoted number is `freshUntil` itself
 *   (written when either is not a safe integer). `freshUntil` is the writer's clock plus the TTL.
 * - `+<grace>`: ms kept after `freshUntil` for stale serving, omitted when 0; `!`: a cached error.
 * - each tag is led by `,`; in a tag `%` is written `%25`, `,` `%2C`, a newline `%0A` and a lone
 *   UTF-16 surrogate `%uD800`…`%uDFFF` (uppercase hex). No other `%` sequence, and no escaped
 *   high surrogate followed by an escaped low one, is valid (the GET script reads a lone
 *   surrogate as U+FFFD, the bytes node-redis sends for it in the marker's key name, and a pair
 *   would not be one). The header has no raw newline: its first `\n` ends it.
 *
 * A header without tags is 23 bytes while `createdAt` is a millisecond time before 2081 and
 * `freshUntil − createdAt` under 4.1 hours (format 1: 52 bytes).
 *
 * @packageDocumentation
 */
import type { WriteEntry } from '../Store.js';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The two digits of each number below 62² (the encoder writes two at a time). */
const PAIRS = Array.from(
  { length: 3844 },
  (_, i) => DIGITS.charAt(Math.floor(i / 62)) + DIGITS.charAt(i % 62),
);
/** Base-62 digits of the epoch in a header. */
export const EPOCH_DIGITS = 9;
const NO_TAGS: readonly string[] = Object.freeze([]);
const MAX_CACHED_TAG_LISTS = 2048;

/**
 * The base-62 digits of a non-negative safe integer, left-padded with `0` to `width`.
 *
 * @example
 * ```ts
 * base62(61); // 'z'
 * base62(62, 3); // '010'
 * ```
 */
export function base62(n: number, width = 0): string {
  let s = '';
  let rest = n;
  while (rest >= 3844) {
    const p = rest % 3844;
    s = (PAIRS[p] as string) + s;
    rest = (rest - p) / 3844;
  }
  s = (PAIRS[rest] as string).slice(rest < 62 ? 1 : 0) + s;
  return s.length < width ? '0'.repeat(width - s.length) + s : s;
}

const numberToken = (n: number): string =>
  Number.isSafeInteger(n) ? (n < 0 ? '-' + base62(-n) : base62(n)) : `'${n}'`;

const TAG_SPECIAL = /[,%\n\uD800-\uDFFF]/;
const TAG_ESCAPES = /[,%\n]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;

function escapeTag(tag: string): string {
  if (!TAG_SPECIAL.test(tag)) return tag;
  return tag.replace(TAG_ESCAPES, (c) => {
    if (c.length === 2) return c; // a surrogate pair: an ordinary character
    if (c === ',') return '%2C';
    if (c === '%') return '%25';
    if (c === '\n') return '%0A';
    return '%u' + c.charCodeAt(0).toString(16).toUpperCase();
  });
}

/**
 * The tags part of a header: each tag led by `,`, escaped.
 *
 * @example
 * ```ts
 * encodeTags(['user:1', 'a,b']); // ',user:1,a%2Cb'
 * encodeTags([]); // ''
 * ```
 */
export function encodeTags(tags: readonly string[]): string {
  let s = '';
  for (const t of tags) s += ',' + escapeTag(t);
  return s;
}

const BAD_ESCAPE = /%(?!25|2C|0A|uD[89A-F][0-9A-F]{2})|%uD[89AB][0-9A-F]{2}%uD[C-F]/;
const ESCAPE = /%(?:25|2C|0A|uD[89A-F][0-9A-F]{2})/g;
const unescapeOne = (e: string): string =>
  e === '%25' ? '%' : e === '%2C' ? ',' : e === '%0A' ? '\n' : String.fromCharCode(parseInt(e.slice(2), 16));

function decodeTags(text: string): readonly string[] | undefined {
  const tags = text.slice(1).split(',');
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i] as string;
    if (!t.includes('%')) continue;
    if (BAD_ESCAPE.test(t)) return undefined;
    tags[i] = t.replace(ESCAPE, unescapeOne);
  }
  return Object.freeze(tags);
}

/**
 * A decoded tags part: the tags and their JSON.
 *
 * @example
 * ```ts
 * const list: TagList = { tags: ['a'], json: '["a"]' };
 * ```
 */
export interface TagList {
  readonly tags: readonly string[];
  readonly json: string;
}

/**
 * A tag list a reader expects, with its tags part as written (`encodeTags(tags)`).
 *
 * @example
 * ```ts
 * const expected: ExpectedTags = { text: ',a', tags: ['a'], json: '["a"]' };
 * ```
 */
export interface ExpectedTags extends TagList {
  readonly text: string;
}
const EMPTY: TagList = Object.freeze({ tags: NO_TAGS, json: '[]' });
const tagLists = new Map<string, TagList>();

/**
 * The tags of a header's tags part (`,a,b`), with their JSON (the reader's identity of a tag
 * list), or `undefined` when the part is not of the grammar. Tag lists repeat across entries:
 * decoded lists are shared (frozen) through a bounded cache.
 *
 * @example
 * ```ts
 * parseTagList(',a,b')?.tags; // ['a', 'b']
 * parseTagList('a'); // undefined
 * ```
 */
export function parseTagList(text: string): TagList | undefined {
  if (text === '') return EMPTY;
  let list = tagLists.get(text);
  if (list === undefined) {
    if (text.charCodeAt(0) !== 44) return undefined;
    const tags = decodeTags(text);
    if (tags === undefined) return undefined;
    if (tagLists.size >= MAX_CACHED_TAG_LISTS) tagLists.clear();
    list = Object.freeze({ tags, json: JSON.stringify(tags) });
    tagLists.set(text, list);
  }
  return list;
}

/**
 * The part of an entry the client writes (the SET script prepends `~` and the epoch).
 * `tagsJson` (`JSON.stringify(entry.tags)`) is not written; it names the list for a cache of
 * encoded tag lists.
 *
 * @example
 * ```ts
 * encodeBody({ payload: '"v"', tags: ['a'], createdAt: 1000, ttl: 1000, grace: 0, error: false }, '["a"]', 1000);
 * // 'G8:G8,a\n"v"'
 * ```
 */
export function encodeBody(entry: WriteEntry<string>, tagsJson: string, now: number): string {
  const { createdAt } = entry;
  const freshUntil = Math.round(now + entry.ttl);
  const relative = freshUntil - createdAt;
  const fresh =
    Number.isSafeInteger(createdAt) && Number.isSafeInteger(freshUntil) && Number.isSafeInteger(relative)
      ? numberToken(relative)
      : `'${freshUntil}'`;
  const grace = Math.floor(entry.grace);
  const tail = (grace === 0 ? '' : '+' + numberToken(grace)) + (entry.error ? '!' : '');
  return `${numberToken(createdAt)}:${fresh}${tail}${tagText(entry.tags, tagsJson)}\n${entry.payload}`;
}

const encodedLists = new Map<string, string>();
function tagText(tags: readonly string[], json: string): string {
  if (tags.length === 0) return '';
  let text = encodedLists.get(json);
  if (text === undefined) {
    text = encodeTags(tags);
    if (encodedLists.size >= MAX_CACHED_TAG_LISTS) encodedLists.clear();
    encodedLists.set(json, text);
  }
  return text;
}

/**
 * A decoded entry.
 *
 * @example
 * ```ts
 * const e: StoredEntry = parseEntry('~000000003G8:G8,a\n"v"')!;
 * ```
 */
export interface StoredEntry {
  /** Group epoch when written. */
  readonly at: number;
  readonly createdAt: number;
  readonly error: boolean;
  readonly freshUntil: number;
  /** `JSON.stringify(tags)`: what the reader compares to tell a changed tag list. */
  readonly tagsJson: string;
  readonly tags: readonly string[];
  readonly payload: string;
}

const MAX_EPOCH = 2 ** 53;

/** The value of the base-62 digit with char code `c` (`[0-9A-Za-z]`), or -1 (also for `NaN`, past the end). */
function digit62(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (c >= 97 && c <= 122) return c - 61;
  return -1;
}

/** Whether char code `c` may appear in a quoted number (`[-+.0-9eE]`). */
const quotable = (c: number): boolean =>
  (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;

/** Where the token read by the last {@link numberAt} ended. */
let tokenEnd = 0;

/**
 * The number token at `i` of `v` (`-?[0-9A-Za-z]{1,9}`, as many digits as there are up to 9, or
 * `'[-+.0-9eE]+'`), its end left in {@link tokenEnd}; `NaN` when there is none or a quoted one
 * is not a finite number. Read in place: no match array, no substrings (but a quoted number's).
 */
function numberAt(v: string, i: number): number {
  if (v.charCodeAt(i) === 39) {
    let j = i + 1;
    while (quotable(v.charCodeAt(j))) j++;
    if (j === i + 1 || v.charCodeAt(j) !== 39) return NaN;
    tokenEnd = j + 1;
    const n = Number(v.slice(i + 1, j));
    return Number.isFinite(n) ? n : NaN;
  }
  const start = v.charCodeAt(i) === 45 ? i + 1 : i;
  let n = 0;
  let j = start;
  for (; j < start + 9; j++) {
    const d = digit62(v.charCodeAt(j));
    if (d < 0) break;
    n = n * 62 + d;
  }
  if (j === start) return NaN;
  tokenEnd = j;
  return start === i ? n : -n;
}

/**
 * Decodes an entry string, or returns `undefined` when it is not one (the grammar the GET script's
 * `parse_entry` accepts). With `expected`, a tags part equal to `expected.text` gives its list
 * without being cut out of the entry and looked up.
 *
 * @example
 * ```ts
 * parseEntry('~000000003G8:G8,a\n"v"')?.payload; // '"v"'
 * parseEntry('garbage'); // undefined
 * ```
 */
export function parseEntry(v: unknown, expected?: ExpectedTags): StoredEntry | undefined {
  // The header `~<epoch><createdAt>:<fresh>[+<grace>][!]`, read left to right (one way only).
  if (typeof v !== 'string' || v.charCodeAt(0) !== 126) return undefined;
  let at = 0;
  for (let i = 1; i <= EPOCH_DIGITS; i++) {
    const d = digit62(v.charCodeAt(i));
    if (d < 0) return undefined;
    at = at * 62 + d;
  }
  const createdAt = numberAt(v, EPOCH_DIGITS + 1);
  if (Number.isNaN(createdAt) || v.charCodeAt(tokenEnd) !== 58) return undefined;
  const freshAt = tokenEnd + 1;
  const fresh = numberAt(v, freshAt);
  if (Number.isNaN(fresh)) return undefined;
  let from = tokenEnd;
  if (v.charCodeAt(from) === 43) {
    if (Number.isNaN(numberAt(v, from + 1))) return undefined;
    from = tokenEnd;
  }
  const error = v.charCodeAt(from) === 33;
  if (error) from += 1;
  let nl: number;
  let list: TagList | undefined;
  if (
    expected !== undefined &&
    v.startsWith(expected.text, from) &&
    v.charCodeAt((nl = from + expected.text.length)) === 10
  )
    list = expected;
  else {
    nl = v.indexOf('\n', from);
    if (nl < 0) return undefined;
    list = parseTagList(v.slice(from, nl));
  }
  if (list === undefined || at >= MAX_EPOCH) return undefined;
  return {
    at,
    createdAt,
    error,
    freshUntil: v.charCodeAt(freshAt) === 39 ? fresh : createdAt + fresh,
    tagsJson: list.json,
    tags: list.tags,
    payload: v.slice(nl + 1),
  };
}
