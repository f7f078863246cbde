import { readFileSync } from 'node:fs';
import { createClient, createCluster } from 'redis';
import { InvalidOptionsError, StoreError } from '../../lib/errors.js';
import type { RedisClientLike, RedisCommandOptions } from '../../lib/stores/redis/clientTypes.js';
import { redisClusterStore } from '../../lib/stores/redisClusterStore.js';
import { redisStore } from '../../lib/stores/redisStore.js';
import type { RedisStore } from '../../lib/stores/redis/scriptedStore.js';
import type { WriteEntry } from '../../lib/stores/Store.js';
import { freePort, selfSignedCert, startRedisServer } from '../setup/redisServers.js';
import { ownServer } from '../setup/suiteAdmin.js';
import { uniqueNamespace } from '../setup/testStores.js';
import { makeEntry } from '../../lib/testing/contractKit.js';

const entry = (tags: string[] = [], over: Partial<WriteEntry<string>> = {}) =>
  makeEntry(tags, { payload: '"v"', ...over });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const own = ownServer();

/** Every key of the namespace (SCAN skips logically expired keys). */
async function keysOf(ns: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of own.admin.scanIterator({ MATCH: `tc:{${ns}|*`, COUNT: 1000 }))
    keys.push(...batch);
  return keys.sort();
}

/** Writes, reads, invalidates, deletes and locks with short lives. */
async function churn(store: RedisStore, ns: string, round: number): Promise<void> {
  const tag = (i: number) => `tag:${(i * 7 + round) % 100}`;
  for (let i = 0; i < 300; i++) {
    const key = `r${round}:k${i}`;
    const miss = await store.get(ns, key);
    const tags = [tag(i), tag(i + 1), tag(i + 2), `own:${round}:${i}`];
    if (!miss.hit) await store.set(ns, key, entry(tags, { ttl: 100, grace: 50 }), miss.epoch);
    if (i % 6 === 0)
      await store.invalidate(ns, [tag(i), `own:${round}:${i}`], i % 12 === 0 ? 'drop' : 'stale');
    if (i % 15 === 0) await store.delete(ns, [key, `r${round}:never${i}`]);
    if (i % 30 === 0) await store.lock!(ns, key, 100);
  }
}

describe('redisStore: bounded bookkeeping', () => {
  it.each([1, 4])(
    'after churn with %i group(s), only the epoch counters and control hashes remain',
    async (groups) => {
      const ns = uniqueNamespace('churn');
      const store = redisStore({ url: own.server.url }, { groups, markerMargin: 200 });
      for (let round = 0; round < 2; round++) {
        await churn(store, ns, round);
        expect((await keysOf(ns)).length).toBeGreaterThan(100);
        await sleep(150 + 200 + 400); // longest entry life + marker margin + slack
        const left = await keysOf(ns);
        expect(left).toHaveLength(2 * groups);
        expect(left.every((k) => /\}:[ec]$/.test(k))).toBe(true);
      }
      await store.close();
    },
  );

  it('entries, markers, delete markers and locks all carry a TTL; only the clocks do not', async () => {
    const ns = uniqueNamespace('ttl');
    const store = redisStore({ url: own.server.url });
    await store.set(ns, 'k', entry(['a', 'b']));
    await store.set(ns, 'k2', entry(['b']));
    await store.invalidate(ns, ['a'], 'drop');
    await store.invalidate(ns, ['b'], 'stale');
    await store.delete(ns, ['k2']);
    await store.lock!(ns, 'k', 5000);
    for (const key of await keysOf(ns)) {
      const pttl = await own.admin.pTTL(key);
      if (/\}:[ec]$/.test(key)) expect([key, pttl]).toEqual([key, -1]);
      else expect([key, pttl > 0]).toEqual([key, true]);
    }
    await store.close();
  });
});

