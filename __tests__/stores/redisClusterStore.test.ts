import { createClient, createCluster } from 'redis';
import { createLayout } from '../../lib/stores/redis/layout.js';
import type { RedisStore } from '../../lib/stores/redis/scriptedStore.js';
import {
  DELETE_LUA,
  FENCE_LUA,
  GET_LUA,
  INVALIDATE_LUA,
  RELEASE_LUA,
  SET_LUA,
} from '../../lib/stores/redis/scripts.js';
import { keySlot } from '../../lib/stores/redis/slots.js';
import { DEFAULT_CLUSTER_GROUPS, redisClusterStore } from '../../lib/stores/redisClusterStore.js';
import type { WriteEntry } from '../../lib/stores/Store.js';
import { commandOf, monitorNode, type Monitor } from '../setup/monitor.js';
import { batchesDuring } from '../setup/socketWrites.js';
import { testClusterNodes, testClusterStore, uniqueNamespace } from '../setup/testStores.js';
import { makeEntry } from '../../lib/testing/contractKit.js';

const entry = (tags: string[] = [], over: Partial<WriteEntry<string>> = {}) =>
  makeEntry(tags, { payload: '"v"', ...over });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const newAdmin = (url: string) => createClient({ url });
type Admin = ReturnType<typeof newAdmin>;
let nodes: { host: string; port: number; admin: Admin; monitor: Monitor }[];
/** Port of the master serving each slot. */
const slotOwner = new Map<number, number>();
let store: RedisStore;
let ns: string;

beforeAll(async () => {
  nodes = await Promise.all(
    testClusterNodes().map(async (host) => {
      const admin = newAdmin(`redis://${host}`);
      await admin.connect();
      return { host, port: Number(host.split(':')[1]), admin, monitor: await monitorNode(`redis://${host}`) };
    }),
  );
  const slots = (await nodes[0]!.admin.sendCommand(['CLUSTER', 'SLOTS'])) as [
    number,
    number,
    [string, number],
  ][];
  for (const [from, to, [, port]] of slots) for (let s = from; s <= to; s++) slotOwner.set(s, port);
});
afterAll(async () => {
  for (const n of nodes ?? []) {
    await n.monitor.stop();
    await n.admin.close();
  }
});
beforeEach(() => {
  ns = uniqueNamespace('cl');
  store = testClusterStore();
});
afterEach(() => store.close());

/** Groups of `ns` per master port. */
function groupsPerNode(namespace: string, groups = DEFAULT_CLUSTER_GROUPS): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of createLayout('tc', groups).forNamespace(namespace).prefixes) {
    const port = slotOwner.get(keySlot(p + 'e'))!;
    counts.set(port, (counts.get(port) ?? 0) + 1);
  }
  return counts;
}

/** Commands for `ns` each node received from clients (not Lua) while `fn` ran. */
async function commandsPerNode(fn: () => Promise<unknown>): Promise<Map<number, string[]>> {
  await Promise.all(nodes.map((n) => n.monitor.sync()));
  nodes.forEach((n) => n.monitor.reset());
  await fn();
  await Promise.all(nodes.map((n) => n.monitor.sync()));
  return new Map(nodes.map((n) => [n.port, n.monitor.sent(ns).map(commandOf)]));
}
const total = (m: Map<number, string[]>) => [...m.values()].flat();

describe('redisClusterStore: groups and slots', () => {
  it('spreads the default 64 groups evenly: every master holds at least 16', () => {
    for (const namespace of ['app', 'app:v2', uniqueNamespace()]) {
      const counts = groupsPerNode(namespace);
      expect(counts.size).toBe(3);
      for (const c of counts.values()) expect(c).toBeGreaterThanOrEqual(16);
    }
  });

  it('never sends a cross-slot command: every operation on keys spread over all groups', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `key:${i}`);
    const tags = Array.from({ length: 40 }, (_, i) => `tag:${i}`);
    await Promise.all(keys.map((k, i) => store.set(ns, k, entry([tags[i % 40]!, tags[(i + 1) % 40]!]))));
    await store.invalidate(ns, tags.slice(0, 10), 'drop');
    await store.invalidate(ns, tags.slice(10, 20), 'stale');
    await store.delete(ns, keys.slice(0, 100));
    const reads = await Promise.all(keys.map((k) => store.get(ns, k)));
    expect(reads.filter((r) => r.hit && r.state === 'fresh').length).toBeGreaterThan(0);
    const lock = await store.lock(ns, 'key:1', 1000);
    await lock?.release();
    await store.clear(ns);
    expect((await Promise.all(keys.map((k) => store.get(ns, k)))).some((r) => r.hit)).toBe(false);
  });
});

