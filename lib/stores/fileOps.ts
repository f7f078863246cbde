/**
 * The key-value operations of the file store that need its files: `scan` (keys are inside the
 * files, whose names are hashes) and `expire` (rewrites the entry's freshness).
 *
 * @packageDocumentation
 */
import { join } from 'node:path';
import { entryFileName, parseEntry, readText, writeAtomic, type StoredEntry } from './fileIo.js';
import { globMatch } from '../keys/glob.js';
import { SCAN_BATCH } from './storeOps.js';

/** What these operations see of one namespace of the file store. */
export interface FileSpaceView {
  /** The entries directory. */
  readonly entries: string;
  /** Entry file names (oldest use first). */
  readonly files: ReadonlyMap<string, true>;
}

function keyOfFile(text: string | undefined): StoredEntry | undefined {
  if (text === undefined) return undefined;
  try {
    const e = JSON.parse(text) as Partial<StoredEntry> | null;
    return typeof e?.k === 'string' && typeof e.d === 'number' ? (e as StoredEntry) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Yields, in batches, the keys of the live entries of a namespace matching `pattern` (reads
 * every entry file once).
 *
 * @example
 * ```ts
 * for await (const keys of scanFiles(space, 'user:*', Date.now)) console.log(keys);
 * ```
 */
export async function* scanFiles(
  space: FileSpaceView,
  pattern: string,
  now: () => number,
): AsyncGenerator<readonly string[]> {
  let batch: string[] = [];
  for (const file of [...space.files.keys()]) {
    const e = keyOfFile(await readText(join(space.entries, file)));
    if (e === undefined || now() >= e.d || !globMatch(pattern, e.k)) continue;
    batch.push(e.k);
    if (batch.length >= SCAN_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Gives the entry of `key` `ttl` more ms of freshness (its grace follows); `false` when absent.
 * Its epoch is kept, so invalidations still reach it.
 *
 * @example
 * ```ts
 * await expireFile(space, 'user:1', 60_000, Date.now); // true
 * ```
 */
export async function expireFile(
  space: FileSpaceView,
  key: string,
  ttl: number,
  now: () => number,
): Promise<boolean> {
  const path = join(space.entries, entryFileName(key));
  const text = await readText(path);
  if (text === undefined) return false;
  const e = parseEntry(text, key);
  const t = now();
  if (typeof e === 'string' || t >= e.d) return false;
  const grace = Math.max(0, e.d - e.f);
  await writeAtomic(path, JSON.stringify({ ...e, f: t + ttl, d: t + ttl + grace }));
  return true;
}
