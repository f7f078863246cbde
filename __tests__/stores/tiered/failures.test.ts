/**
 * Failures: a process stopped (SIGSTOP) during an invalidation, Redis killed and restarted, the
 * subscription dropped, and eventual coherence (publish without waiting).
 */
import { createClient } from 'redis';
import { createCache, withCache } from '../../../lib/index.js';
import { redisStore } from '../../../lib/stores/redisStore.js';
import { tieredStore, type TieredStore } from '../../../lib/stores/tiered/tieredStore.js';
import { spawn } from 'node:child_process';
import { freePort, startRedisServer, type RedisServer } from '../../setup/redisServers.js';
import { startTieredChildren, type ReadReply, type TieredChild } from '../../setup/tieredChildren.js';
import { testRedisUrl, uniqueNamespace } from '../../setup/testStores.js';
import { TEST_LEASE, uniquePrefix, untilServing } from './testTiered.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeout} ms: ${what}`);
    await sleep(10);
  }
}

describe('eventual coherence', () => {
  let children: TieredChild[] = [];
  afterEach(() => Promise.all(children.map((c) => c.close())));

  it('resolves without waiting for a busy process, which drops the entry once it runs again', async () => {
    children = await startTieredChildren(2, {
      url: testRedisUrl(),
      prefix: uniquePrefix(),
      lease: TEST_LEASE,
      coherence: 'eventual',
    });
    const [a, b] = children as [TieredChild, TieredChild];
    const ns = uniqueNamespace('eventual');
    expect(
      (await b.request<ReadReply>({ op: 'fill', ns, key: 'k', tags: ['t'], payload: '"v"' })).source,
    ).toBe('l1');
    await b.request({ op: 'block', ms: 1500 });
    const { ms } = await a.request<{ ms: number }>({ op: 'invalidate', ns, tags: ['t'] });
    expect(ms).toBeLessThan(1000); // B was still blocked
    await until(
      'B drops the entry',
      async () => (await b.request<ReadReply>({ op: 'read', ns, key: 'k' })).source === 'miss',
      5000,
    );
  }, 30_000);
});

describe('Redis failures (a throwaway server)', () => {
  let server: RedisServer;
  let store: TieredStore | undefined;
  beforeEach(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    await store?.close();
    await server.destroy();
  });
  const tiered = (): TieredStore =>
    (store = tieredStore({
      l2: redisStore({ url: server.url }),
      bus: { url: server.url },
      lease: TEST_LEASE,
      prefix: uniquePrefix(),
    }));

  it('killed: the memory tier stops within the lease and calls fail open; restarted: it serves again, flushed', async () => {
    const s = tiered();
    await untilServing(s);
    let runs = 0;
    const cache = createCache({ store: s, namespace: 'down', logger: false, breaker: false, timeout: 300 });
    const load = withCache(async () => ++runs, { cache, name: 'load', tags: ['t'] });
    expect(await load()).toBe(1);
    expect(await load()).toBe(1);
    await server.stop();
    const stopped = Date.now();
    await until('the memory tier stops being served', () => !s.inspect().serving, TEST_LEASE + 2000);
    expect(Date.now() - stopped).toBeLessThan(TEST_LEASE + 2000);
    expect(await load()).toBe(2); // fails open: L1 is not served, L2 is down
    expect(await load()).toBe(3);
    await server.start();
    await until('the memory tier is served again', () => s.inspect().serving, 10_000);
    expect(s.inspect().entries).toBe(0);
    // A restart without persistence lost L2 and L1 was flushed: never one of the old values. The
    // bus coming back made L2 reconnect at once (not after its fail-fast second): caching resumes
    // with the very next call.
    const first = await load();
    expect(first).toBe(4);
    expect(await load()).toBe(4);
    expect(s.inspect().entries).toBe(1);
  }, 30_000);

  it('a dropped subscription flushes the memory tier; it is served again after the resubscription', async () => {
    const s = tiered();
    await untilServing(s);
    const cache = createCache({ store: s, namespace: 'bus', logger: false });
    const load = withCache(async (id: number) => id, { cache, name: 'load' });
    for (let i = 0; i < 5; i++) await load(i);
    expect(s.inspect().entries).toBe(5);
    const admin = createClient({ url: server.url });
    await admin.connect();
    try {
      await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      await until('the memory tier is flushed', () => s.inspect().entries === 0, 5000);
      await until('the memory tier is served again', () => s.inspect().serving, 10_000);
    } finally {
      await admin.close();
    }
  }, 30_000);
});

describe('Redis paused (SIGSTOP: connections stay open, nothing answers)', () => {
  it('the memory tier is served only within the lease, then calls fail open; served again after SIGCONT', async () => {
    const port = await freePort();
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const url = `redis://127.0.0.1:${port}`;
    const s = tieredStore({
      l2: redisStore({ url }),
      bus: { url },
      lease: TEST_LEASE,
      prefix: uniquePrefix(),
    });
    try {
      await until(
        'redis-server is up',
        async () => {
          const c = createClient({ url, socket: { reconnectStrategy: false } });
          const ok = await c.connect().then(
            () => true,
            () => false,
          );
          if (ok) await c.close();
          return ok;
        },
        10_000,
      );
      await untilServing(s);
      let runs = 0;
      const cache = createCache({
        store: s,
        namespace: 'paused',
        logger: false,
        breaker: false,
        timeout: 200,
      });
      const load = withCache(async () => ++runs, { cache, name: 'load' });
      await load();
      expect(await load()).toBe(1);
      proc.kill('SIGSTOP');
      const { leaseLeft } = s.inspect();
      expect(leaseLeft).toBeLessThanOrEqual(TEST_LEASE); // served at most this long: no renewal can succeed now
      await sleep(TEST_LEASE); // any renewal that succeeds was sent before the pause
      expect(s.inspect().serving).toBe(false);
      expect(await load()).toBe(2); // L1 not served, L2 does not answer: the function runs
      proc.kill('SIGCONT');
      await until('the memory tier is served again', () => s.inspect().serving, 10_000);
    } finally {
      proc.kill('SIGCONT');
      await s.close();
      proc.kill('SIGKILL');
    }
  }, 30_000);
});
