/**
 * A second Node process holding its own store, driven over stdin/stdout (serveLines.ts: one JSON
 * request per line, one JSON reply per line). Run with `node --import tsx __tests__/setup/storeChild.ts URL`
 * (a `redis-cluster://…` URL gives a cluster store).
 */
import { redisClusterStore } from '../../lib/stores/redisClusterStore.js';
import { redisStore } from '../../lib/stores/redisStore.js';
import type { Epoch, InvalidationMode, WriteEntry } from '../../lib/stores/Store.js';
import { serveLines } from './serveLines.js';

type Request =
  | { op: 'get'; ns: string; key: string }
  | { op: 'set'; ns: string; key: string; entry: WriteEntry<string>; epoch?: Epoch }
  | { op: 'invalidate'; ns: string; tags: string[]; mode: InvalidationMode }
  | { op: 'close' };

const url = process.argv[2];
if (!url) throw new Error('usage: storeChild.ts URL');
const CLUSTER = 'redis-cluster://';
const store = url.startsWith(CLUSTER)
  ? redisClusterStore({ rootNodes: url.slice(CLUSTER.length).split(',') })
  : redisStore({ url });

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'get':
      return store.get(req.ns, req.key);
    case 'set':
      return store.set(req.ns, req.key, req.entry, req.epoch);
    case 'invalidate':
      await store.invalidate(req.ns, req.tags, req.mode);
      return { ok: true, pid: process.pid };
    case 'close':
      await store.close();
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
}

serveLines<Request>(handle, { sequential: true });
