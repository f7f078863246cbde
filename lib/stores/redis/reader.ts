/**
 * Reads, in one command either way:
 *
 * - a key whose tags this process knows (it wrote or read the entry before) is read with one
 *   plain `MGET` of the entry, the group epoch and the markers (`<hard>:<soft>`) of those tags,
 *   atomically, and judged here with the same rules as the GET script; no Lua runs, which makes
 *   a hit about as cheap for Redis as a `GET`;
 * - a known key whose entry was, when last read, written at the group epoch this reader last saw
 *   (no invalidation of the group since, as far as this process knows) is read with a short
 *   `MGET` of the entry and the group epoch only: the markers only matter when the entry is older
 *   than the epoch, which the reply itself shows. When it is, the key is read again with the full
 *   `MGET` (one more command, once per key read in that batch, while the reader learns the new
 *   epoch of the group: later reads of older entries send the full `MGET` at once);
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
import { promiseInto, SETTLES_NOTHING, type Settler } from '../../core/promiseInto.js';
import type { ReadResult, ReadTarget } from '../Store.js';
import type { RedisLink } from './link.js';
import { encodeTags, type ExpectedTags } from './entryCodec.js';
import { malformed, parseEntry, parseScriptRead, toHit } from './replies.js';
import { runScript, wrapError, type LuaScript } from './scriptRunner.js';

/** How many keys' tag lists a reader remembers (least recently used forgotten first). */
export const MAX_KNOWN_KEYS = 10_000;

/** What a reader knows of one key (built once per key and tag list; the commands are never mutated). */
class KnownTags implements ExpectedTags {
  /** The tags part of the entry as this process writes it (`encodeTags(tags)`). */
  readonly text: string;
  /** The whole `MGET` command: entry, group epoch, one marker per tag. */
  readonly mget: string[];
  /** The short `MGET` (entry and group epoch), or `undefined` without tags (the same as `mget`). */
  readonly short: string[] | undefined;
  /** The epoch the entry was written at when last read (-1: not read yet). */
  at = -1;
  constructor(
    prefix: string,
    entryKey: string,
    /** The tags' JSON, as this process writes it: the identity of the tag list. */
    readonly json: string,
    readonly tags: readonly string[],
  ) {
    const epochKey = prefix + 'e';
    this.mget = ['MGET', entryKey, epochKey];
    for (const t of tags) this.mget.push(prefix + 't:' + t);
    this.short = tags.length === 0 ? undefined : ['MGET', entryKey, epochKey];
    this.text = encodeTags(tags);
  }
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
  /** `read`, handing the result to `target` (see {@link Store.readInto}). */
  readInto(prefix: string, entryKey: string, target: ReadTarget<ReadResult<string>>): void;
  /** Records the tags of an entry this process wrote. */
  remember(prefix: string, entryKey: string, tagsJson: string, tags: readonly string[]): void;
  /**
   * Records the group epoch an invalidation, delete or clear of this process moved the group to
   * (so the next read of an older entry sends the full `MGET` at once). Any value is safe: a
   * short `MGET` checks the epoch it reads itself.
   */
  saw(prefix: string, epoch: unknown): void;
  /**
   * Closes the open batch: its reads are still sent, but no later read joins them. Called before
   * every write, delete, invalidation or clear of the store.
   */
  close(): void;
}

const SPAN = 2 ** 32;
/** The generation of an epoch (`generation × 2³² + counter`, see `luaParts.ts`). */
export const genOf = (epoch: number): number => Math.floor(epoch / SPAN);

/** The group epoch read from its `e` key, or `undefined` when missing or unreadable. */
export function epochOf(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || raw.length === 0) return undefined;
  const n = digitsIn(raw, 0, raw.length);
  return n >= 0 && genOf(n) >= 1 && Number.isSafeInteger(n) ? n : undefined;
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

/** {@link judge}: a short `MGET` found the entry older than the group epoch; its markers are needed. */
const NEEDS_MARKERS: unique symbol = Symbol('needs markers');

/**
 * What an `MGET` reply says: the read, or `undefined` when the GET script must judge: the group
 * clock is missing (the script starts a new generation), the entry is not one (the script removes
 * it), or its tags differ and the group epoch moved since the write (the markers of its real tags
 * are needed); {@link NEEDS_MARKERS} when a short `MGET` (`short`: no markers) found the entry
 * older than the group epoch. An entry whose tags are not the ones expected is remembered with its
 * real tags. `seen` learns the group epoch and the entry's.
 */
