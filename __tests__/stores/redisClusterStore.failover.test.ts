/**
 * Failover: a master of a 3-master cluster (1 replica each) dies with SIGKILL, its replica is
 * promoted, and the store caches and invalidates again for keys in every slot range.
 */
import { redisClusterStore } from '../../lib/stores/redisClusterStore.js';
import type { RedisStore } from '../../lib/stores/redis/scriptedStore.js';
import type { WriteEntry } from '../../lib/stores/Store.js';
import { cli, startRedisCluster, type RedisCluster } from '../setup/redisServers.js';
import { StoreError } from '../../lib/errors.js';
import { uniqueNamespace } from '../setup/testStores.js';
import { within } from '../setup/within.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const entry = (tags: string[]): WriteEntry<string> => ({
  payload: '"v"',
  tags,
  createdAt: Date.now(),
  ttl: 60_000,
  grace: 0,
  error: false,
});
/** Keys of one phase of the test (each phase writes its own entries). */
const keys = (phase: string): string[] => Array.from({ length: 120 }, (_, i) => `${phase}:${i}`);

interface Node {
  readonly id: string;
  readonly port: number;
  readonly master: boolean;
  readonly failed: boolean;
  readonly masterId: string;
}

/** The cluster as node `port` sees it (`CLUSTER NODES`). */
function nodesSeenBy(port: number): Node[] {
  return cli(port, 'CLUSTER', 'NODES')
    .trim()
    .split('\n')
    .map((line) => {
      const [id = '', addr = '', flags = '', masterId = ''] = line.split(' ');
      return {
        id,
        port: Number(/:(\d+)@/.exec(addr)?.[1]),
        master: flags.includes('master'),
        failed: /(^|,)fail(,|$)/.test(flags),
        masterId,
      };
    });
}

/** Keys of namespace `ns` held by the server on `port`. */
const keysOn = (port: number, ns: string): number =>
  cli(port, '--scan', '--pattern', `*${ns.split(':')[1]}*`)
    .split('\n')
    .filter((l) => l.length > 0).length;

/** Caches every key through the miss-epoch-write path; true when each is a hit afterwards. */
async function cacheAll(store: RedisStore, ns: string, tag: string): Promise<boolean> {
  const KEYS = keys(tag);
  for (const key of KEYS) {
    const miss = await store.get(ns, key);
    if (!miss.hit) await store.set(ns, key, entry([tag]), miss.epoch);
  }
  const reads = await Promise.all(KEYS.map((k) => store.get(ns, k)));
  return reads.every((r) => r.hit);
}

/** Invalidates `tag`; true when it resolved and every key misses afterwards. */
async function invalidateAll(store: RedisStore, ns: string, tag: string): Promise<boolean> {
  await store.invalidate(ns, [tag], 'drop');
  const KEYS = keys(tag);
  const reads = await Promise.all(KEYS.map((k) => store.get(ns, k)));
  return reads.every((r) => !r.hit);
}

/** Polls `check` (errors count as "not yet") until it holds or `ms` passed. */
async function eventually(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster(3, { replicas: 1, nodeTimeout: 1000 });
}, 60_000);
afterAll(() => cluster?.destroy());

describe('redisClusterStore: failover', () => {
  it('after a master is killed and its replica promoted, every slot range caches and invalidates again', async () => {
    const store = redisClusterStore({ rootNodes: cluster.hosts });
    const ns = uniqueNamespace('failover');
    try {
      expect(await cacheAll(store, ns, 'before')).toBe(true);
      const first = cluster.nodes[0]!.port;
      const masters = nodesSeenBy(first).filter((n) => n.master && !n.failed);
      expect(masters).toHaveLength(3);
      // The keys span every master's slot range.
      for (const m of masters) expect(keysOn(m.port, ns)).toBeGreaterThan(0);

      const victim = masters[0]!;
      const replica = nodesSeenBy(first).find((n) => n.masterId === victim.id)!;
      cluster.nodes.find((n) => n.port === victim.port)!.kill('SIGKILL');
      const witness = masters[1]!.port;
      const promoted = await eventually(() => {
        const seen = nodesSeenBy(witness);
        const info = cli(witness, 'CLUSTER', 'INFO');
        return /cluster_state:ok/.test(info) && seen.some((n) => n.id === replica.id && n.master);
      }, 20_000);
      expect(promoted).toBe(true);

      // The client follows the new topology (bounded wait), then everything works again.
      expect(await eventually(() => cacheAll(store, ns, 'after'), 20_000)).toBe(true);
      expect(await invalidateAll(store, ns, 'after')).toBe(true);
      expect(await cacheAll(store, ns, 'again')).toBe(true);
      expect(keysOn(replica.port, ns)).toBeGreaterThan(0);
      for (const m of masters.slice(1)) expect(keysOn(m.port, ns)).toBeGreaterThan(0);
      expect(await invalidateAll(store, ns, 'again')).toBe(true);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('close() resolves within closeTimeout while a master is stopped (SIGSTOP) with commands pending', async () => {
    const store = redisClusterStore({ rootNodes: cluster.hosts }, { closeTimeout: 200 });
    const ns = uniqueNamespace('close');
    const live = nodesSeenBy(cluster.nodes.find((n) => n.running())!.port).filter(
      (n) => n.master && !n.failed,
    );
    const stopped = cluster.nodes.find((n) => n.port === live[0]!.port)!;
    try {
      expect(await cacheAll(store, ns, 'close')).toBe(true); // connects every master, loads the scripts
      stopped.kill('SIGSTOP');
      const reads = keys('close').map((k) =>
        store.get(ns, k).then(
          () => 'answered',
          (e: unknown) => e,
        ),
      );
      expect(await within(Promise.all(reads), 300)).toBe('pending');
      expect(await within(store.close(), 10_000)).toBe('settled');
      const outcomes = await Promise.all(reads);
      expect(outcomes.some((o) => o instanceof StoreError)).toBe(true);
      expect(outcomes.every((o) => o === 'answered' || o instanceof StoreError)).toBe(true);
    } finally {
      stopped.kill('SIGCONT');
    }
  }, 30_000);
});
