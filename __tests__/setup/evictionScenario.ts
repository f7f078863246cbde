/**
 * The eviction scenario of issue 10, shared by `__tests__/stores/redisEviction.test.ts` (scaled
 * down) and `bench/repro/eviction.ts` (the scale): a cache on a Redis limited by
 * `maxmemory`, `entries` tagged entries read, each one's row bumped and its tag invalidated
 * (awaited), then memory filled past the limit with other keys, then every entry read again. A
 * re-read that returns a version older than the one whose invalidation resolved is stale.
 *
 * The library is injected so that the same scenario runs against another checkout's code.
 */
import { createClient } from 'redis';

/** The part of tagcache the scenario uses. */
export interface ScenarioLib {
  createCache(config: {
    store: unknown;
    namespace: string;
    logger: false;
    onEvent?: (e: { type: string }) => void;
  }): unknown;
  withCache<A extends unknown[], R>(
    fn: (...args: A) => Promise<R>,
    options: Record<string, unknown>,
  ): (...args: A) => Promise<R>;
  invalidateTag(tag: string, opts: { cache: never }): Promise<void>;
  redisStore(options: { url: string }): { close(): Promise<void> };
}

export interface EvictionSetup {
  readonly policy: string;
  readonly maxmemoryBytes: number;
  readonly entries: number;
  readonly rounds: number;
  /** Bytes of other keys written per round, as a multiple of `maxmemoryBytes`. */
  readonly fillFactor: number;
  /** Size of each cached value's padding. */
  readonly padBytes: number;
}

export interface EvictionResult {
  readonly policy: string;
  readonly reads: number;
  readonly stale: number;
  /** Re-reads that ran the function (a miss, or a store error failing open). */
  readonly recomputed: number;
  readonly storeErrors: number;
  readonly failedInvalidations: number;
  readonly evictedKeys: number;
}

const FILL_VALUE_BYTES = 1024;

type Admin = { set(k: string, v: string, o: { PX: number }): Promise<unknown> };

async function fill(admin: Admin, round: number, bytes: number): Promise<void> {
  const value = 'x'.repeat(FILL_VALUE_BYTES);
  const count = Math.ceil(bytes / FILL_VALUE_BYTES);
  for (let i = 0; i < count; i += 500) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(count, i + 500); j++)
      batch.push(admin.set(`fill:${round}:${j}`, value, { PX: 3_600_000 }).catch(() => undefined));
    await Promise.all(batch);
  }
}

/**
 * Runs the scenario against the Redis at `url` (configured with `setup.policy` and
 * `setup.maxmemoryBytes` by the caller) and counts stale re-reads.
 *
 * @example
 * ```ts
 * const r = await runEvictionScenario(url, { policy: 'allkeys-lru', maxmemoryBytes: 4 << 20, entries: 300, rounds: 8, fillFactor: 1.25, padBytes: 200 }, lib);
 * ```
 */
export async function runEvictionScenario(
  url: string,
  setup: EvictionSetup,
  lib: ScenarioLib,
): Promise<EvictionResult> {
  const admin = createClient({ url });
  admin.on('error', () => undefined);
  await admin.connect();
  await admin.configSet({ maxmemory: String(setup.maxmemoryBytes), 'maxmemory-policy': setup.policy });
  const store = lib.redisStore({ url });
  let storeErrors = 0;
  const cache = lib.createCache({
    store,
    namespace: 'ev',
    logger: false,
    onEvent: (e) => void (e.type === 'store-error' && (storeErrors += 1)),
  });
  const db = new Map<number, number>();
  const committed = new Map<number, number>();
  const pad = 'p'.repeat(setup.padBytes);
  let runs = 0;
  const item = lib.withCache(
    async (id: number) => {
      runs += 1;
      return { id, v: db.get(id) ?? 0, pad };
    },
    { cache, name: 'item', ttl: '1h', tags: (id: number) => [`item:${id}`] },
  );
  let reads = 0;
  let stale = 0;
  let recomputed = 0;
  let failedInvalidations = 0;
  const ids = Array.from({ length: setup.entries }, (_, i) => i);
  for (let round = 0; round < setup.rounds; round++) {
    for (const id of ids) await item(id);
    for (const id of ids) {
      db.set(id, (db.get(id) ?? 0) + 1);
      try {
        await lib.invalidateTag(`item:${id}`, { cache: cache as never });
        committed.set(id, db.get(id) ?? 0);
      } catch {
        failedInvalidations += 1;
      }
    }
    await fill(admin, round, setup.fillFactor * setup.maxmemoryBytes);
    for (const id of ids) {
      const before = runs;
      const { v } = await item(id);
      reads += 1;
      if (runs > before) recomputed += 1;
      if (v < (committed.get(id) ?? 0)) stale += 1;
    }
  }
  const info = await admin.info('stats');
  const evictedKeys = Number(/evicted_keys:(\d+)/.exec(info)?.[1] ?? 0);
  await store.close();
  await admin.close();
  return { policy: setup.policy, reads, stale, recomputed, storeErrors, failedInvalidations, evictedKeys };
}

/** Every `maxmemory-policy` of Redis 7. */
export const EVICTION_POLICIES = [
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'noeviction',
] as const;
