/**
 * Reads, in one command either way:
 *
 * - a key whose tags this process knows (it wrote or read the entry before) is read with one
 *   plain `MGET` of the entry, the group epoch and the markers (`<hard>:<soft>`) of those tags,
 *   atomically, and judged here with the same rules as the GET script; no Lua runs, which makes
 *   a hit about as cheap for Redis as a `GET`;
 * - any other key, or one whose tags changed since, goes through the GET script.
 *
 * A hard marker (or a missing one) found by the `MGET` path makes a miss without deleting the
 * entry (the next write replaces it, or it expires). Rules: see `scripts.ts` and `luaParts.ts`.
 *
 * @packageDocumentation
 */
import { LRUCache } from 'lru-cache';
import type { ReadResult } from '../Store.js';
import type { RedisLink } from './link.js';
import { malformed, parseEntry, parseScriptRead, toHit, type StoredEntry } from './replies.js';
import { runScript, wrapError, type LuaScript } from './scriptRunner.js';

/** How many keys' tag lists a reader remembers (least recently used forgotten first). */
export const MAX_KNOWN_KEYS = 10_000;

interface KnownTags {
  readonly tagsJson: string;
  readonly tags: readonly string[];
  /** `MGET` arguments after the command name and the entry key: epoch key, markers. */
  readonly rest: readonly string[];
  /** The whole `MGET` command, built once per key and reused by every read of it (never mutated). */
  readonly mget: string[];
}

/**
 * Reads entries for a scripted store.
 *
 * @example
 * ```ts
 * const reader = createReader(link, GET);
 * await reader.read('tc:{app|0}:', 'tc:{app|0}:k:user:1');
 * ```
 */
export interface Reader {
  read(prefix: string, entryKey: string): Promise<ReadResult<string>>;
  /** Records the tags of an entry this process wrote. */
  remember(prefix: string, entryKey: string, tagsJson: string, tags: readonly string[]): void;
}

function knownTags(prefix: string, entryKey: string, tagsJson: string, tags: readonly string[]): KnownTags {
  const rest = [prefix + 'e'];
  for (const t of tags) rest.push(prefix + 't:' + t);
  return { tagsJson, tags, rest, mget: ['MGET', entryKey, ...rest] };
}

const SPAN = 2 ** 32;
/** The generation of an epoch (`generation × 2³² + counter`, see `luaParts.ts`). */
export const genOf = (epoch: number): number => Math.floor(epoch / SPAN);

/** The group epoch read from its `e` key, or `undefined` when missing or unreadable. */
export function epochOf(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return genOf(n) >= 1 && Number.isSafeInteger(n) ? n : undefined;
}

const MARKER = /^(\d*):(\d*):(\d+)$/;

/**
 * What tag marker `<hard>:<soft>:<born>` says of an entry written at `at` (the GET script's
 * `check`): 3 unknown (missing, unreadable, of another generation, born after the entry), 2 a
 * newer hard invalidation, 1 a newer soft one, 0 none.
 */
export function markerCheck(marker: unknown, at: number): 0 | 1 | 2 | 3 {
  if (typeof marker !== 'string') return 3;
  const m = MARKER.exec(marker);
  if (m === null) return 3;
  const born = Number(m[3]);
  if (genOf(born) !== genOf(at)) return 3;
  if (m[1] !== '' && Number(m[1]) > at) return 2;
  if (born > at) return 3;
  return m[2] !== '' && Number(m[2]) > at ? 1 : 0;
}

/**
 * What an `MGET` reply says: a read, and the entry when its tags are not the ones expected. No
 * read (the GET script must judge) when the group clock is missing (the script starts a new
 * generation), the entry is not one (the script removes it), or its tags differ and the group
 * epoch moved since the write (the markers of its real tags are needed).
 */
interface Judged {
  readonly read?: ReadResult<string>;
  readonly changed?: StoredEntry;
}

function judge(reply: unknown, known: KnownTags): Judged {
  if (!Array.isArray(reply)) throw malformed('get (MGET)', reply);
  const epoch = epochOf(reply[1]);
  if (epoch === undefined) return {};
  if (reply[0] === null) return { read: { hit: false, epoch } };
  const e = parseEntry(reply[0]);
  if (e === undefined) return {};
  if (genOf(e.at) !== genOf(epoch) || e.at > epoch) return { read: { hit: false, epoch } };
  if (e.tagsJson !== known.tagsJson)
    return e.at === epoch ? { read: toHit(e, false, epoch), changed: e } : { changed: e };
  let invalidated = false;
  if (e.at < epoch) {
    for (let i = 2; i < reply.length; i++) {
      const n = markerCheck(reply[i], e.at);
      if (n >= 2) return { read: { hit: false, epoch } };
      if (n === 1) invalidated = true;
    }
  }
  return { read: toHit(e, invalidated, epoch, known.tags) };
}

/**
 * Creates the reader of one store. Its memory of known tags is a bounded LRU of `maxKnown` keys:
 * when full it forgets the least recently read or written key, so a steady working set larger
 * than the bound still reads mostly through `MGET`.
 *
 * @example
 * ```ts
 * const reader = createReader(link, luaScript('get', GET_LUA));
 * ```
 */
export function createReader(link: RedisLink, getScript: LuaScript, maxKnown = MAX_KNOWN_KEYS): Reader {
  const known = new LRUCache<string, KnownTags>({ max: maxKnown });
  const remember = (prefix: string, entryKey: string, tagsJson: string, tags: readonly string[]): void => {
    if (known.get(entryKey)?.tagsJson === tagsJson) return;
    known.set(entryKey, knownTags(prefix, entryKey, tagsJson, tags));
  };
  const viaScript = (prefix: string, entryKey: string): Promise<ReadResult<string>> =>
    runScript(link, getScript, entryKey, [prefix], parseScriptRead).then(({ read, entry }) => {
      if (read.hit && entry) remember(prefix, entryKey, entry.tagsJson, read.tags);
      return read;
    });
  const read = (prefix: string, entryKey: string): Promise<ReadResult<string>> => {
    const k = known.get(entryKey);
    if (k === undefined) return viaScript(prefix, entryKey);
    return link.send(entryKey, k.mget).then(
      (reply) => {
        const { read, changed } = judge(reply, k);
        if (read === undefined) return viaScript(prefix, entryKey);
        if (changed && read.hit) remember(prefix, entryKey, changed.tagsJson, read.tags);
        return read;
      },
      (e: unknown) => {
        throw wrapError('get', e);
      },
    );
  };
  return Object.freeze({ read, remember });
}
