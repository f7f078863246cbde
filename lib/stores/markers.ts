/**
 * In-process invalidation markers: the logical clocks behind race-free tags for stores that keep
 * their bookkeeping in memory. One epoch counter; per-tag hard (`drop`) and soft (`stale`)
 * markers; per-key delete markers. Markers expire after the longest entry life seen plus a
 * margin, so bookkeeping never outgrows the entries it serves.
 *
 * @packageDocumentation
 */
import type { Epoch, InvalidationMode } from './Store.js';

/** Extra life given to markers beyond the longest entry life, covering slow computations. */
export const MARKER_MARGIN_MS = 10 * 60_000;

interface Marker {
  epoch: Epoch;
  expiresAt: number;
}

/**
 * The clock state of one in-process store.
 *
 * @example
 * ```ts
 * const m = createMarkers();
 * const e = m.epoch();
 * m.invalidate('ns', ['user:1'], 'drop', Date.now());
 * m.refuses('ns', 'k', ['user:1'], e, Date.now()); // true
 * ```
 */
export interface Markers {
  /** The current epoch. */
  epoch(): Epoch;
  /** The epoch of the newest invalidation or delete; entries written at or after it need no check. */
  lastChange(): Epoch;
  /** Records that an entry living `lifeMs` was written (sets how long markers must live). */
  noteLife(lifeMs: number): void;
  invalidate(ns: string, tags: readonly string[], mode: InvalidationMode, now: number): void;
  deleted(ns: string, key: string, now: number): void;
  /** `drop` when a hard marker of `tags` is newer than `epoch`, `stale` for a soft one, else undefined. */
  check(ns: string, tags: readonly string[], epoch: Epoch, now: number): InvalidationMode | undefined;
  /** Whether a write that started at `epoch` must be refused. */
  refuses(ns: string, key: string, tags: readonly string[], epoch: Epoch, now: number): boolean;
  clearNamespace(ns: string): void;
  /** Number of live markers (for tests of bounded bookkeeping). */
  size(): number;
}

const SEP = '\u0000';

/**
 * Creates the marker state for one store.
 *
 * @example
 * ```ts
 * const markers = createMarkers();
 * ```
 */
export function createMarkers(): Markers {
  let epoch = 0;
  let lastChange = 0;
  let maxLife = 0;
  const hard = new Map<string, Marker>();
  const soft = new Map<string, Marker>();
  const keys = new Map<string, Marker>();
  const cleared = new Map<string, Epoch>();
  /** Newest epoch of an expired marker: writes that started before it are refused, as its marker would have. */
  let floor = 0;
  let sweepAt = 1024;

  const newer = (map: Map<string, Marker>, id: string, than: Epoch, now: number): boolean => {
    const m = map.get(id);
    if (m === undefined) return false;
    if (m.expiresAt <= now) {
      map.delete(id);
      if (m.epoch > floor) floor = m.epoch;
      return false;
    }
    return m.epoch > than;
  };
  const sweep = (now: number): void => {
    const total = hard.size + soft.size + keys.size;
    if (total < sweepAt) return;
    for (const map of [hard, soft, keys])
      for (const [id, m] of map)
        if (m.expiresAt <= now) {
          map.delete(id);
          if (m.epoch > floor) floor = m.epoch;
        }
    sweepAt = Math.max(1024, 2 * (hard.size + soft.size + keys.size));
  };
  const mark = (map: Map<string, Marker>, id: string, now: number): void => {
    map.set(id, { epoch, expiresAt: now + maxLife + MARKER_MARGIN_MS });
  };

  return Object.freeze({
    epoch: () => epoch,
    lastChange: () => lastChange,
    noteLife(lifeMs: number) {
      if (lifeMs > maxLife) maxLife = lifeMs;
    },
    invalidate(ns: string, tags: readonly string[], mode: InvalidationMode, now: number) {
      epoch += 1;
      lastChange = epoch;
      const map = mode === 'drop' ? hard : soft;
      for (const tag of tags) mark(map, ns + SEP + tag, now);
      sweep(now);
    },
    deleted(ns: string, key: string, now: number) {
      epoch += 1;
      lastChange = epoch;
      mark(keys, ns + SEP + key, now);
      sweep(now);
    },
    check(ns: string, tags: readonly string[], at: Epoch, now: number) {
      let result: InvalidationMode | undefined;
      for (const tag of tags) {
        const id = ns + SEP + tag;
        if (newer(hard, id, at, now)) return 'drop';
        if (result === undefined && newer(soft, id, at, now)) result = 'stale';
      }
      return result;
    },
    refuses(ns: string, key: string, tags: readonly string[], at: Epoch, now: number) {
      if (at >= lastChange) return false;
      if (at < floor || (cleared.get(ns) ?? 0) > at) return true;
      if (newer(keys, ns + SEP + key, at, now)) return true;
      for (const tag of tags) {
        const id = ns + SEP + tag;
        if (newer(hard, id, at, now) || newer(soft, id, at, now)) return true;
      }
      return false;
    },
    clearNamespace(ns: string) {
      epoch += 1;
      lastChange = epoch;
      cleared.set(ns, epoch);
    },
    size: () => hard.size + soft.size + keys.size,
  });
}