describe('redisClusterStore: commands per operation (MONITOR on every master)', () => {
  // Other test files share the cluster; make sure every master has every script, so that no
  // NOSCRIPT → EVAL retry (after a SCRIPT FLUSH elsewhere) shows up in the counts.
  beforeEach(async () => {
    const all = [GET_LUA, SET_LUA, INVALIDATE_LUA, DELETE_LUA, FENCE_LUA, RELEASE_LUA];
    await Promise.all(nodes.flatMap((n) => all.map((src) => n.admin.scriptLoad(src))));
  });

  it('a tagged hit is one command (MGET or EVALSHA) on one node; a miss plus a write is two', async () => {
    await store.set(ns, 'k', entry(['a', 'b', 'c']));
    await store.get(ns, 'k');
    const hit = await commandsPerNode(() => store.get(ns, 'k'));
    expect(total(hit)).toEqual(['MGET']);
    const other = testClusterStore();
    await other.get(ns, 'warm');
    expect(total(await commandsPerNode(() => other.get(ns, 'k')))).toEqual(['EVALSHA']);
    await other.close();
    const missWrite = await commandsPerNode(async () => {
      const r = await store.get(ns, 'k2');
      if (r.hit) throw new Error('expected a miss');
      expect(await store.set(ns, 'k2', entry(['a']), r.epoch)).toBe(true);
    });
    expect(total(missWrite)).toEqual(['EVALSHA', 'EVALSHA']);
  });

  it('an invalidation sends each master one pipelined batch with one script per group it holds', async () => {
    await Promise.all(Array.from({ length: 2000 }, (_, i) => store.set(ns, `k${i}`, entry(['popular']))));
    await store.invalidate(ns, ['warm-up'], 'drop');
    let batches = new Map<number, number>();
    const sent = await commandsPerNode(async () => {
      batches = await batchesDuring(() => store.invalidate(ns, ['popular'], 'drop'));
    });
    const expected = groupsPerNode(ns);
    for (const n of nodes) {
      expect([n.port, sent.get(n.port)!.length]).toEqual([n.port, expected.get(n.port)]);
      expect(new Set(sent.get(n.port))).toEqual(new Set(['EVALSHA']));
      expect([n.port, batches.get(n.port)]).toEqual([n.port, 1]);
    }
    const reads = await Promise.all(Array.from({ length: 2000 }, (_, i) => store.get(ns, `k${i}`)));
    expect(reads.some((r) => r.hit)).toBe(false);
  });
});

describe('redisClusterStore: scripts, races, bookkeeping', () => {
  it('reloads scripts after SCRIPT FLUSH on every master', async () => {
    await store.set(ns, 'k', entry(['t']));
    await Promise.all(nodes.map((n) => n.admin.sendCommand(['SCRIPT', 'FLUSH'])));
    expect((await store.get(ns, 'k')).hit).toBe(true);
    await Promise.all(nodes.map((n) => n.admin.sendCommand(['SCRIPT', 'FLUSH'])));
    await store.invalidate(ns, ['t'], 'drop');
    expect((await store.get(ns, 'k')).hit).toBe(false);
  });

  it('two cluster stores (separate clients): a straddling write is refused, invalidations are seen', async () => {
    const other = testClusterStore();
    const miss = await store.get(ns, 'k');
    if (miss.hit) throw new Error('expected a miss');
    await other.invalidate(ns, ['user:1'], 'drop');
    expect(await store.set(ns, 'k', entry(['user:1']), miss.epoch)).toBe(false);
    await store.set(ns, 'k', entry(['user:1']));
    expect((await other.get(ns, 'k')).hit).toBe(true);
    await store.invalidate(ns, ['user:1'], 'stale');
    expect(await other.get(ns, 'k')).toMatchObject({ hit: true, state: 'invalidated' });
    await other.close();
  });

  it('after churn only the epoch counters and control hashes of the groups remain', async () => {
    const groups = 16;
    const churny = testClusterStore({ groups, markerMargin: 200 });
    for (let i = 0; i < 300; i++) {
      const r = await churny.get(ns, `k${i}`);
      if (!r.hit) await churny.set(ns, `k${i}`, entry([`t${i % 50}`, `u${i}`], { ttl: 100 }), r.epoch);
      if (i % 10 === 0) await churny.invalidate(ns, [`t${i % 50}`], 'drop');
      if (i % 25 === 0) await churny.delete(ns, [`k${i}`]);
    }
    await sleep(100 + 200 + 400);
    const left: string[] = [];
    for (const n of nodes) {
      for await (const batch of n.admin.scanIterator({ MATCH: `tc:{${ns}|*`, COUNT: 1000 }))
        left.push(...batch);
    }
    expect(left).toHaveLength(2 * groups);
    expect(left.every((k) => /\}:[ec]$/.test(k))).toBe(true);
    await churny.close();
  });

  it('an injected cluster client is connected on first use and not closed by the store', async () => {
    const cluster = createCluster({ rootNodes: [{ url: `redis://${testClusterNodes()[0]}` }] });
    const injected = redisClusterStore({ client: cluster });
    await injected.set(ns, 'k', entry());
    expect((await injected.get(ns, 'k')).hit).toBe(true);
    await injected.close();
    expect(cluster.isOpen).toBe(true);
    await cluster.close();
  });
});
