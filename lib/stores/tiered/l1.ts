/**
 * The memory tier (L1) of the tiered store: a bounded LRU per namespace of serialized payloads
 * (copies: every hit gets its own value, copied from a template decoded once), with a local sequence number and per-tag, per-key
 * and per-namespace markers that refuse fills and writes which straddle an invalidation applied
 * in this process.
 *
 * Every applied invalidation (local, or from the bus) takes the next local sequence number `seq`.
 * An entry remembers the `seq` it was filled at; a hit drops it when one of its tags has a newer
 * marker. A fill or write that started at `since` is refused when a marker of its key, one of its
 * tags or its namespace (or a flush) is newer than `since`. Markers are bounded in number and age;
 * pruning one raises a floor below which every fill is refused and every entry dropped.
 *
 * @packageDocumentation
 */
import { LRUCache } from 'lru-cache';
import type { Epoch, StoreHit } from '../Store.js';

/** An entry of the memory tier. Times are on the local monotonic clock. */
export interface L1Entry {
  readonly payload: string;
  readonly tags: readonly string[];
  readonly createdAt: number;
  /** Local monotonic time at which the entry stops being fresh (never later than on L2). */
  readonly freshUntil: number;
  readonly error: boolean;
  /** The L2 epoch the entry was read or written at (handed back on refreshes of it). */
  readonly l2Epoch: Epoch;
  /** Local sequence number at fill time. */
  seq: number;
  /**
   * The hit record last returned for this entry, with the epoch token of local sequence number
   * `hitSeq`: handed out again while `hitSeq` is the current `seq` (see the tiered store's
   * `hitOf`), built anew once it is not.
   */
  hit: L1Hit | undefined;
  hitSeq: number;
  /** The cache's decoded template of `payload` (the hit's `slot`, see `StoreHit.slot`). */
  decoded: unknown;
}

/**
 * A hit record kept with its entry and returned by every hit of it while its epoch token is
 * current. Read-only for callers; the tier itself sets `ttl` afresh at each hit.
 */
export type L1Hit = Omit<StoreHit<string>, 'ttl'> & { ttl: number };

/** What a fill carries (the rest is set by the tier). */
export type L1Fill = Omit<L1Entry, 'seq' | 'hit' | 'hitSeq' | 'decoded'>;

/**
 * Bounds of the memory tier.
 *
 * @example
 * ```ts
 * const bounds: L1Bounds = { maxEntries: 10_000, maxBytes: undefined, sizeOf: undefined };
 * ```
 */
export interface L1Bounds {
  readonly maxEntries: number;
  readonly maxBytes: number | undefined;
  readonly sizeOf: ((payload: string) => number) | undefined;
  /** Most live markers (tags and keys) kept; default 100,000. */
  readonly maxMarkers?: number;
  /** Longest a prepared invalidation keeps its tags out of the tier without its end; default 30 s. */
  readonly pendingMs?: number;
}

interface Marker {
  readonly seq: number;
  readonly at: number;
}

interface Space {
  readonly lru: LRUCache<string, L1Entry>;
  readonly tags: Map<string, Marker>;
  readonly keys: Map<string, Marker>;
  /** Seq of the last clear of the namespace. */
  cleared: number;
  /** Seq of the newest tag marker (entries filled at or after it skip the tag checks). */
  tagChange: number;
  /**
   * Tags of strict invalidations prepared here and not yet done in L2: nothing carrying them is
   * filled or written into this tier meanwhile (count of open invalidations, local time of the last).
   */
  readonly pending: Map<string, { count: number; at: number }>;
}

/**
 * The memory tier.
 *
 * @example
 * ```ts
 * const l1 = createL1({ maxEntries: 1000, maxBytes: undefined, sizeOf: undefined });
 * const since = l1.seq();
 * l1.fill('app', 'k', entry, since, performance.now());
 * ```
 */
