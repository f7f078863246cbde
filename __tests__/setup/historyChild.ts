/**
 * A separate Node process for the randomized history check on the tiered store: cached functions
 * over a tiered store that read a row's version from a source of truth (a Redis key outside
 * tagcache's keys), and writers that bump a row's version and then await its invalidation.
 * Requests are handled concurrently (serveLines.ts): one JSON line `{ id, ... }` in, one
 * `{ id, result | error }` out.
 */
import { createClient } from 'redis';
import {
  addTags,
  createCache,
  entity,
  entityTag,
  invalidateEntity,
  invalidateTag,
  invalidateTags,
  withCache,
} from '../../lib/index.js';
import { redisClusterStore } from '../../lib/stores/redisClusterStore.js';
import { redisStore } from '../../lib/stores/redisStore.js';
import type { Epoch, WriteEntry } from '../../lib/stores/Store.js';
import { tieredStore } from '../../lib/stores/tiered/tieredStore.js';
import { serveLines } from './serveLines.js';

export interface HistoryChildConfig {
  readonly url?: string;
  readonly nodes?: string[];
  readonly prefix: string;
  readonly lease: number;
  readonly namespace: string;
  /** The source of truth: `${dbKey}:${row}` holds the row's version on `dbUrl`. */
  readonly dbUrl: string;
  readonly dbKey: string;
}

/** The reads a request may ask for. */
export type HistoryRead = 'tag' | 'entity' | 'added' | 'nested' | 'peek' | 'refresh';

type Request =
  | { op: 'read'; kind: HistoryRead; row: number }
  | { op: 'write'; row: number; style: 'tags' | 'each' }
  | { op: 'serving' }
  | { op: 'stats' }
  | { op: 'log' }
  | { op: 'close' };

const config = JSON.parse(process.argv[2] ?? '{}') as HistoryChildConfig;
const l2 = config.nodes
  ? redisClusterStore({ rootNodes: config.nodes })
  : redisStore({ url: config.url as string });
const store = tieredStore({
  l2,
  bus: config.nodes ? { rootNodes: config.nodes } : { url: config.url as string },
  lease: config.lease,
  prefix: config.prefix,
});
/** Reads the memory tier answered (synchronous hits), to show the history exercised it. */
let l1Hits = 0;
/** What happened here, on the machine's clock, for the report of a failed check. */
const log: string[] = [];
const at = (): string => (performance.timeOrigin + performance.now()).toFixed(3);
const note = (line: string): void => void (log.length < 50_000 && log.push(`${at()} ${line}`));
const counted = Object.freeze({
  ...store,
  get: (ns: string, key: string) => {
    const r = store.get(ns, key);
    if (!(r instanceof Promise)) {
      if (r.hit) l1Hits += 1;
      note(`get ${key} L1 ${r.hit ? `hit ${r.payload} epoch ${r.epoch}` : 'miss'}`);
      return r;
    }
    const t = at();
    return r.then((x) => {
      note(`get ${key} (sent ${t}) L2 ${x.hit ? `hit ${x.payload} ${x.state}` : 'miss'} epoch ${x.epoch}`);
      return x;
    });
  },
  set: async (ns: string, key: string, e: WriteEntry<string>, epoch?: Epoch) => {
    const t = at();
    const ok = await store.set(ns, key, e, epoch);
    note(`set ${key} (sent ${t}) ${e.payload} tags ${e.tags.join(',')} epoch ${epoch} -> ${ok}`);
    return ok;
  },
});
const cache = createCache({
  store: counted,
  namespace: config.namespace,
  logger: false,
  breaker: false,
  timeout: '10s',
});
const db = createClient({ url: config.dbUrl });
const dbReady = db.connect();
const pause = (): Promise<void> => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 4)));

/** Reads the version, then takes a little while (so computations straddle invalidations). */
async function version(row: number): Promise<number> {
  const v = Number((await db.get(`${config.dbKey}:${row}`)) ?? '0');
  await pause();
  return v;
}

const byTag = withCache(async (row: number) => version(row), {
  cache,
  name: 'byTag',
  tags: (row) => [`row:${row}`],
});
const byEntity = withCache(async (row: number) => ({ id: row, v: await version(row) }), {
  cache,
  name: 'byEntity',
  entities: entity('item'),
});
const byAddedTags = withCache(
  async (row: number) => {
    addTags(`row:${row}`);
    return version(row);
  },
  { cache, name: 'byAddedTags' },
);
/** No tags of its own: everything comes from the inner cached calls. */
const nested = withCache(
  async (row: number) => {
    const [a, b] = await Promise.all([byTag(row), byEntity(row)]);
    await pause();
    return Math.min(a, b.v);
  },
  { cache, name: 'nested' },
);

async function read(kind: HistoryRead, row: number): Promise<number | null> {
  switch (kind) {
    case 'tag':
      return byTag(row);
    case 'entity':
      return (await byEntity(row)).v;
    case 'added':
      return byAddedTags(row);
    case 'nested':
      return nested(row);
    case 'peek':
      return (await byTag.peek(row)) ?? null;
    case 'refresh':
      return (await byEntity.refresh(row)).v;
  }
}

/** Bumps the row's version, then awaits the invalidation of everything that read it. */
async function write(row: number, style: 'tags' | 'each'): Promise<number> {
  const v = await db.incr(`${config.dbKey}:${row}`);
  note(`incr ${row} -> ${v}`);
  if (style === 'tags') await invalidateTags([`row:${row}`, entityTag('item', row)], { cache });
  else {
    await invalidateTag(`row:${row}`, { cache });
    await invalidateEntity('item', row, { cache });
  }
  return v;
}

async function serving(): Promise<boolean> {
  await dbReady;
  await store.ready();
  const deadline = Date.now() + 10_000;
  while (!store.inspect().serving) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'read': {
      const t = at();
      const v = await read(req.kind, req.row);
      note(`read ${req.kind}(${req.row}) (started ${t}) -> ${v}`);
      return v;
    }
    case 'write': {
      const t = at();
      const v = await write(req.row, req.style);
      note(`write ${req.row} ${req.style} (started ${t}) -> version ${v} invalidated`);
      return v;
    }
    case 'serving':
      return serving();
    case 'log':
      return log;
    case 'stats':
      return { l1Hits, fns: [byTag, byEntity, byAddedTags, nested].map((f) => f.stats()) };
    case 'close':
      await store.close();
      await db.close();
      setImmediate(() => process.exit(0));
      return true;
  }
}

serveLines<Request>(handle, { sequential: false });
