/**
 * The logical clock of one file-store namespace: epoch counter, per-tag `drop`/`stale` markers,
 * per-key delete markers, and the floor below which every write is refused. Pure functions over a
 * mutable record; `fileStore` persists it as JSON. Wall-clock times only decide when markers are
 * old enough to forget, never whether an entry or a write is refused.
 *
 * @packageDocumentation
 */
import type { Epoch, InvalidationMode } from './Store.js';

/** Markers outlive the longest entry life written in the namespace by this much. */
export const FILE_MARKER_MARGIN_MS = 10 * 60_000;

/** The markers of one tag: the epochs of its last `drop` and `stale` invalidations (0 = none). */
interface TagMarker {
  drop: Epoch;
  stale: Epoch;
  /** Wall-clock time of the last change, for forgetting the marker. */
  at: number;
}

interface KeyMarker {
  epoch: Epoch;
  at: number;
}

/**
 * The clock state of one namespace.
 *
 * @example
 * ```ts
 * const clock = emptyClock();
 * markTags(clock, ['user:1'], 'drop', Date.now());
 * clock.epoch; // 1
 * ```
 */
export interface FileClock {
  epoch: Epoch;
  /** Writes that started before this epoch are refused; entries stored before it are dropped. */
  floor: Epoch;
  /** Longest `ttl + grace` ever written in the namespace, ms. */
  maxLife: number;
  /** Tag markers, least recently changed first (so that pruning stops at the first live one). */
  readonly tags: Map<string, TagMarker>;
  /** Delete markers, oldest first. */
  readonly keys: Map<string, KeyMarker>;
}

/**
 * A fresh clock.
 *
 * @example
 * ```ts
 * emptyClock().epoch; // 0
 * ```
 */
export function emptyClock(): FileClock {
  return { epoch: 0, floor: 0, maxLife: 0, tags: new Map(), keys: new Map() };
}

/**
 * Whether a write that started at `epoch` must be refused: the namespace was cleared, the key
 * deleted, or one of `tags` invalidated (either mode) after it started.
 *
 * @example
 * ```ts
 * refuses(clock, 'k', ['user:1'], startEpoch);
 * ```
 */
export function refuses(clock: FileClock, key: string, tags: readonly string[], epoch: Epoch): boolean {
  if (epoch < clock.floor || (clock.keys.get(key)?.epoch ?? 0) > epoch) return true;
  for (const tag of tags) {
    const m = clock.tags.get(tag);
    if (m !== undefined && (m.drop > epoch || m.stale > epoch)) return true;
  }
  return false;
}

/**
 * What became of an entry stored at `stored`: `drop` when the namespace was cleared, the key
 * deleted or a tag hard-invalidated since; `stale` for a soft invalidation; else `undefined`.
 *
 * @example
 * ```ts
 * verdict(clock, 'k', entry.tags, entry.epoch); // 'drop' | 'stale' | undefined
 * ```
 */
export function verdict(
  clock: FileClock,
  key: string,
  tags: readonly string[],
  stored: Epoch,
): InvalidationMode | undefined {
  if (stored < clock.floor || (clock.keys.get(key)?.epoch ?? 0) > stored) return 'drop';
  let result: InvalidationMode | undefined;
  for (const tag of tags) {
    const m = clock.tags.get(tag);
    if (m === undefined) continue;
    if (m.drop > stored) return 'drop';
    if (m.stale > stored) result = 'stale';
  }
  return result;
}

/**
 * Bumps the epoch and marks `tags` with it.
 *
 * @example
 * ```ts
 * markTags(clock, ['user:1'], 'stale', Date.now());
 * ```
 */
export function markTags(
  clock: FileClock,
  tags: readonly string[],
  mode: InvalidationMode,
  now: number,
): void {
  clock.epoch += 1;
  for (const tag of tags) {
    const m = clock.tags.get(tag) ?? { drop: 0, stale: 0, at: now };
    m[mode] = clock.epoch;
    m.at = now;
    clock.tags.delete(tag); // re-insert: the map stays ordered by time of change
    clock.tags.set(tag, m);
  }
  prune(clock, now);
}

