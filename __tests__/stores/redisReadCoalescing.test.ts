/**
 * Read coalescing on Redis (lib/stores/redis/reader.ts), through the public entry: concurrent
 * calls of a key made before its read is handed to the client share that read; a call after it
 * was handed over, or after a local change was issued, reads again; and a call that starts after
 * another process's invalidation resolved never takes the answer of a read sent before it.
 */
import { addTags, createCache, withCache, type Cache } from '../../lib/index.js';
import { redisStore, type RedisStore } from '../../lib/redis.js';
import { makeEntry } from '../../lib/testing/index.js';
import { luaScript } from '../../lib/stores/redis/scriptRunner.js';
import { GET_LUA } from '../../lib/stores/redis/scripts.js';
import { startChildStore, type ChildStore } from '../setup/childProcessStore.js';
import { commandOf, monitorNode, type Monitor } from '../setup/monitor.js';
import { replyGate, type ReplyGate } from '../setup/replyGate.js';
import { testRedisUrl, uniqueNamespace } from '../setup/testStores.js';

const GET_SHA = luaScript('get', GET_LUA).sha;
/** A MONITOR line that reads an entry: the MGET of a known key or the GET script. */
const isRead = (line: string): boolean => commandOf(line) === 'MGET' || line.includes(GET_SHA);

let mon: Monitor;
beforeAll(async () => {
  mon = await monitorNode(testRedisUrl());
});
afterAll(() => mon.stop());

/** The commands of namespace `ns` sent while `run` runs. */
async function commandsDuring(ns: string, run: () => Promise<unknown>): Promise<string[]> {
  await mon.sync();
  mon.reset();
  await run();
  await mon.sync();
  return mon.sent(ns);
}

describe('one process', () => {
  let cache: Cache;
  let ns: string;
  beforeEach(() => {
    ns = uniqueNamespace('coalesce');
    const store = redisStore({ url: testRedisUrl() });
    cache = createCache({ store, namespace: ns, logger: false, timeout: '10s' });
  });
  afterEach(() => cache.close());

  it('1,000 concurrent callers of a cold key: the function runs once, 2 commands (1 read, 1 write)', async () => {
    const runs = new Map<number, number>();
    const f = withCache(
      async (id: number) => {
        addTags(`user:${id}`, 'users');
        runs.set(id, (runs.get(id) ?? 0) + 1);
        return { id };
      },
      { name: 'stampede', cache },
    );
    await f(0); // connected, scripts loaded
    const cold = await commandsDuring(ns, async () => {
      const all = await Promise.all(Array.from({ length: 1000 }, () => f(1)));
      expect(all.every((v) => v.id === 1)).toBe(true);
    });
    expect(runs.get(1)).toBe(1);
    expect(cold.map(commandOf)).toEqual(['EVALSHA', 'EVALSHA']);
    expect(cold.filter(isRead)).toHaveLength(1);
    const warm = await commandsDuring(ns, async () => {
      const all = await Promise.all(Array.from({ length: 1000 }, () => f(1)));
      expect(all.every((v) => v.id === 1)).toBe(true);
      expect(new Set(all).size).toBe(1000); // one shared read, a decoded copy for each caller
    });
    expect(warm.map(commandOf)).toEqual(['MGET']);
    expect(runs.get(1)).toBe(1);
  });

  it('a call after the read was handed to the client does not join it, even before its reply', async () => {
    const f = withCache(async (id: number) => ({ id }), { name: 'ticks', cache });
    await f(1);
    const sent = await commandsDuring(ns, async () => {
      const first = f(1);
      await Promise.resolve(); // the batch closed: its read went to the client, no reply yet
      const second = f(1);
      const third = f(1); // joins the second's read
      expect(await Promise.all([first, second, third])).toEqual([{ id: 1 }, { id: 1 }, { id: 1 }]);
    });
    expect(sent.filter(isRead)).toHaveLength(2);
  });
});

describe('changes of this store', () => {
  let store: RedisStore;
  let ns: string;
  beforeEach(() => {
    ns = uniqueNamespace('coalesce-w');
    store = redisStore({ url: testRedisUrl() });
  });
  afterEach(() => store.close());

  const entry = makeEntry(['t']);
  const changes: [string, (s: RedisStore) => unknown][] = [
    ['invalidate', (s) => s.invalidate(ns, ['t'], 'drop')],
    ['delete', (s) => s.delete(ns, ['other'])],
    ['set', (s) => s.set(ns, 'other', entry)],
    ['clear', (s) => s.clear(ns)],
    ['setMany', (s) => s.setMany!(ns, [{ key: 'other', entry }])],
    ['remove', (s) => s.remove!(ns, ['other'])],
    ['expire', (s) => s.expire!(ns, 'other', 60_000)],
  ];

  it.each(changes)(
    'a read after a %s was issued does not join a read queued before it',
    async (_, change) => {
      await store.set(ns, 'k', entry);
      const first = store.get(ns, 'k');
      expect(store.get(ns, 'k')).toBe(first); // same tick, nothing in between: one read
      const changed = Promise.resolve(change(store));
      const later = store.get(ns, 'k');
      expect(later).not.toBe(first);
      await Promise.all([first, later, changed]);
    },
  );
});

describe('across processes', () => {
  let gate: ReplyGate;
  let child: ChildStore;
  let cache: Cache;
  let ns: string;
  beforeAll(async () => {
    gate = await replyGate(testRedisUrl());
    child = await startChildStore(testRedisUrl());
  });
  afterAll(async () => {
    await child.close();
    await gate.close();
  });
  beforeEach(() => {
    ns = uniqueNamespace('coalesce-x');
    // This process reaches Redis through the gate; the child talks to Redis directly.
    cache = createCache({
      store: redisStore({ url: gate.url }),
      namespace: ns,
      logger: false,
      timeout: '20s',
    });
  });
  afterEach(() => cache.close());

  it("a call after another process's invalidation resolved is not answered by an older read of this process", async () => {
    let version = 0;
    const f = withCache(
      async () => {
        addTags('t');
        return ++version;
      },
      { name: 'cross', cache },
    );
    expect(await f()).toBe(1);
    expect(await f()).toBe(1); // tags known: a hit is one MGET
    gate.hold();
    const before = f();
    await gate.held(); // Redis has answered that read (version 1); the answer is not delivered yet
    await child.request({ op: 'invalidate', ns, tags: ['t'], mode: 'drop' }); // resolved in the child
    const after = f(); // starts after the invalidation resolved, while `before` is still outstanding
    gate.release();
    expect(await before).toBe(1);
    expect(await after).toBe(2);
    expect(version).toBe(2);
  });
});
