/**
 * The check of a recorded history of reads and writes (DESIGN.md §2.3): a read that STARTED after
 * a write's invalidation RESOLVED must not return a version older than that write's. Times are
 * those of one observer (the parent process of a multi-process run, or one process): a read is
 * stamped when the observer asked for it (before it started), a write when the observer learnt
 * that its invalidation had resolved (after it did), so the check never blames a read that may
 * have overlapped the invalidation.
 *
 * Independent of any store or process layout; the randomized runs record histories, this judges them.
 */

/** A write: `row` reached `version` in the source of truth, then the invalidation resolved at `resolvedAt`. */
export interface WriteRecord {
  readonly row: number;
  readonly version: number;
  readonly resolvedAt: number;
}

/** A read of `row` asked for at `startedAt`, that returned `version` (undefined: nothing, e.g. a peek miss). */
export interface ReadRecord {
  readonly row: number;
  readonly op: string;
  readonly startedAt: number;
  readonly version: number | undefined;
  /** Who served it, for the report. */
  readonly by?: string;
}

/**
 * The stale reads of a history, one line each (empty when the guarantee held).
 *
 * @example
 * ```ts
 * staleReads([{ row: 0, version: 1, resolvedAt: 5 }], [{ row: 0, op: 'read', startedAt: 6, version: 0 }]);
 * // ['read(0) started at 6 returned version 0, but version 1 was invalidated at 5']
 * ```
 */
export function staleReads(writes: readonly WriteRecord[], reads: readonly ReadRecord[]): string[] {
  const byRow = new Map<number, WriteRecord[]>();
  for (const w of writes) byRow.set(w.row, [...(byRow.get(w.row) ?? []), w]);
  for (const list of byRow.values()) list.sort((a, b) => a.resolvedAt - b.resolvedAt);
  const stale: string[] = [];
  for (const r of reads) {
    if (r.version === undefined) continue;
    let floor: WriteRecord | undefined;
    for (const w of byRow.get(r.row) ?? []) {
      if (w.resolvedAt >= r.startedAt) break;
      if (floor === undefined || w.version > floor.version) floor = w;
    }
    if (floor !== undefined && r.version < floor.version)
      stale.push(
        `${r.op}(${r.row}) started at ${r.startedAt}${r.by ? ` in ${r.by}` : ''} returned version ${r.version}, ` +
          `but version ${floor.version} was invalidated at ${floor.resolvedAt}`,
      );
  }
  return stale;
}

/** How many reads had a floor (a write resolved before they started): a history without any checks nothing. */
export function checkedReads(writes: readonly WriteRecord[], reads: readonly ReadRecord[]): number {
  return reads.filter(
    (r) => r.version !== undefined && writes.some((w) => w.row === r.row && w.resolvedAt < r.startedAt),
  ).length;
}

/**
 * A small seeded PRNG (mulberry32), so a failing history can be replayed from its seed.
 *
 * @example
 * ```ts
 * const rnd = seededRandom(42);
 * rnd(); // 0 <= x < 1
 * ```
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
