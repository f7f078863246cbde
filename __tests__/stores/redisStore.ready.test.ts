/**
 * Failing fast at start-up: `ready()` connects now and rejects with the real cause; a missing
 * `redis` package names the package to install; an ioredis client is refused at construction.
 */
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { InvalidOptionsError, StoreError } from '../../lib/errors.js';
import { redisClusterStore } from '../../lib/stores/redisClusterStore.js';
import { redisStore } from '../../lib/stores/redisStore.js';
import { storeFromUrl } from '../../lib/stores/storeFromUrl.js';
import { MISSING_REDIS } from '../../lib/stores/redis/loadRedis.js';
import { freePort, startRedisServer, type RedisServer } from '../setup/redisServers.js';
import { lastJson, runScript } from '../setup/runScript.js';
import { testClusterNodes, testRedisUrl } from '../setup/testStores.js';

let secured: RedisServer;
beforeAll(async () => {
  secured = await startRedisServer({ args: ['--requirepass', 's3cret'], noPing: true });
});
afterAll(() => secured?.destroy());

const at = (password: string | undefined): string =>
  `redis://${password === undefined ? '' : `:${password}@`}127.0.0.1:${secured.port}`;

describe('ready()', () => {
  it('resolves once connected, on a server and on a cluster', async () => {
    const stores = [
      redisStore({ url: at('s3cret') }),
      storeFromUrl(`redis-cluster://${testClusterNodes().join(',')}`),
    ];
    for (const store of stores) {
      await expect(store.ready!()).resolves.toBeUndefined();
      await expect(store.ready!()).resolves.toBeUndefined();
      await store.close();
    }
  });

  it('rejects with the real cause: a wrong password, a missing password', async () => {
    const wrong = redisStore({ url: at('wrong') });
    const missing = redisStore({ url: at(undefined) });
    try {
      const e1 = await wrong.ready().catch((e: unknown) => e);
      expect(e1).toBeInstanceOf(StoreError);
      expect(String((e1 as Error).message)).toMatch(/WRONGPASS|invalid password/i);
      expect(String((e1 as Error).message)).toMatch(/^Cannot connect to Redis: WRONGPASS/); // as docs/redis.md says
      expect((e1 as Error).cause).toBeInstanceOf(Error);
      const e2 = await missing.ready().catch((e: unknown) => e);
      expect(e2).toBeInstanceOf(StoreError);
      expect(String((e2 as Error).message)).toMatch(/NOAUTH/);
    } finally {
      await Promise.all([wrong.close(), missing.close()]);
    }
  });

  it('rejects with the real cause on a closed port (server and cluster)', async () => {
    const port = await freePort();
    const single = redisStore({ url: `redis://127.0.0.1:${port}` });
    const cluster = redisClusterStore({ rootNodes: [`127.0.0.1:${port}`] });
    try {
      for (const store of [single, cluster]) {
        const e = await store.ready().catch((x: unknown) => x);
        expect(e).toBeInstanceOf(StoreError);
        expect(String((e as Error).message)).toMatch(/ECONNREFUSED/);
      }
    } finally {
      await Promise.all([single.close(), cluster.close()]);
    }
  });
});

describe('a missing `redis` package', () => {
  it('is a StoreError naming the package to install, from ready() and from the first operation', async () => {
    const run = await runScript(join('__tests__', 'setup', 'scriptChild.ts'), ['ready', testRedisUrl()], {
      nodeArgs: ['--import', './__tests__/setup/hideRedis.mjs'],
    });
    expect(run.exited).toBe(true);
    const seen = lastJson<{
      ready: { name: string; message: string };
      get: { name: string; message: string };
    }>(run.stdout);
    expect(seen.ready).toMatchObject({ name: 'StoreError', message: MISSING_REDIS });
    expect(seen.get).toMatchObject({ name: 'StoreError', message: MISSING_REDIS });
    expect(MISSING_REDIS).toMatch(/npm install redis/);
  }, 30_000);

  it('the same child with `redis` resolvable connects (the hook is what hides it)', async () => {
    const run = await runScript(join('__tests__', 'setup', 'scriptChild.ts'), ['ready', testRedisUrl()]);
    expect(lastJson(run.stdout)).toEqual({ ready: 'ok', get: 'ok' });
  }, 30_000);
});

describe('an ioredis client', () => {
  it('is refused at construction with a clear error (single server and cluster)', async () => {
    const client = new Redis({ port: secured.port, lazyConnect: true });
    const cluster = new Cluster([{ port: secured.port }], { lazyConnect: true });
    try {
      expect(() => redisStore({ client: client as never })).toThrow(InvalidOptionsError);
      expect(() => redisStore({ client: client as never })).toThrow(/ioredis.*node-redis/);
      expect(() => redisClusterStore({ client: cluster as never })).toThrow(/ioredis.*node-redis/);
    } finally {
      client.disconnect();
      cluster.disconnect();
    }
  });
});