export interface L1 {
  /** The current local sequence number. */
  seq(): number;
  /** A fresh, valid entry, or undefined (expired or invalidated entries are removed). */
  read(ns: string, key: string, now: number): L1Entry | undefined;
  /** Whether a fill or write of `key` with `tags` that started at `since` must be refused. */
  refuses(ns: string, key: string, tags: readonly string[], since: number): boolean;
  /** Stores `fill` unless refused; true if stored. */
  fill(ns: string, key: string, fill: L1Fill, since: number, now: number): boolean;
  invalidateTags(ns: string, tags: readonly string[], now: number): void;
  /**
   * Phase 1 of a strict invalidation, before L2 changes: drops the tags' entries and refuses every
   * fill or write carrying one of them until {@link L1.finishTags} (or `pendingMs` passes).
   */
  prepareTags(ns: string, tags: readonly string[], now: number): void;
  /** Phase 2, once L2 is invalidated: fills resume, except those of reads started before. */
  finishTags(ns: string, tags: readonly string[], now: number): void;
  deleteKeys(ns: string, keys: readonly string[], now: number): void;
  clearNamespace(ns: string): void;
  /** Drops every entry of every namespace and refuses every fill that started before. */
  flush(): void;
  /** Expires old markers (raising the floor); call now and then. */
  prune(now: number): void;
  inspect(): { entries: number; markers: number; pending: number };
}

const estimate = (payload: string, tags: readonly string[]): number =>
  2 * payload.length + tags.reduce((n, t) => n + 2 * t.length + 8, 96);

/**
 * Creates a memory tier.
 *
 * @example
 * ```ts
 * const l1 = createL1({ maxEntries: 10_000, maxBytes: 64 << 20, sizeOf: undefined });
 * ```
 */
