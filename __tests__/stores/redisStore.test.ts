import { createClient } from 'redis';
import { redisStore } from '../../lib/stores/redisStore.js';
import type { RedisStore } from '../../lib/stores/redis/scriptedStore.js';
import type { WriteEntry } from '../../lib/stores/Store.js';
import { commandOf, monitorNode, type Monitor } from '../setup/monitor.js';
import { startRedisServer, type RedisServer } from '../setup/redisServers.js';
import { batchesDuring } from '../setup/socketWrites.js';
import { uniqueNamespace } from '../setup/testStores.js';
import { makeEntry } from '../../lib/testing/contractKit.js';

const entry = (tags: string[] = [], over: Partial<WriteEntry<string>> = {}) =>
  makeEntry(tags, { payload: JSON.stringify({ id: 1, title: 'post' }), ...over });

const hitOrThrow = async (store: RedisStore, ns: string, key: string) => {
  const r = await store.get(ns, key);
  if (!r.hit) throw new Error(`expected a hit on ${key}`);
  return r;
};
const missEpoch = async (store: RedisStore, ns: string, key: string): Promise<number> => {
  const r = await store.get(ns, key);
  if (r.hit) throw new Error(`expected a miss on ${key}`);
  return r.epoch;
};

let server: RedisServer;
let mon: Monitor;
let store: RedisStore;
let ns: string;

beforeAll(async () => {
  server = await startRedisServer();
  mon = await monitorNode(server.url);
});
afterAll(async () => {
  await mon?.stop();
  await server?.destroy();
});
beforeEach(() => {
  ns = uniqueNamespace('rs');
  store = redisStore({ url: server.url });
});
afterEach(() => store.close());

/** Commands our store sent for `ns` while running `fn` (MONITOR, Lua lines excluded). */
async function commandsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  await mon.sync();
  mon.reset();
  await fn();
  await mon.sync();
  return mon.sent(ns).map(commandOf);
}

describe('redisStore: commands per operation (MONITOR)', () => {
  it('a tagged hit (3 tags) is exactly one command: MGET when this store knows its tags', async () => {
    await store.set(ns, 'k', entry(['user:1', 'post:2', 'feed']));
    await store.get(ns, 'k'); // the connection is warm
    expect(await commandsDuring(() => hitOrThrow(store, ns, 'k'))).toEqual(['MGET']);
    await store.invalidate(ns, ['unrelated'], 'drop'); // the group epoch moved: markers are checked
    expect(await commandsDuring(() => hitOrThrow(store, ns, 'k'))).toEqual(['MGET']);
    await store.invalidate(ns, ['post:2'], 'drop');
    const dropped = await commandsDuring(() => missEpoch(store, ns, 'k'));
    expect(dropped).toEqual(['MGET']);
  });

  it('a tagged hit of an entry another store wrote is one EVALSHA, then one MGET', async () => {
    const other = redisStore({ url: server.url });
    await other.set(ns, 'k', entry(['user:1', 'post:2', 'feed']));
    await store.get(ns, 'warm');
    expect(await commandsDuring(() => hitOrThrow(store, ns, 'k'))).toEqual(['EVALSHA']);
    expect(await commandsDuring(() => hitOrThrow(store, ns, 'k'))).toEqual(['MGET']);
    await other.set(ns, 'k', entry(['user:2'])); // its tags changed, the group epoch did not
    expect(await commandsDuring(() => hitOrThrow(store, ns, 'k'))).toEqual(['MGET']);
    await other.invalidate(ns, ['user:2'], 'stale');
    const hit = await hitOrThrow(store, ns, 'k');
    expect([hit.state, hit.tags]).toEqual(['invalidated', ['user:2']]);
    await other.close();
  });

  it('the one case of two commands: tags changed elsewhere and the group epoch moved since', async () => {
    const other = redisStore({ url: server.url });
    await store.set(ns, 'k', entry(['a']));
    await store.invalidate(ns, ['x'], 'drop');
    await other.set(ns, 'k', entry(['b']));
    await other.invalidate(ns, ['y'], 'drop');
    expect(await commandsDuring(() => hitOrThrow(store, ns, 'k'))).toEqual(['MGET', 'EVALSHA']);
    expect(await commandsDuring(() => hitOrThrow(store, ns, 'k'))).toEqual(['MGET']);
    await other.close();
  });

  it('an untagged hit is one command', async () => {
    await store.set(ns, 'k', entry());
    await store.get(ns, 'k');
    expect(await commandsDuring(() => hitOrThrow(store, ns, 'k'))).toEqual(['MGET']);
    const fresh = redisStore({ url: server.url });
    await fresh.get(ns, 'warm');
    expect(await commandsDuring(() => hitOrThrow(fresh, ns, 'k'))).toEqual(['EVALSHA']);
    await fresh.close();
  });

  it('a miss plus a write is two commands', async () => {
    await store.get(ns, 'warm');
    const cmds = await commandsDuring(async () => {
      const epoch = await missEpoch(store, ns, 'k');
      expect(await store.set(ns, 'k', entry(['a', 'b', 'c']), epoch)).toBe(true);
    });
    expect(cmds).toEqual(['EVALSHA', 'EVALSHA']);
  });

  it('invalidating a tag carried by 5,000 entries costs as many commands as one carried by one', async () => {
    await Promise.all(
      Array.from({ length: 5000 }, (_, i) => store.set(ns, `k${i}`, entry(['popular', `own:${i}`]))),
    );
    await store.set(ns, 'lonely', entry(['rare']));
    await store.invalidate(ns, ['warm-up'], 'drop'); // the server has the script from now on
    const one = await commandsDuring(() => store.invalidate(ns, ['rare'], 'drop'));
    const many = await commandsDuring(() => store.invalidate(ns, ['popular'], 'drop'));
    expect(one).toEqual(['EVALSHA']);
    expect(many).toEqual(['EVALSHA']);
    const reads = await Promise.all(Array.from({ length: 5000 }, (_, i) => store.get(ns, `k${i}`)));
    expect(reads.filter((r) => r.hit)).toHaveLength(0);
  });

  it('with 8 groups an invalidation is 8 scripts in one pipelined write', async () => {
    const grouped = redisStore({ url: server.url }, { groups: 8 });
    await grouped.invalidate(ns, ['warm-up'], 'drop');
    let batches = new Map<number, number>();
    const cmds = await commandsDuring(async () => {
      batches = await batchesDuring(() => grouped.invalidate(ns, ['t'], 'drop'));
    });
    expect(cmds).toEqual(Array(8).fill('EVALSHA'));
    expect([...batches]).toEqual([[server.port, 1]]);
    await grouped.close();
  });
});

