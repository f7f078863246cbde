import { redisStore } from '../../lib/stores/redisStore.js';
import type { RedisStore } from '../../lib/stores/redis/scriptedStore.js';
import { makeEntry } from '../../lib/testing/contractKit.js';
import { startRedisServer, type RedisServer } from '../setup/redisServers.js';
import { uniqueNamespace } from '../setup/testStores.js';
import { adminOf, pidOf, replicaSynced, storeAnswers, until, type Admin } from '../setup/throwawayRedis.js';

/**
 * Clock resets (issue 10, item 2): a computation that straddles a FLUSHALL, a restart without
 * persistence or a failover onto a lagging replica must never be written or served, also once
 * later invalidations push the new counter past the epoch it started at.
 */
let server: RedisServer;
let admin: Admin;
beforeAll(async () => {
  server = await startRedisServer();
  admin = await adminOf(server.url);
});
afterAll(async () => {
  await admin.close();
  await server.destroy();
});

/** Reads `k` (a miss) after 3 invalidations, so the computation starts at a counter of 3. */
async function startComputation(store: RedisStore, ns: string): Promise<number> {
  for (const t of ['a', 'b', 'c']) await store.invalidate(ns, [t], 'drop');
  const r = await store.get(ns, 'k');
  expect(r.hit).toBe(false);
  return r.epoch;
}

/** After the reset: the computation's own tag is invalidated, then others until the counter passed its start. */
async function pushPast(store: RedisStore, ns: string): Promise<void> {
  await store.invalidate(ns, ['user:1'], 'drop');
  for (const t of ['d', 'e', 'f', 'g']) await store.invalidate(ns, [t], 'drop');
}

describe('redisStore: clock resets', () => {
  it('a computation straddling FLUSHALL is refused, before and after the counter passes its epoch', async () => {
    const ns = uniqueNamespace('flush');
    const store = redisStore({ url: server.url });
    const epoch = await startComputation(store, ns);
    await admin.flushAll();
    expect(await store.set(ns, 'k', makeEntry(['user:1']), epoch)).toBe(false);
    await pushPast(store, ns);
    expect(await store.set(ns, 'k', makeEntry(['user:1']), epoch)).toBe(false);
    expect((await store.get(ns, 'k')).hit).toBe(false);
    const now = await store.get(ns, 'k');
    expect(await store.set(ns, 'k', makeEntry(['user:1']), now.epoch)).toBe(true);
    await store.close();
  });

  it('a computation straddling a restart without persistence is refused', async () => {
    const ns = uniqueNamespace('restart');
    const store = redisStore({ url: server.url });
    const epoch = await startComputation(store, ns);
    await server.stop();
    await server.start();
    await storeAnswers(store, ns);
    await pushPast(store, ns);
    expect(await store.set(ns, 'k', makeEntry(['user:1']), epoch)).toBe(false);
    expect((await store.get(ns, 'k')).hit).toBe(false);
    await store.close();
  });

  it('an entry written before FLUSHALL-and-rewrite of the clock alone is a miss (the generation changed)', async () => {
    const ns = uniqueNamespace('clock-lost');
    const store = redisStore({ url: server.url });
    await store.set(ns, 'k', makeEntry(['user:1']));
    await store.invalidate(ns, ['other'], 'drop');
    expect((await store.get(ns, 'k')).hit).toBe(true);
    await admin.del([`tc:{${ns}|0}:e`, `tc:{${ns}|0}:c`]); // what eviction of the clock does
    expect((await store.get(ns, 'k')).hit).toBe(false);
    await store.close();
  });
});

describe('redisStore: failover onto a lagging replica', () => {
  it('refuses a computation started on the old master, also after the counter passed its epoch', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const masterAdmin = await adminOf(master.url);
    const replicaAdmin = await adminOf(replica.url);
    try {
      await replicaSynced(replicaAdmin);
      const ns = uniqueNamespace('failover');
      const old = redisStore({ url: master.url });
      await old.set(ns, 'before', makeEntry(['user:1']));
      const before = await startComputation(old, ns); // started before the lost invalidation
      await until(
        'replication',
        async () => Number(await masterAdmin.sendCommand(['WAIT', '1', '1000'])) === 1,
      );
      const pid = await pidOf(replicaAdmin);
      process.kill(pid, 'SIGSTOP'); // the replica lags from here on,
      await masterAdmin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'replica']); // and nothing in flight reaches it
      await old.invalidate(ns, ['user:1'], 'drop'); // resolved by the master, never replicated
      const after = (await old.get(ns, 'k')).epoch; // started after it, on the old master
      await old.close();
      process.kill(await pidOf(masterAdmin), 'SIGKILL');
      await master.stop();
      process.kill(pid, 'SIGCONT');
      await replicaAdmin.sendCommand(['REPLICAOF', 'NO', 'ONE']); // promoted
      const promoted = redisStore({ url: replica.url });
      expect(await promoted.set(ns, 'k', makeEntry(['user:1']), before)).toBe(false);
      await promoted.invalidate(ns, ['user:1'], 'drop'); // the counter is back where `after` was
      expect(await promoted.set(ns, 'k', makeEntry(['user:1']), after)).toBe(false);
      await pushPast(promoted, ns);
      expect(await promoted.set(ns, 'k', makeEntry(['user:1']), before)).toBe(false);
      expect((await promoted.get(ns, 'k')).hit).toBe(false);
      expect((await promoted.get(ns, 'before')).hit).toBe(false); // written before the failover: unknown
      await promoted.close();
    } finally {
      await Promise.all([masterAdmin.close().catch(() => undefined), replicaAdmin.close()]);
      await Promise.all([master.destroy(), replica.destroy()]);
    }
  });
});

describe('redisStore: bookkeeping stays bounded', () => {
  it('after churn and expiry only the fixed keys of each group remain', async () => {
    const ns = uniqueNamespace('bounded');
    const store = redisStore({ url: server.url }, { groups: 4, markerMargin: 50 });
    for (let i = 0; i < 200; i++) {
      const r = await store.get(ns, `k${i}`);
      await store.set(ns, `k${i}`, makeEntry([`item:${i}`, `list:${i % 7}`], { ttl: 60 }), r.epoch);
    }
    for (let i = 0; i < 50; i++)
      await store.invalidate(ns, [`item:${i}`, `gone:${i}`], i % 2 ? 'drop' : 'stale');
    await store.delete(ns, ['k1', 'k2', 'never-written']);
    await store.lock(ns, 'k3', 60);
    const pattern = `tc:{${ns}|*`;
    const keys = async () => (await admin.keys(pattern)).sort();
    expect((await keys()).length).toBeGreaterThan(200);
    await until('bookkeeping to expire', async () => (await keys()).length === 8);
    expect((await keys()).every((k) => k.endsWith('}:e') || k.endsWith('}:c'))).toBe(true);
    await store.close();
  });
});