describe('redisStore: connections', () => {
  it('close() quits a client the store created; later operations fail with StoreError', async () => {
    const ns = uniqueNamespace('close');
    const before = (await own.admin.clientList()).length;
    const store = redisStore({ url: own.server.url });
    await store.get(ns, 'k');
    expect((await own.admin.clientList()).length).toBe(before + 1);
    await store.close();
    await store.close();
    await sleep(50);
    expect((await own.admin.clientList()).length).toBe(before);
    await expect(store.get(ns, 'k')).rejects.toBeInstanceOf(StoreError);
  });

  it('close() leaves an injected client open; an unconnected one is connected on first use', async () => {
    const client = createClient({ url: own.server.url });
    const store = redisStore({ client });
    expect((await store.get(uniqueNamespace(), 'k')).hit).toBe(false);
    await store.close();
    expect(client.isOpen).toBe(true);
    expect(await client.ping()).toBe('PONG');
    await client.close();
  });

  it('sends every command without a node-redis timer, even on an injected client', async () => {
    const client = createClient({ url: own.server.url });
    await client.connect();
    const seen: (RedisCommandOptions | undefined)[] = [];
    const spy: RedisClientLike = Object.assign(Object.create(client) as RedisClientLike, {
      sendCommand: (args: string[], options?: RedisCommandOptions) => {
        seen.push(options);
        return client.sendCommand(args, options);
      },
    });
    const store = redisStore({ client: spy });
    const ns = uniqueNamespace();
    await store.set(ns, 'k', entry(['t']));
    await store.get(ns, 'k');
    await store.invalidate(ns, ['t'], 'drop');
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((o) => o?.timeout === 0)).toBe(true);
    await store.close();
    await client.close();
  });

  it('a command slower than node-redis’ default 5 s timeout still completes (the timer is off)', async () => {
    const own = await startRedisServer({ args: ['--enable-debug-command', 'local'] });
    const store = redisStore({ url: own.url });
    const blocker = createClient({ url: own.url, commandOptions: { timeout: 0 } });
    try {
      const ns = uniqueNamespace();
      await store.get(ns, 'k');
      await blocker.connect();
      const sleeping = blocker.sendCommand(['DEBUG', 'SLEEP', '5.3']);
      await sleep(50);
      const t0 = Date.now();
      await expect(store.get(ns, 'k')).resolves.toMatchObject({ hit: false });
      expect(Date.now() - t0).toBeGreaterThan(5000);
      await sleeping;
    } finally {
      await blocker.close();
      await store.close();
      await own.destroy();
    }
  }, 15_000);

  it('fails fast while the server is down and recovers when it is back', async () => {
    const own = await startRedisServer();
    const store = redisStore({ url: own.url });
    try {
      const ns = uniqueNamespace();
      await store.set(ns, 'k', entry());
      await own.stop();
      const t0 = Date.now();
      await expect(store.get(ns, 'k')).rejects.toThrow();
      expect(Date.now() - t0).toBeLessThan(1000);
      await own.start();
      let back = false;
      for (let i = 0; i < 100 && !back; i++) {
        back = await store.get(ns, 'k').then(
          () => true,
          () => false,
        );
        if (!back) await sleep(100);
      }
      expect(back).toBe(true);
    } finally {
      await store.close();
      await own.destroy();
    }
  }, 20_000);

  it('ready() reconnects at once, even within the fail-fast second after a failed attempt', async () => {
    const own = await startRedisServer();
    const store = redisStore({ url: own.url });
    try {
      const ns = uniqueNamespace();
      await store.set(ns, 'k', entry());
      await own.stop();
      await expect(store.get(ns, 'k')).rejects.toThrow();
      await own.start();
      // Operations fail fast for a second after the failed attempt; ready() tries now.
      await store.ready();
      await expect(store.get(ns, 'k')).resolves.toMatchObject({ hit: false });
    } finally {
      await store.close();
      await own.destroy();
    }
  }, 20_000);

  it('a first operation against a dead server rejects quickly instead of hanging', async () => {
    const store = redisStore({ url: `redis://127.0.0.1:${await freePort()}` });
    const t0 = Date.now();
    await expect(store.get('ns', 'k')).rejects.toBeInstanceOf(StoreError);
    await expect(store.get('ns', 'k')).rejects.toBeInstanceOf(StoreError);
    expect(Date.now() - t0).toBeLessThan(2000);
    await store.close();
  });
});