function judge(
  reply: unknown,
  known: KnownTags,
  short: boolean,
  remember: (prefix: string, entryKey: string, tagsJson: string, tags: readonly string[]) => KnownTags,
  seen: (prefix: string, epoch: number) => void,
  prefix: string,
  entryKey: string,
): ReadResult<string> | undefined | typeof NEEDS_MARKERS {
  if (!Array.isArray(reply)) throw malformed('get (MGET)', reply);
  const epoch = epochOf(reply[1]);
  if (epoch === undefined) return undefined;
  seen(prefix, epoch);
  if (reply[0] === null) return { hit: false, epoch };
  const e = parseEntry(reply[0], known);
  if (e === undefined) return undefined;
  if (genOf(e.at) !== genOf(epoch) || e.at > epoch) return { hit: false, epoch };
  if (e.tagsJson !== known.json) {
    if (e.at !== epoch) return undefined;
    remember(prefix, entryKey, e.tagsJson, e.tags).at = e.at;
    return toHit(e, false, epoch);
  }
  known.at = e.at;
  let invalidated = false;
  if (e.at < epoch) {
    if (short) return NEEDS_MARKERS;
    for (let i = 2; i < reply.length; i++) {
      const n = markerCheck(reply[i], e.at);
      if (n >= 2) return { hit: false, epoch };
      if (n === 1) invalidated = true;
    }
  }
  return toHit(e, invalidated, epoch, known.tags);
}

/** A read waiting for the flush of its batch: one per key and batch, with every caller's target. */
class QueuedRead {
  private first: ReadTarget<ReadResult<string>> | undefined = undefined;
  /** The targets of the callers after the first one. */
  private more: ReadTarget<ReadResult<string>>[] | undefined = undefined;
  /** The promise that the `read` calls joining this read share, once one asked. */
  promised: PromisedRead | undefined = undefined;
  constructor(
    readonly prefix: string,
    readonly entryKey: string,
    /** The batch it was queued in: joinable while that batch is open. */
    readonly batch: number,
  ) {}

  add(target: ReadTarget<ReadResult<string>>): void {
    if (this.first === undefined) this.first = target;
    else if (this.more === undefined) this.more = [target];
    else this.more.push(target);
  }

  /** Hands the read (shared by every caller; nobody mutates it) to each caller. */
  replied(read: ReadResult<string>): void {
    this.first?.replied(read);
    if (this.more !== undefined) for (const t of this.more) t.replied(read);
  }

  failed(error: unknown): void {
    this.first?.failed(error);
    if (this.more !== undefined) for (const t of this.more) t.failed(error);
  }
}

/** The target of a `read` that returns a promise. */
class PromisedRead implements Settler<ReadResult<string>>, ReadTarget<ReadResult<string>> {
  resolve: (read: ReadResult<string>) => void = SETTLES_NOTHING;
  reject: (error: unknown) => void = SETTLES_NOTHING;
  readonly promise: Promise<ReadResult<string>> = promiseInto(this);
  replied(read: ReadResult<string>): void {
    this.resolve(read);
  }
  failed(error: unknown): void {
    this.reject(error);
  }
}

/** Keys remembered for joining; past this, the memo is emptied at the next new key. */
const MAX_OPEN_KEYS = 1024;

