/**
 * A store on the local file system that survives restarts: one file per entry, and per
 * namespace a small JSON file holding the logical clock (epoch and invalidation markers).
 *
 * @packageDocumentation
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from '../errors.js';
import { parseOptions } from '../options/parseOptions.js';
import { fileStoreOptionsSchema } from '../options/storeSchemas.js';
import {
  ENTRIES_DIR,
  STATE_FILE,
  entryFileName,
  isMissing,
  parseEntry,
  readText,
  removeFile,
  scanEntryFiles,
  spaceDirName,
  type StoredEntry,
  wipeEntries,
  writeAtomic,
} from './fileIo.js';
import { decodeClock, encodeClock } from './clock/clockCodec.js';
import {
  emptyClock,
  markKeys,
  markTags,
  noteLife,
  prune,
  refuses,
  resetClock,
  verdict,
} from './clock/logicalClock.js';
import { persistedClock, type PersistedClock } from './clock/persistedClock.js';
import type { Epoch, InvalidationMode, ReadResult, Store, WriteEntry } from './Store.js';
import { derivedOps } from './storeOps.js';
import { expireFile, scanFiles } from './fileOps.js';

/**
 * Options of {@link fileStore}.
 *
 * @example
 * ```ts
 * const opts: FileStoreOptions = { dir: '/var/cache/my-app', maxEntries: 50_000 };
 * ```
 */
export interface FileStoreOptions {
  /** Directory holding the cache; created when missing. One sub-directory per namespace. */
  readonly dir: string;
  /** Most entries kept per namespace; the least recently used files go first. Default 10,000. */
  readonly maxEntries?: number;
  /** Wall clock (ms since 1970) for TTLs and for forgetting old markers. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * One namespace: its directory, its clock written through to `state.json` (entries are stamped
 * with the clock's durable epoch), and the entry files it holds (oldest use first).
 */
interface Space {
  readonly root: string;
  readonly entries: string;
  readonly state: PersistedClock;
  readonly files: Map<string, true>;
}

/** Longest life an entry may have (~100 years), so that TTL arithmetic stays finite. */
const MAX_LIFE_MS = 100 * 365 * 86_400_000;

function storeError(op: string, e: unknown): StoreError {
  return new StoreError('ERR_STORE', `fileStore: ${op} failed: ${(e as Error).message}`, { cause: e });
}

/**
 * Opens a namespace directory. Without a readable clock the entries' history is unknown (their
 * invalidations may be lost), so they are removed.
 */
async function loadSpace(root: string, now: number): Promise<Space> {
  await mkdir(join(root, ENTRIES_DIR), { recursive: true });
  let clock = decodeClock((await readText(join(root, STATE_FILE))) ?? '');
  if (clock === undefined) {
    clock = emptyClock();
    await wipeEntries(root);
    await writeAtomic(join(root, STATE_FILE), encodeClock(clock));
  }
  prune(clock, now);
  const files = await scanEntryFiles(root);
  const state = persistedClock(clock, (text) => writeAtomic(join(root, STATE_FILE), text));
  return { root, entries: join(root, ENTRIES_DIR), state, files };
}

/** Moves `file` to the most recently used end. */
function touch(space: Space, file: string): void {
  space.files.delete(file);
  space.files.set(file, true);
}

/** Writes an entry file, recreating the entries directory if it vanished (a concurrent clear). */
async function writeEntry(space: Space, file: string, data: string): Promise<void> {
  try {
    await writeAtomic(join(space.entries, file), data);
  } catch (e) {
    if (!isMissing(e)) throw e;
    await mkdir(space.entries, { recursive: true });
    await writeAtomic(join(space.entries, file), data);
  }
}

async function evict(space: Space, max: number): Promise<void> {
  while (space.files.size > max) {
    const oldest = space.files.keys().next().value as string;
    space.files.delete(oldest);
    await removeFile(join(space.entries, oldest));
  }
}

/**
 * A store on the local file system that survives restarts (`TAGCACHE_URL=file:///dir`). Each
 * entry is one file under `dir/<namespace>/entries/` (named by a hash of its key); each namespace
 * keeps its logical clock (epoch, `drop`/`stale` tag markers, delete markers) in
 * `dir/<namespace>/state.json`. Files are written to a temporary name and renamed, so a crash
 * never leaves a half-written file. Payloads are the strings of the cache's serializer.
 *
 * Invalidation is race-free as in every tagcache store: no wall clock decides whether an entry or
 * a write is refused. Markers are forgotten once older than the longest `ttl + grace` written in
 * the namespace plus 10 minutes, so bookkeeping stays bounded.
 *
 * One process at a time: the clock lives in memory and is written through to disk, so two
 * processes sharing a directory would not see each other's invalidations. Use Redis to share a
 * cache between processes.
 *
 * @example
 * ```ts
 * import { createCache, fileStore } from 'tagcache';
 * const cache = createCache({ store: fileStore({ dir: '.cache/tagcache' }), ttl: '1h' });
 * ```
 */
export function fileStore(options: FileStoreOptions): Store<string> {
  parseOptions(fileStoreOptionsSchema, options ?? {}, 'fileStore');
  const { dir } = options;
  const max = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const spaces = new Map<string, Promise<Space>>();

  const open = (ns: string): Promise<Space> => {
    let space = spaces.get(ns);
    if (space === undefined) {
      space = loadSpace(join(dir, spaceDirName(ns)), now());
      spaces.set(ns, space);
      space.catch(() => {
        if (spaces.get(ns) === space) spaces.delete(ns);
      });
    }
    return space;
  };
  const guard = async <T>(op: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      throw e instanceof StoreError ? e : storeError(op, e);
    }
  };