describe('redisStore: scripts', () => {
  it('reloads scripts after SCRIPT FLUSH (NOSCRIPT → EVAL)', async () => {
    const admin = createClient({ url: server.url });
    await admin.connect();
    await store.set(ns, 'k', entry(['t']));
    await admin.sendCommand(['SCRIPT', 'FLUSH']);
    expect((await store.get(ns, 'k')).hit).toBe(true);
    await admin.sendCommand(['SCRIPT', 'FLUSH']);
    const epoch = await missEpoch(store, ns, 'k2');
    await admin.sendCommand(['SCRIPT', 'FLUSH']);
    expect(await store.set(ns, 'k2', entry(['t']), epoch)).toBe(true);
    await admin.sendCommand(['SCRIPT', 'FLUSH']);
    await store.invalidate(ns, ['t'], 'drop');
    await admin.sendCommand(['SCRIPT', 'FLUSH']);
    await store.delete(ns, ['k2']);
    const lock = await store.lock!(ns, 'k', 5000);
    await admin.sendCommand(['SCRIPT', 'FLUSH']);
    await lock!.release();
    expect(await store.lock!(ns, 'k', 5000)).toBeDefined();
    expect((await store.get(ns, 'k')).hit).toBe(false);
    const fresh = redisStore({ url: server.url });
    await fresh.get(ns, 'warm');
    const cmds = await commandsDuring(async () => {
      await admin.sendCommand(['SCRIPT', 'FLUSH']);
      await fresh.get(ns, 'k');
      await fresh.get(ns, 'k');
    });
    expect(cmds).toEqual(['EVALSHA', 'EVAL', 'EVALSHA']);
    await fresh.close();
    await admin.close();
  });
});

describe('redisStore: races between stores on one server', () => {
  it('a miss, an invalidation by another store, then the write with the old epoch: refused', async () => {
    const other = redisStore({ url: server.url });
    const epoch = await missEpoch(store, ns, 'k');
    await other.invalidate(ns, ['user:1'], 'drop');
    expect(await store.set(ns, 'k', entry(['user:1']), epoch)).toBe(false);
    expect((await other.get(ns, 'k')).hit).toBe(false);
    await other.close();
  });

  it("an invalidation by one store is seen at once by the other's hits", async () => {
    const other = redisStore({ url: server.url });
    await store.set(ns, 'k', entry(['user:1']));
    expect((await other.get(ns, 'k')).hit).toBe(true);
    await store.invalidate(ns, ['user:1'], 'drop');
    expect((await other.get(ns, 'k')).hit).toBe(false);
    await other.close();
  });

  it('a delete by one store refuses the straddling write of the other', async () => {
    const other = redisStore({ url: server.url });
    const epoch = await missEpoch(other, ns, 'k');
    await store.delete(ns, ['k']);
    expect(await other.set(ns, 'k', entry(), epoch)).toBe(false);
    await other.close();
  });

  it('many concurrent straddling writes are all refused', async () => {
    const other = redisStore({ url: server.url });
    const epochs = await Promise.all(Array.from({ length: 200 }, (_, i) => missEpoch(store, ns, `k${i}`)));
    await other.invalidate(ns, ['shared'], 'stale');
    const written = await Promise.all(epochs.map((e, i) => store.set(ns, `k${i}`, entry(['shared']), e)));
    expect(written.filter(Boolean)).toHaveLength(0);
    await other.close();
  });
});