describe('redisStore: URLs', () => {
  it('connects with user:password from the URL (ACL user), and fails with a wrong password', async () => {
    const acl = ['--user', 'alice', 'on', '>s3cret', '~*', '&*', '+@all', '--user', 'default', 'off'];
    const own = await startRedisServer({ args: acl, noPing: true });
    const good = redisStore({ url: `redis://alice:s3cret@127.0.0.1:${own.port}` });
    const bad = redisStore({ url: `redis://alice:wrong@127.0.0.1:${own.port}` });
    try {
      await good.set('ns', 'k', entry());
      expect((await good.get('ns', 'k')).hit).toBe(true);
      await expect(bad.get('ns', 'k')).rejects.toBeInstanceOf(StoreError);
    } finally {
      await Promise.all([good.close(), bad.close()]);
      await own.destroy();
    }
  });

  it('connects over TLS with rediss:// (socket options such as a CA come through clientOptions)', async () => {
    const certs = await startRedisServer();
    const tls = selfSignedCert(certs.dir);
    const own = await startRedisServer({ tls });
    const socket = { ca: [readFileSync(tls.certFile)] };
    const store = redisStore({ url: own.url, clientOptions: { socket } });
    try {
      expect(own.url).toMatch(/^rediss:\/\//);
      await store.set('ns', 'k', entry(['t']));
      expect((await store.get('ns', 'k')).hit).toBe(true);
      expect(Object.keys(socket)).toEqual(['ca']);
    } finally {
      await store.close();
      await own.destroy();
      await certs.destroy();
    }
  });

  it('rejects bad options when it is created', () => {
    expect(() => redisStore({ url: 'http://localhost' })).toThrow(InvalidOptionsError);
    expect(() => redisStore({ url: own.server.url }, { groups: 0 })).toThrow(/groups/);
    expect(() => redisStore({ url: own.server.url }, { prefix: 'a{b' })).toThrow(/prefix/);
    expect(() => redisStore({ url: own.server.url }, { markerMargin: 'soon' })).toThrow(/markerMargin/);
  });

  it.each([
    [
      'an option in the connection object',
      () => redisStore({ url: own.server.url, markerMargin: '5m' } as never),
      'markerMargin',
      /second argument/,
    ],
    [
      'an unknown store option',
      () => redisStore({ url: own.server.url }, { markerMargn: 1 } as never),
      'markerMargn',
      /unknown option/,
    ],
    [
      'an unknown connection key',
      () => redisStore({ url: own.server.url, tls: true } as never),
      'tls',
      /unknown option/,
    ],
    [
      'clientOptions that are not an object',
      () => redisStore({ url: own.server.url, clientOptions: 5 } as never),
      'clientOptions',
      /options object/,
    ],
    [
      'a bad closeTimeout',
      () => redisStore({ url: own.server.url }, { closeTimeout: -1 }),
      'closeTimeout',
      /duration/,
    ],
    [
      'a bad onError',
      () => redisStore({ url: own.server.url }, { onError: 'log' } as never),
      'onError',
      /function/,
    ],
    ['no connection', () => redisStore(undefined as never), 'connection', /\{ url \} or \{ client \}/],
    [
      'a cluster option on the cluster connection',
      () => redisClusterStore({ rootNodes: ['127.0.0.1:1'], groups: 8 } as never),
      'groups',
      /second argument/,
    ],
    ['no root nodes', () => redisClusterStore({ rootNodes: [] }), 'rootNodes', /at least one/],
    [
      'an unknown cluster store option',
      () => redisClusterStore({ rootNodes: ['127.0.0.1:1'] }, { prefx: 'a' } as never),
      'prefx',
      /unknown option/,
    ],
    [
      'a cluster client given to redisStore',
      () => redisStore({ client: createCluster({ rootNodes: [{ url: own.server.url }] }) as never }),
      'client',
      /redisClusterStore/,
    ],
    [
      'a single client given to redisClusterStore',
      () => redisClusterStore({ client: createClient({ url: own.server.url }) as never }),
      'client',
      /redisStore/,
    ],
  ])('rejects %s with an InvalidOptionsError naming it', (_what, make, option, message) => {
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe(option);
    expect((error as Error).message).toMatch(message);
  });

  it('says whether it owns its client', async () => {
    const client = createClient({ url: own.server.url });
    const injected = redisStore({ client });
    const owned = redisStore({ url: own.server.url });
    expect(injected.ownsClient).toBe(false);
    expect(owned.ownsClient).toBe(true);
    await Promise.all([injected.close(), owned.close()]);
  });
});
