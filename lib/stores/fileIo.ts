/**
 * File-system helpers of the file store: atomic writes, safe names, directory scans.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Epoch } from './Store.js';

/** The clock file of a namespace directory. */
export const STATE_FILE = 'state.json';
/** The sub-directory holding a namespace's entry files. */
export const ENTRIES_DIR = 'entries';

let tmpCounter = 0;

const sha256hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * A directory name for namespace `ns`: readable, safe on every file system (case-insensitive
 * ones included), and distinct per namespace.
 *
 * @example
 * ```ts
 * spaceDirName('app:v1'); // 'app_v1-' + 16 hex digits
 * ```
 */
export function spaceDirName(ns: string): string {
  const readable = ns.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40);
  return `${readable}-${sha256hex(ns).slice(0, 16)}`;
}

/**
 * The file name of the entry for `key`: 160 bits of its SHA-256, in hex.
 *
 * @example
 * ```ts
 * entryFileName('user:1'); // 40 hex digits + '.json'
 * ```
 */
export function entryFileName(key: string): string {
  return `${sha256hex(key).slice(0, 40)}.json`;
}

/**
 * Whether a file-system error says the path does not exist.
 *
 * @example
 * ```ts
 * try { await readFile(p); } catch (e) { if (!isMissing(e)) throw e; }
 * ```
 */
export function isMissing(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'ENOENT';
}

/**
 * Writes `data` to a temporary file beside `path`, then renames it over `path`, so that readers
 * see the old content or the new one, never a part.
 *
 * @example
 * ```ts
 * await writeAtomic('/tmp/cache/state.json', '{}');
 * ```
 */
export async function writeAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  try {
    await writeFile(tmp, data, 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/**
 * Reads a UTF-8 file; `undefined` when it does not exist.
 *
 * @example
 * ```ts
 * const text = await readText('/tmp/cache/state.json');
 * ```
 */
export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/**
 * Removes a file if it exists.
 *
 * @example
 * ```ts
 * await removeFile('/tmp/cache/x.json');
 * ```
 */
export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

/**
 * Replaces the entries directory of a namespace by an empty one: renames it aside (atomic), then
 * deletes the renamed copy.
 *
 * @example
 * ```ts
 * await wipeEntries('/tmp/cache/app-0123456789abcdef');
 * ```
 */
export async function wipeEntries(root: string): Promise<void> {
  const trash = join(root, `trash-${process.pid}-${++tmpCounter}`);
  await rename(join(root, ENTRIES_DIR), trash).catch((e: unknown) => {
    if (!isMissing(e)) throw e;
  });
  await mkdir(join(root, ENTRIES_DIR), { recursive: true });
  await rm(trash, { recursive: true, force: true });
}

/**
 * Lists the entry files of a namespace directory, removing leftovers of interrupted writes
 * (`*.tmp`) and clears (`trash-*`).
 *
 * @example
 * ```ts
 * const files = await scanEntryFiles('/tmp/cache/app-0123456789abcdef'); // Map of file names
 * ```
 */
export async function scanEntryFiles(root: string): Promise<Map<string, true>> {
  for (const name of await readdir(root)) {
    if (name.startsWith('trash-')) await rm(join(root, name), { recursive: true, force: true });
  }
  const files = new Map<string, true>();
  for (const name of await readdir(join(root, ENTRIES_DIR))) {
    if (name.endsWith('.tmp')) await removeFile(join(root, ENTRIES_DIR, name));
    else if (name.endsWith('.json')) files.set(name, true);
  }
  return files;
}

/**
 * An entry as written to its file (short field names keep files small).
 *
 * @example
 * ```ts
 * const e: StoredEntry = { k: 'k', e: 3, t: ['user:1'], c: 0, f: 1000, d: 2000, x: false, p: '"v"' };
 * ```
 */
export interface StoredEntry {
  readonly k: string; // key (guards against file-name collisions)
  readonly e: Epoch; // epoch at write time
  readonly t: readonly string[]; // tags
  readonly c: number; // createdAt
  readonly f: number; // fresh until (wall clock)
  readonly d: number; // delete at (fresh until + grace)
  readonly x: boolean; // cached error
  readonly p: string; // payload
}

/**
 * Reads an entry file's text: the entry, `'corrupt'` when it is not one, or `'other'` when it
 * belongs to another key (a file-name collision).
 *
 * @example
 * ```ts
 * parseEntry(text, 'user:1'); // StoredEntry | 'corrupt' | 'other'
 * ```
 */
export function parseEntry(text: string, key: string): StoredEntry | 'corrupt' | 'other' {
  let e: Partial<StoredEntry>;
  try {
    e = JSON.parse(text) as Partial<StoredEntry>;
  } catch {
    return 'corrupt';
  }
  const ok =
    typeof e === 'object' &&
    e !== null &&
    typeof e.k === 'string' &&
    typeof e.e === 'number' &&
    Array.isArray(e.t) &&
    typeof e.c === 'number' &&
    typeof e.f === 'number' &&
    typeof e.d === 'number' &&
    typeof e.x === 'boolean' &&
    typeof e.p === 'string';
  if (!ok) return 'corrupt';
  return e.k === key ? (e as StoredEntry) : 'other';
}
