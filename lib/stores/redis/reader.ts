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
 * Read coalescing: reads are not handed to the client at once but from the next microtask, and
 * until then they form an open batch: a read of a key already in the open batch joins it (one
 * command, one shared {@link ReadResult}, which nobody mutates). The batch closes when its first
 * read takes its turn, before any of its commands is handed to the client, and also when this
 * store writes, deletes, invalidates or clears anything. So a command is always handed to the
 * client after every caller it answers had started, and Redis runs it after each of them started:
 * it sees every invalidation (of any process) that resolved before any of them started. A read
 * already handed to the client is never joined (docs/redis.md, "Read coalescing").
 *
 * @packageDocumentation
 */
import { LRUCache } from 'lru-cache';
import type { ReadResult } from '../Store.js';
import type { RedisLink } from './link.js';
import { malformed, parseEntry, parseScriptRead, toHit } from './replies.js';
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
  /** Reads an entry, joining the read of the same key in the open batch if there is one. */
  read(prefix: string, entryKey: string): Promise<ReadResult<string>>;
  /** Records the tags of an entry this process wrote. */
  remember(prefix: string, entryKey: string, tagsJson: string, tags: readonly string[]): void;
  /**
   * Closes the open batch: its reads are still sent, but no later read joins them. Called before
   * every write, delete, invalidation or clear of the store.
   */
  close(): void;
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
 * What an `MGET` reply says: the read, or `undefined` when the GET script must judge: the group
 * clock is missing (the script starts a new generation), the entry is not one (the script removes
 * it), or its tags differ and the group epoch moved since the write (the markers of its real tags
 * are needed). An entry whose tags are not the ones expected is remembered with its real tags.
 */
function judge(
  reply: unknown,
  known: KnownTags,
  remember: Reader['remember'],
  prefix: string,
  entryKey: string,
): ReadResult<string> | undefined {
  if (!Array.isArray(reply)) throw malformed('get (MGET)', reply);
  const epoch = epochOf(reply[1]);
  if (epoch === undefined) return undefined;
  if (reply[0] === null) return { hit: false, epoch };
  const e = parseEntry(reply[0]);
  if (e === undefined) return undefined;
  if (genOf(e.at) !== genOf(epoch) || e.at > epoch) return { hit: false, epoch };
  if (e.tagsJson !== known.tagsJson) {
    if (e.at !== epoch) return undefined;
    remember(prefix, entryKey, e.tagsJson, e.tags);
    return toHit(e, false, epoch);
  }
  let invalidated = false;
  if (e.at < epoch) {
    for (let i = 2; i < reply.length; i++) {
      const n = markerCheck(reply[i], e.at);
      if (n >= 2) return { hit: false, epoch };
      if (n === 1) invalidated = true;
    }
  }
  return toHit(e, invalidated, epoch, known.tags);
}

/** Settled at once: awaiting it gives the open batch its one microtask. */
const TURN: Promise<void> = Promise.resolve();

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
  /** The open batch: reads not yet handed to the client, by entry key. */
  const open = new Map<string, Promise<ReadResult<string>>>();
  /** Which batch is open; a closed batch never reopens. */
  let batch = 0;
  const close = (): void => {
    batch += 1;
    if (open.size !== 0) open.clear();
  };

  const viaScript = async (prefix: string, entryKey: string): Promise<ReadResult<string>> => {
    const { read, entry } = await runScript(link, getScript, entryKey, [prefix], parseScriptRead);
    if (read.hit && entry) remember(prefix, entryKey, entry.tagsJson, read.tags);
    return read;
  };
  /** One read of the batch `of`: waits for its turn (which closes the batch), then sends. */
  const send = async (prefix: string, entryKey: string, of: number): Promise<ReadResult<string>> => {
    await TURN;
    if (of === batch) close();
    const k = known.get(entryKey);
    if (k !== undefined) {
      let reply: unknown;
      try {
        reply = await link.send(entryKey, k.mget);
      } catch (e) {
        throw wrapError('get', e);
      }
      const read = judge(reply, k, remember, prefix, entryKey);
      if (read !== undefined) return read;
    }
    return await viaScript(prefix, entryKey);
  };
  const read = (prefix: string, entryKey: string): Promise<ReadResult<string>> => {
    if (open.size !== 0) {
      const joined = open.get(entryKey);
      if (joined !== undefined) return joined;
    }
    const reading = send(prefix, entryKey, batch);
    open.set(entryKey, reading);
    return reading;
  };
  return Object.freeze({ read, remember, close });
}
