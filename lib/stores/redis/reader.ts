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
 * Read coalescing: reads are not handed to the client at once but by one flush per batch, a
 * microtask queued by the batch's first read; until then they form the open batch, and a read of
 * a key already in it joins it (one command, one shared {@link ReadResult}, which nobody
 * mutates). The flush closes the batch before it hands any command to the client; a write,
 * delete, invalidation or clear of this store closes it too (its reads still go at the flush). So a command is always handed to the
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

/** The decimal number the characters of `s` in `[from, to)` spell, or -1 if one is not a digit. */
function digitsIn(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * What tag marker `<hard>:<soft>:<born>` (each a decimal number, `hard` and `soft` possibly
 * empty) says of an entry written at `at` (the GET script's `check`): 3 unknown (missing,
 * unreadable, of another generation, born after the entry), 2 a newer hard invalidation, 1 a
 * newer soft one, 0 none. Parsed in place: a hit judges one marker per tag, with no allocation.
 */
export function markerCheck(marker: unknown, at: number): 0 | 1 | 2 | 3 {
  if (typeof marker !== 'string') return 3;
  const first = marker.indexOf(':');
  const second = first < 0 ? -1 : marker.indexOf(':', first + 1);
  if (second < 0 || second === marker.length - 1) return 3;
  const hard = digitsIn(marker, 0, first);
  const soft = digitsIn(marker, first + 1, second);
  const born = digitsIn(marker, second + 1, marker.length);
  if (hard < 0 || soft < 0 || born < 0) return 3;
  if (genOf(born) !== genOf(at)) return 3;
  if (first > 0 && hard > at) return 2;
  if (born > at) return 3;
  return second > first + 1 && soft > at ? 1 : 0;
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

/** A read waiting for the flush of its batch: one per key and batch. */
class QueuedRead {
  constructor(
    readonly prefix: string,
    readonly entryKey: string,
    /** The batch it was queued in: joinable while that batch is open. */
    readonly batch: number,
    readonly promise: Promise<ReadResult<string>>,
    readonly resolve: (read: ReadResult<string>) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

/** Keys remembered for joining; past this, the memo is emptied at the next new key. */
const MAX_OPEN_KEYS = 1024;

/** Settled: `SETTLED.then(flush)` queues a flush (a microtask, without `queueMicrotask`'s async resource). */
const SETTLED: Promise<void> = Promise.resolve();

/** The resolving functions of the promise being created (a shared executor: no closure per read). */
let resolving: QueuedRead['resolve'] = () => undefined;
let rejecting: QueuedRead['reject'] = () => undefined;
const capture = (resolve: QueuedRead['resolve'], reject: QueuedRead['reject']): void => {
  resolving = resolve;
  rejecting = reject;
};

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
  /**
   * The read of each key waiting for the flush (at most {@link MAX_OPEN_KEYS} keys); one of the
   * open batch (`batch`) is joined. The flush forgets its reads by overwriting their entries with
   * `undefined` (a `Map` delete may reallocate the table).
   */
  const last = new Map<string, QueuedRead | undefined>();
  /** The open batch; closing it moves to the next number. */
  let batch = 0;
  /** Reads waiting for the flush (those of the open batch and of batches closed early). */
  let queued: QueuedRead[] = [];
  let spare: QueuedRead[] = [];
  const close = (): void => {
    batch += 1;
  };

  const viaScript = (q: QueuedRead): void => {
    runScript(link, getScript, q.entryKey, [q.prefix], parseScriptRead).then(({ read, entry }) => {
      if (read.hit && entry) remember(q.prefix, q.entryKey, entry.tagsJson, read.tags);
      q.resolve(read);
    }, q.reject);
  };
  const viaMget = (q: QueuedRead, k: KnownTags): void => {
    link.request(q.entryKey, k.mget).then(
      (reply) => {
        link.settled();
        let read: ReadResult<string> | undefined;
        try {
          read = judge(reply, k, remember, q.prefix, q.entryKey);
        } catch (e) {
          return q.reject(e);
        }
        if (read === undefined) viaScript(q);
        else q.resolve(read);
      },
      (e: unknown) => {
        link.settled();
        q.reject(wrapError('get', e));
      },
    );
  };
  /** The one flush of a batch: closes it, then hands every queued read to the client. */
  const flush = (): void => {
    close();
    const reads = queued;
    queued = spare;
    for (const q of reads) {
      if (last.get(q.entryKey) === q) last.set(q.entryKey, undefined);
      const k = known.get(q.entryKey);
      try {
        if (k === undefined) viaScript(q);
        else viaMget(q, k);
      } catch (e) {
        q.reject(wrapError('get', e));
      }
    }
    reads.length = 0;
    spare = reads;
  };
  const read = (prefix: string, entryKey: string): Promise<ReadResult<string>> => {
    const previous = last.get(entryKey);
    if (previous !== undefined && previous.batch === batch) return previous.promise;
    const reading = new Promise<ReadResult<string>>(capture);
    if (queued.length === 0) void SETTLED.then(flush);
    const q = new QueuedRead(prefix, entryKey, batch, reading, resolving, rejecting);
    queued.push(q);
    if (last.size >= MAX_OPEN_KEYS && !last.has(entryKey)) last.clear();
    last.set(entryKey, q);
    return reading;
  };
  return Object.freeze({ read, remember, close });
}