/** Settled: `SETTLED.then(flush)` queues a flush (a microtask, without `queueMicrotask`'s async resource). */
const SETTLED: Promise<void> = Promise.resolve();

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
  const remember = (
    prefix: string,
    entryKey: string,
    tagsJson: string,
    tags: readonly string[],
  ): KnownTags => {
    const k = known.get(entryKey);
    if (k?.json === tagsJson) return k;
    const fresh = new KnownTags(prefix, entryKey, tagsJson, tags);
    known.set(entryKey, fresh);
    return fresh;
  };
  /** The group epoch each group prefix had in the last reply read (at most {@link MAX_KNOWN_KEYS} groups). */
  const epochs = new Map<string, number>();
  // The group of the last reply and its epoch, in front of the Map: one group is the common case.
  let lastGroup: string | undefined;
  let lastEpoch = -1;
  const seen = (prefix: string, epoch: number): void => {
    if (prefix === lastGroup && epoch === lastEpoch) return;
    lastGroup = prefix;
    lastEpoch = epoch;
    if (epochs.get(prefix) === epoch) return;
    if (epochs.size >= MAX_KNOWN_KEYS && !epochs.has(prefix)) epochs.clear();
    epochs.set(prefix, epoch);
  };
  const epochSeen = (prefix: string): number | undefined =>
    prefix === lastGroup ? lastEpoch : epochs.get(prefix);
  /**
   * The read of each key waiting for the flush (at most {@link MAX_OPEN_KEYS} keys); one of the
   * open batch (`batch`) is joined. Filled only once a batch has a second read (`indexed`): a
   * batch of one read, every serial call's, costs no Map operation. The flush forgets its reads by
   * overwriting their entries with `undefined` (a `Map` delete may reallocate the table).
   */
  const last = new Map<string, QueuedRead | undefined>();
  /** Whether the queued reads of the open batch are in `last`. */
  let indexed = false;
  const index = (q: QueuedRead): void => {
    if (last.size >= MAX_OPEN_KEYS && !last.has(q.entryKey)) last.clear();
    last.set(q.entryKey, q);
  };
  /** The open batch; closing it moves to the next number. */
  let batch = 0;
  /** Reads waiting for the flush (those of the open batch and of batches closed early). */
  let queued: QueuedRead[] = [];
  let spare: QueuedRead[] = [];
  const close = (): void => {
    batch += 1;
  };

  const viaScript = (q: QueuedRead): void => {
    runScript(link, getScript, q.entryKey, [q.prefix], parseScriptRead).then(
      ({ read, entry }) => {
        seen(q.prefix, read.epoch);
        if (read.hit && entry) remember(q.prefix, q.entryKey, entry.tagsJson, read.tags).at = entry.at;
        q.replied(read);
      },
      (e: unknown) => q.failed(e),
    );
  };
  const viaMget = (q: QueuedRead, k: KnownTags, short: string[] | undefined): void => {
    link.request(q.entryKey, short ?? k.mget).then(
      (reply) => {
        link.settled();
        let read: ReturnType<typeof judge>;
        try {
          read = judge(reply, k, short !== undefined, remember, seen, q.prefix, q.entryKey);
        } catch (e) {
          return q.failed(e);
        }
        if (read === undefined) viaScript(q);
        else if (read === NEEDS_MARKERS) viaMget(q, k, undefined);
        else q.replied(read);
      },
      (e: unknown) => {
        link.settled();
        q.failed(wrapError('get', e));
      },
    );
  };
  /** The one flush of a batch: closes it, then hands every queued read to the client. */
  const flush = (): void => {
    close();
    const reads = queued;
    queued = spare;
    const forget = indexed;
    indexed = false;
    for (const q of reads) {
      if (forget && last.get(q.entryKey) === q) last.set(q.entryKey, undefined);
      const k = known.get(q.entryKey);
      try {
        if (k === undefined) viaScript(q);
        else viaMget(q, k, k.at === epochSeen(q.prefix) ? k.short : undefined);
      } catch (e) {
        q.failed(wrapError('get', e));
      }
    }
    reads.length = 0;
    spare = reads;
  };
  /** The read of the open batch that a read of `entryKey` joins: the key's own, or a new one. */
  const enqueue = (prefix: string, entryKey: string): QueuedRead => {
    if (queued.length === 0) void SETTLED.then(flush);
    else {
      if (!indexed) {
        for (const q of queued) if (q.batch === batch) index(q);
        indexed = true;
      }
      const previous = last.get(entryKey);
      if (previous !== undefined && previous.batch === batch) return previous;
    }
    const q = new QueuedRead(prefix, entryKey, batch);
    queued.push(q);
    if (indexed) index(q);
    return q;
  };
  const readInto = (prefix: string, entryKey: string, target: ReadTarget<ReadResult<string>>): void =>
    enqueue(prefix, entryKey).add(target);
  const read = (prefix: string, entryKey: string): Promise<ReadResult<string>> => {
    const q = enqueue(prefix, entryKey);
    if (q.promised === undefined) q.add((q.promised = new PromisedRead()));
    return q.promised.promise;
  };
  const saw = (prefix: string, epoch: unknown): void => {
    if (typeof epoch === 'number') seen(prefix, epoch);
  };
  return Object.freeze({ read, readInto, remember, saw, close });
}