  const miss = (space: Space): ReadResult<string> => ({ hit: false, epoch: space.state.clock.epoch });
  const drop = async (space: Space, file: string): Promise<ReadResult<string>> => {
    space.files.delete(file);
    await removeFile(join(space.entries, file));
    return miss(space);
  };

  const get = async (ns: string, key: string): Promise<ReadResult<string>> => {
    const space = await open(ns);
    const file = entryFileName(key);
    const text = await readText(join(space.entries, file));
    if (text === undefined) return miss(space);
    const stored = parseEntry(text, key);
    if (stored === 'other') return miss(space);
    const t = now();
    if (stored === 'corrupt' || t >= stored.d) return drop(space, file);
    const fate = verdict(space.state.clock, key, stored.t, stored.e);
    if (fate === 'drop') return drop(space, file);
    touch(space, file);
    const ttl = stored.f - t;
    const state = fate === 'stale' ? 'invalidated' : ttl > 0 ? 'fresh' : 'expired';
    const { p: payload, t: tags, c: createdAt, x: error } = stored;
    return { hit: true, payload, tags, createdAt, ttl, state, error, epoch: space.state.clock.epoch };
  };

  const set = async (ns: string, key: string, entry: WriteEntry<string>, epoch?: Epoch): Promise<boolean> => {
    const space = await open(ns);
    if (epoch !== undefined && refuses(space.state.clock, key, entry.tags, epoch)) return false;
    const t = now();
    const life = Math.min(Math.max(0, entry.ttl) + Math.max(0, entry.grace), MAX_LIFE_MS);
    const fresh = Math.min(Math.max(0, entry.ttl), MAX_LIFE_MS);
    const stored: StoredEntry = {
      k: key,
      e: space.state.durable(),
      t: [...entry.tags],
      c: entry.createdAt,
      f: t + fresh,
      d: t + life,
      x: entry.error,
      p: entry.payload,
    };
    const grew = noteLife(space.state.clock, life);
    const file = entryFileName(key);
    await writeEntry(space, file, JSON.stringify(stored));
    if (grew) await space.state.save();
    touch(space, file);
    await evict(space, max);
    return true;
  };

  const basic = {
    get: (ns: string, key: string) => guard('get', () => get(ns, key)),
    set: (ns: string, key: string, entry: WriteEntry<string>, epoch?: Epoch) =>
      guard('set', () => set(ns, key, entry, epoch)),
    delete: (ns: string, keys: readonly string[]) =>
      guard('delete', async () => {
        if (keys.length === 0) return;
        const space = await open(ns);
        markKeys(space.state.clock, keys, now());
        await space.state.save();
        for (const key of keys) {
          const file = entryFileName(key);
          space.files.delete(file);
          await removeFile(join(space.entries, file));
        }
      }),
  };
  return Object.freeze({
    kind: 'file',
    holdsValues: false,
    ...basic,
    ...derivedOps<string>(basic),
    expire: (ns: string, key: string, ttl: number) =>
      guard('set', async () => {
        const r = await get(ns, key);
        return r.hit && r.state !== 'invalidated' && expireFile(await open(ns), key, ttl, now);
      }),
    scan: async function* (ns: string, pattern: string) {
      yield* scanFiles(await open(ns), pattern, now);
    },
    ping: () => guard('get', async () => void (await mkdir(dir, { recursive: true }))),
    info: async (ns: string) => ({ entries: (await open(ns)).files.size }),
    invalidate: (ns: string, tags: readonly string[], mode: InvalidationMode) =>
      guard('invalidate', async () => {
        if (tags.length === 0) return;
        const space = await open(ns);
        markTags(space.state.clock, tags, mode, now());
        await space.state.save();
      }),
    clear: (ns: string) =>
      guard('clear', async () => {
        const space = await open(ns);
        resetClock(space.state.clock);
        await space.state.save();
        space.files.clear();
        await wipeEntries(space.root);
      }),
    close: async () => {
      const all = await Promise.allSettled(spaces.values());
      for (const s of all) if (s.status === 'fulfilled') await s.value.state.idle();
    },
  });
}