export function createL1(bounds: L1Bounds): L1 {
  const maxMarkers = bounds.maxMarkers ?? 100_000;
  const pendingMs = bounds.pendingMs ?? 30_000;
  const sizeOf = bounds.sizeOf;
  const lruOptions = {
    max: bounds.maxEntries,
    ...(bounds.maxBytes === undefined
      ? {}
      : {
          maxSize: bounds.maxBytes,
          sizeCalculation: (e: L1Entry) =>
            Math.max(1, sizeOf ? sizeOf(e.payload) : estimate(e.payload, e.tags)),
        }),
  };
  const spaces = new Map<string, Space>();
  let seq = 0;
  let floor = 0;
  let flushed = 0;
  let markerCount = 0;
  /** Longest fresh life of an entry seen, in ms: markers are kept at least that long. */
  let maxLife = 1000;

  const space = (ns: string): Space => {
    let s = spaces.get(ns);
    if (s === undefined) {
      s = {
        lru: new LRUCache<string, L1Entry>(lruOptions),
        tags: new Map(),
        keys: new Map(),
        cleared: 0,
        tagChange: 0,
        pending: new Map(),
      };
      spaces.set(ns, s);
    }
    return s;
  };
  const mark = (map: Map<string, Marker>, name: string, m: Marker): void => {
    if (map.delete(name)) markerCount -= 1;
    map.set(name, m);
    markerCount += 1;
  };
  const newer = (map: Map<string, Marker>, name: string, since: number): boolean =>
    (map.get(name)?.seq ?? 0) > since;

  const stale = (s: Space, e: L1Entry): boolean => {
    if (e.seq < floor || e.seq < flushed || e.seq < s.cleared) return true;
    if (e.seq >= s.tagChange) return false;
    for (const t of e.tags) if (newer(s.tags, t, e.seq)) return true;
    return false;
  };

  const refuses = (ns: string, key: string, tags: readonly string[], since: number): boolean => {
    const s = spaces.get(ns);
    if (s !== undefined && s.pending.size > 0 && tags.some((t) => s.pending.has(t))) return true;
    if (since === seq) return false;
    if (since < floor || since < flushed) return true;
    if (s === undefined) return false;
    if (since < s.cleared || newer(s.keys, key, since)) return true;
    if (since >= s.tagChange) return false;
    return tags.some((t) => newer(s.tags, t, since));
  };

  function invalidateTags(ns: string, tags: readonly string[], now: number): void {
    const s = space(ns);
    seq += 1;
    for (const t of tags) mark(s.tags, t, { seq, at: now });
    s.tagChange = seq;
    if (markerCount > maxMarkers) prune(now);
  }
  /** Ends one prepared invalidation of `tags` (all of them when `all`), refusing reads started before. */
  function finishTags(ns: string, tags: readonly string[], now: number, all: boolean): void {
    const { pending } = space(ns);
    for (const t of tags) {
      const p = pending.get(t);
      if (p === undefined) continue;
      if (all || p.count <= 1) pending.delete(t);
      else p.count -= 1;
    }
    invalidateTags(ns, tags, now);
  }

  /** Removes markers older than `maxLife` (or the oldest ones past `maxMarkers`), raising the floor. */
  const pruneMap = (map: Map<string, Marker>, now: number, force: boolean): void => {
    for (const [name, m] of map) {
      if (!force && m.at + maxLife + 1000 > now) return;
      map.delete(name);
      markerCount -= 1;
      if (m.seq > floor) floor = m.seq;
      if (force && markerCount <= maxMarkers / 2) return;
    }
  };
  const prune = (now: number): void => {
    for (const [ns, s] of spaces) {
      const expired = [...s.pending].filter(([, p]) => p.at + pendingMs <= now).map(([t]) => t);
      if (expired.length > 0) finishTags(ns, expired, now, true);
    }
    for (const s of spaces.values()) {
      pruneMap(s.tags, now, false);
      pruneMap(s.keys, now, false);
    }
    if (markerCount > maxMarkers)
      for (const s of spaces.values()) {
        pruneMap(s.tags, now, true);
        pruneMap(s.keys, now, true);
      }
  };

  return Object.freeze({
    seq: () => seq,
    read(ns: string, key: string, now: number): L1Entry | undefined {
      const s = spaces.get(ns);
      const e = s?.lru.get(key);
      if (e === undefined || s === undefined) return undefined;
      if (now >= e.freshUntil || stale(s, e)) {
        s.lru.delete(key);
        return undefined;
      }
      return e;
    },
    refuses,
    fill(ns: string, key: string, f: L1Fill, since: number, now: number): boolean {
      if (f.freshUntil <= now || refuses(ns, key, f.tags, since)) return false;
      maxLife = Math.max(maxLife, f.freshUntil - now);
      space(ns).lru.set(key, { ...f, seq, hit: undefined, hitSeq: -1, decoded: undefined });
      return true;
    },
    invalidateTags,
    prepareTags(ns: string, tags: readonly string[], now: number): void {
      const { pending } = space(ns);
      for (const t of tags) pending.set(t, { count: (pending.get(t)?.count ?? 0) + 1, at: now });
      invalidateTags(ns, tags, now);
    },
    finishTags: (ns: string, tags: readonly string[], now: number) => finishTags(ns, tags, now, false),
    deleteKeys(ns: string, keys: readonly string[], now: number): void {
      const s = space(ns);
      seq += 1;
      for (const k of keys) {
        mark(s.keys, k, { seq, at: now });
        s.lru.delete(k);
      }
      if (markerCount > maxMarkers) prune(now);
    },
    clearNamespace(ns: string): void {
      const s = space(ns);
      seq += 1;
      s.cleared = seq;
      s.lru.clear();
    },
    flush(): void {
      seq += 1;
      flushed = seq;
      for (const s of spaces.values()) s.lru.clear();
    },
    prune,
    inspect: () => ({
      entries: [...spaces.values()].reduce((n, s) => n + s.lru.size, 0),
      markers: markerCount,
      pending: [...spaces.values()].reduce((n, s) => n + s.pending.size, 0),
    }),
  });
}