/**
 * Bumps the epoch and marks `keys` as deleted at it.
 *
 * @example
 * ```ts
 * markKeys(clock, ['k'], Date.now());
 * ```
 */
export function markKeys(clock: FileClock, keys: readonly string[], now: number): void {
  clock.epoch += 1;
  for (const key of keys) {
    clock.keys.delete(key);
    clock.keys.set(key, { epoch: clock.epoch, at: now });
  }
  prune(clock, now);
}

/**
 * Forgets every marker after a clear: bumps the epoch and raises the floor to it.
 *
 * @example
 * ```ts
 * resetClock(clock);
 * ```
 */
export function resetClock(clock: FileClock): void {
  clock.epoch += 1;
  clock.floor = clock.epoch;
  clock.tags.clear();
  clock.keys.clear();
}

/**
 * Forgets markers older than the longest entry life plus {@link FILE_MARKER_MARGIN_MS}, raising
 * the floor to their epochs so that no write that started before them can land. The maps are
 * ordered by time of change, so this costs O(markers forgotten). Returns whether any was.
 *
 * @example
 * ```ts
 * prune(clock, Date.now());
 * ```
 */
export function prune(clock: FileClock, now: number): boolean {
  const cutoff = now - clock.maxLife - FILE_MARKER_MARGIN_MS;
  let changed = false;
  for (const [tag, m] of clock.tags) {
    if (m.at > cutoff) break;
    clock.floor = Math.max(clock.floor, m.drop, m.stale);
    clock.tags.delete(tag);
    changed = true;
  }
  for (const [key, m] of clock.keys) {
    if (m.at > cutoff) break;
    clock.floor = Math.max(clock.floor, m.epoch);
    clock.keys.delete(key);
    changed = true;
  }
  return changed;
}

/**
 * Number of live markers (tags and keys).
 *
 * @example
 * ```ts
 * markerCount(clock); // 0
 * ```
 */
export function markerCount(clock: FileClock): number {
  return clock.tags.size + clock.keys.size;
}

/**
 * The JSON form of a clock.
 *
 * @example
 * ```ts
 * const text = encodeClock(clock);
 * ```
 */
export function encodeClock(clock: FileClock): string {
  return JSON.stringify({
    v: 1,
    epoch: clock.epoch,
    floor: clock.floor,
    maxLife: clock.maxLife,
    tags: [...clock.tags].map(([tag, m]) => [tag, m.drop, m.stale, m.at]),
    keys: [...clock.keys].map(([key, m]) => [key, m.epoch, m.at]),
  });
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Reads a clock written by {@link encodeClock}; `undefined` when the text is not one.
 *
 * @example
 * ```ts
 * decodeClock(encodeClock(emptyClock()))?.epoch; // 0
 * ```
 */
export function decodeClock(text: string): FileClock | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = raw as {
    v?: unknown;
    epoch?: unknown;
    floor?: unknown;
    maxLife?: unknown;
    tags?: unknown;
    keys?: unknown;
  };
  if (r === null || typeof r !== 'object' || r.v !== 1) return undefined;
  if (
    !isNum(r.epoch) ||
    !isNum(r.floor) ||
    !isNum(r.maxLife) ||
    !Array.isArray(r.tags) ||
    !Array.isArray(r.keys)
  )
    return undefined;
  const clock: FileClock = { ...emptyClock(), epoch: r.epoch, floor: r.floor, maxLife: r.maxLife };
  for (const t of r.tags as unknown[]) {
    if (!Array.isArray(t) || typeof t[0] !== 'string' || !isNum(t[1]) || !isNum(t[2]) || !isNum(t[3]))
      return undefined;
    clock.tags.set(t[0], { drop: t[1], stale: t[2], at: t[3] });
  }
  for (const k of r.keys as unknown[]) {
    if (!Array.isArray(k) || typeof k[0] !== 'string' || !isNum(k[1]) || !isNum(k[2])) return undefined;
    clock.keys.set(k[0], { epoch: k[1], at: k[2] });
  }
  return clock;
}
