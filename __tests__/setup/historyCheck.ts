/**
 * The randomized history check (issue 10, "Also required"): readers of every kind (tags,
 * entities, `addTags`, `resultTags`, nested calls, stale serving, `peek`, `refresh`, `lock`) and
 * writers that bump a row and then await its invalidation run in an order fast-check's scheduler
 * picks. The check: a read that started after an invalidation resolved never returns an older
 * version. `disrupt` ops (filling memory, FLUSHALL, a restart) run mid-history when given.
 */
import fc from 'fast-check';
import {
  addTags,
  createCache,
  entity,
  entityTag,
  withCache,
  withInvalidation,
  type Store,
} from '../../lib/index.js';

type Row = { readonly id: number; readonly v: number };
export type Disruption = () => Promise<void>;

const READS = [
  'read',
  'entity',
  'addTags',
  'resultTags',
  'nested',
  'swr',
  'peek',
  'refresh',
  'lock',
] as const;

/** The operations of one history. */
export const historyOps = (disruptions: readonly string[] = []) =>
  fc
    .array(
      fc.record({
        op: fc.constantFrom(...READS, 'write', 'write', ...disruptions),
        id: fc.integer({ min: 0, max: 2 }),
      }),
      { minLength: 1, maxLength: 24 },
    )
    .map((ops) => {
      // Every history meets each disruption at least once, mid-history (random ones come on top).
      if (disruptions.length === 0) return ops;
      const mid = Math.floor(ops.length / 2);
      return [...ops.slice(0, mid), ...disruptions.map((op) => ({ op, id: 0 })), ...ops.slice(mid)];
    });

type Sched = fc.Scheduler;

function readers(s: Sched, cache: ReturnType<typeof createCache>, db: Map<number, number>) {
  const pause = (label: string) => s.schedule(Promise.resolve(), label);
  const row = async (id: number): Promise<Row> => {
    await pause('db read');
    const v = db.get(id) ?? 0;
    await pause('after db read');
    return { id, v };
  };
  const tag = (id: number) => [entityTag('item', id)];
  const read = withCache(row, { cache, name: 'read', tags: tag });
  const base = { cache, ttl: '1m' } as const;
  return {
    read,
    entity: withCache(row, { ...base, name: 'entity', entities: entity('item') }),
    addTags: withCache(async (id: number) => (addTags(...tag(id)), row(id)), { ...base, name: 'addTags' }),
    resultTags: withCache(row, { ...base, name: 'resultTags', resultTags: (r) => tag(r.id) }),
    nested: withCache(
      async (id: number) => {
        const r = await read(id);
        await pause('outer work');
        return r;
      },
      { ...base, name: 'nested' },
    ),
    swr: withCache(row, { ...base, name: 'swr', tags: tag, staleWhileRevalidate: '1m' }),
    lock: withCache(row, { ...base, name: 'lock', tags: tag, lock: { ttl: 2000, wait: 2000 } }),
  };
}

/**
 * Runs `runs` random histories on caches over `store` (a fresh namespace each) and throws on the
 * first stale read.
 *
 * @example
 * ```ts
 * await checkHistories(memoryStore(), 100);
 * ```
 */
export async function checkHistories(
  store: Store,
  runs: number,
  disruptions: Readonly<Record<string, Disruption>> = {},
): Promise<void> {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), historyOps(Object.keys(disruptions)), async (s, ops) => {
      const cache = createCache({
        store,
        namespace: `h${(n += 1)}:${Math.random().toString(36).slice(2)}`,
        logger: false,
        timeout: '10s', // a loaded 2-core machine: the check is about staleness, not latency
        ...(process.env['HISTORY_DEBUG']
          ? { onEvent: (e: { type: string }) => e.type === 'store-error' && console.log(e) }
          : {}),
      });
      const db = new Map<number, number>();
      const committed = new Map<number, number>();
      const r = readers(s, cache, db);
      const write = withInvalidation(
        async (id: number) => {
          await s.schedule(Promise.resolve(), 'db write');
          db.set(id, (db.get(id) ?? 0) + 1);
          return db.get(id) ?? 0;
        },
        { cache, tags: (id) => [entityTag('item', id)] },
      );
      const start = async (op: string, id: number): Promise<void> => {
        const disrupt = disruptions[op];
        if (disrupt) return disrupt();
        if (op === 'write') {
          // An invalidation that rejects (the store was down) promised nothing: not committed.
          const v = await write(id).catch(() => undefined);
          if (v !== undefined) committed.set(id, Math.max(committed.get(id) ?? 0, v));
          return;
        }
        const floor = committed.get(id) ?? 0;
        const got =
          op === 'peek'
            ? await r.read.peek(id)
            : op === 'refresh'
              ? await r.read.refresh(id)
              : await r[op as 'read'](id);
        if (got !== undefined && got.v < floor)
          throw new Error(
            `${op}(${id}) returned version ${got.v} after version ${floor} was committed and invalidated`,
          );
      };
      const checks = ops.map(({ op, id }) =>
        s.schedule(Promise.resolve(), `start ${op}(${id})`).then(() => start(op, id)),
      );
      await s.waitFor(Promise.all(checks));
    }),
    { numRuns: runs },
  );
}
