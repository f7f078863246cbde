/**
 * The logical clock of one namespace of an in-process store (memory, file): an epoch counter,
 * per-tag `drop`/`stale` markers, per-key delete markers, and a floor below which every write is
 * refused. One set of rules for every store that keeps its bookkeeping in the process; how the
 * clock is persisted is a separate, pluggable part (see `clockCodec.ts`, `persistedClock.ts`).
 *
 * Wall-clock times only decide when markers are old enough to forget, never whether an entry or
 * a write is refused: forgetting a marker raises the floor to its epoch first.
 *
 * @packageDocumentation
 */
import type { Epoch, InvalidationMode } from '../Store.js';
import { MARKER_MARGIN_MS } from './markerMargin.js';

/** The markers of one tag: the epochs of its last `drop` and `stale` invalidations (0 = none). */
export interface TagMarker {
  drop: Epoch;
  stale: Epoch;
  /** Wall-clock time of the last change, for forgetting the marker. */
  at: number;
}

/** The delete marker of one key. */
export interface KeyMarker {
  epoch: Epoch;
  at: number;
}

/**
 * The clock state of one namespace. Every change (invalidation, delete, clear) bumps `epoch`.
 *
 * @example
 * ```ts
 * const clock = emptyClock();
 * markTags(clock, ['user:1'], 'drop', Date.now());
 * clock.epoch; // 1
 * ```
 */
export interface LogicalClock {
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
export function emptyClock(): LogicalClock {
  return { epoch: 0, floor: 0, maxLife: 0, tags: new Map(), keys: new Map() };
}

/**
 * Records that an entry living `lifeMs` (ttl + grace) is written; markers must outlive it.
 * Returns whether the longest life grew (a persisted clock then needs saving).
 *
 * @example
 * ```ts
 * noteLife(clock, 60_000); // true the first time
 * ```
 */
export function noteLife(clock: LogicalClock, lifeMs: number): boolean {
  if (lifeMs <= clock.maxLife) return false;
  clock.maxLife = lifeMs;
  return true;
}

/**
 * Whether a write that started at `epoch` must be refused: the namespace was cleared, the key
 * deleted, or one of `tags` invalidated (either mode) after it started, or a marker newer than
 * `epoch` has been forgotten since (the floor).
 *
 * @example
 * ```ts
 * refuses(clock, 'k', ['user:1'], startEpoch);
 * ```
 */
export function refuses(clock: LogicalClock, key: string, tags: readonly string[], epoch: Epoch): boolean {
  if (epoch >= clock.epoch) return false;
  if (epoch < clock.floor || (clock.keys.get(key)?.epoch ?? 0) > epoch) return true;
  for (const tag of tags) {
    const m = clock.tags.get(tag);
    if (m !== undefined && (m.drop > epoch || m.stale > epoch)) return true;
  }
  return false;
}

/**
 * What became of an entry stored at epoch `stored`: `drop` when the namespace was cleared, the
 * key deleted or a tag hard-invalidated since; `stale` for a soft invalidation; else `undefined`.
 *
 * @example
 * ```ts
 * verdict(clock, 'k', entry.tags, entry.epoch); // 'drop' | 'stale' | undefined
 * ```
 */
export function verdict(
  clock: LogicalClock,
  key: string,
  tags: readonly string[],
  stored: Epoch,
): InvalidationMode | undefined {
  if (stored >= clock.epoch) return undefined;
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
 * Bumps the epoch and marks `tags` with it, then forgets markers that are old enough.
 *
 * @example
 * ```ts
 * markTags(clock, ['user:1'], 'stale', Date.now());
 * ```
 */
export function markTags(
  clock: LogicalClock,
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
 * Bumps the epoch and marks `keys` as deleted at it, then forgets markers that are old enough.
 *
 * @example
 * ```ts
 * markKeys(clock, ['k'], Date.now());
 * ```
 */
export function markKeys(clock: LogicalClock, keys: readonly string[], now: number): void {
  clock.epoch += 1;
  for (const key of keys) {
    clock.keys.delete(key);
    clock.keys.set(key, { epoch: clock.epoch, at: now });
  }
  prune(clock, now);
}

/**
 * Forgets every marker after a clear: bumps the epoch and raises the floor to it, so that every
 * entry stored and every computation started before the clear is refused.
 *
 * @example
 * ```ts
 * resetClock(clock);
 * ```
 */
export function resetClock(clock: LogicalClock): void {
  clock.epoch += 1;
  clock.floor = clock.epoch;
  clock.tags.clear();
  clock.keys.clear();
}

/**
 * Forgets markers older than the longest entry life plus `margin`, raising the floor to their
 * epochs first, so that no write that started before them can land. The maps are ordered by
 * time of change, so this costs O(markers forgotten). Returns whether any was forgotten.
 *
 * @example
 * ```ts
 * prune(clock, Date.now());
 * ```
 */
export function prune(clock: LogicalClock, now: number, margin: number = MARKER_MARGIN_MS): boolean {
  const cutoff = now - clock.maxLife - margin;
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
export function markerCount(clock: LogicalClock): number {
  return clock.tags.size + clock.keys.size;
}
