/**
 * A separate Node process holding a tiered store (memory in front of Redis or Cluster), driven
 * over stdin/stdout: one JSON request per line, one JSON reply per line. Started by
 * `tieredChildren.ts` with a JSON config as its argument.
 */
import { createCache, type Cache } from '../../lib/index.js';
import { redisClusterStore } from '../../lib/stores/redisClusterStore.js';
import { redisStore } from '../../lib/stores/redisStore.js';
import type { ReadResult, WriteEntry } from '../../lib/stores/Store.js';
import { tieredStore } from '../../lib/stores/tiered/tieredStore.js';
import { serveLines } from './serveLines.js';

export interface TieredChildConfig {
  readonly url?: string;
  readonly nodes?: string[];
  readonly prefix: string;
  readonly lease: number;
  readonly coherence: 'strict' | 'eventual';
}

export interface ReadReply {
  /** `l1`: answered synchronously by the memory tier; `l2`: a hit of L2; `miss`. */
  readonly source: 'l1' | 'l2' | 'miss';
  readonly payload?: string;
  readonly state?: string;
  /** Ms of freshness left (hits). */
  readonly ttl?: number;
}

type Request =
  | { op: 'read'; ns: string; key: string }
  | { op: 'fill'; ns: string; key: string; tags: string[]; payload: string; ttl?: number }
  | { op: 'invalidate'; ns: string; tags: string[] }
  | { op: 'delete'; ns: string; keys: string[] }
  | { op: 'set'; ns: string; key: string; tags: string[]; payload: string }
  | {
      op: 'cache';
      ns: string;
      method: 'get' | 'set' | 'delete' | 'expire' | 'setMany' | 'ttl';
      args: unknown[];
    }
  | { op: 'block'; ms: number }
  | { op: 'serving'; timeout?: number }
  | { op: 'inspect' }
  | { op: 'close' };

const config = JSON.parse(process.argv[2] ?? '{}') as TieredChildConfig;
const l2 = config.nodes
  ? redisClusterStore({ rootNodes: config.nodes })
  : redisStore({ url: config.url as string });
const store = tieredStore({
  l2,
  bus: config.nodes ? { rootNodes: config.nodes } : { url: config.url as string },
  lease: config.lease,
  coherence: config.coherence,
  prefix: config.prefix,
});

const entry = (tags: string[], payload: string, ttl = 60_000): WriteEntry<string> => ({
  payload,
  tags,
  createdAt: Date.now(),
  ttl,
  grace: 0,
  error: false,
});

async function read(ns: string, key: string): Promise<ReadReply & { epoch: number }> {
  const r = store.get(ns, key);
  const sync = !(r instanceof Promise);
  const res: ReadResult<string> = await r;
  if (!res.hit) return { source: 'miss', epoch: res.epoch as number };
  return {
    source: sync ? 'l1' : 'l2',
    payload: res.payload,
    state: res.state,
    ttl: res.ttl,
    epoch: res.epoch as number,
  };
}

/** One cache handle per namespace over the store (its keys are `1:<key>` in the store). */
const caches = new Map<string, Cache>();
function cacheOf(ns: string): Cache {
  let c = caches.get(ns);
  if (c === undefined) {
    c = createCache({ store, namespace: ns, logger: false, breaker: false, timeout: '5s' });
    caches.set(ns, c);
  }
  return c;
}

/** Calls a key-value method of the namespace's cache handle (`undefined` results become `null`). */
async function cacheCall(ns: string, method: string, args: unknown[]): Promise<unknown> {
  const c = cacheOf(ns) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const fn = c[method];
  if (fn === undefined) throw new Error(`no cache method ${method}`);
  return (await fn.apply(c, args)) ?? null;
}

async function waitServing(timeout: number): Promise<boolean> {
  const deadline = Date.now() + timeout;
  await store.get('probe', 'probe');
  while (!store.inspect().serving) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'read':
      return read(req.ns, req.key);
    case 'fill': {
      const first = await read(req.ns, req.key);
      if (first.source === 'miss')
        await store.set(req.ns, req.key, entry(req.tags, req.payload, req.ttl), first.epoch);
      if (first.source !== 'l1') await read(req.ns, req.key);
      return read(req.ns, req.key);
    }
    case 'invalidate': {
      const t = performance.now();
      await store.invalidate(req.ns, req.tags, 'drop');
      return { ms: performance.now() - t };
    }
    case 'delete':
      await store.delete(req.ns, req.keys);
      return { ok: true };
    case 'set':
      return store.set(req.ns, req.key, entry(req.tags, req.payload));
    case 'cache':
      return cacheCall(req.ns, req.method, req.args);
    case 'block':
      setTimeout(() => {
        const until = Date.now() + req.ms;
        while (Date.now() < until) {
          // the event loop is blocked: no bus message is handled meanwhile
        }
      }, 1);
      return { ok: true };
    case 'serving':
      return waitServing(req.timeout ?? 10_000);
    case 'inspect':
      return store.inspect();
    case 'close':
      await store.close();
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
}

serveLines<Request>(handle, { sequential: true });
