/**
 * close() on a server that stopped answering (a hung host or a partition, made with SIGSTOP):
 * it resolves within `closeTimeout`, and the commands still pending are dropped (they reject).
 */
import { StoreError } from '../../lib/errors.js';
import { redisStore } from '../../lib/stores/redisStore.js';
import type { WriteEntry } from '../../lib/stores/Store.js';
import { startRedisServer, type RedisServer } from '../setup/redisServers.js';
import { uniqueNamespace } from '../setup/testStores.js';
import { within } from '../setup/within.js';

const entry: WriteEntry<string> = {
  payload: '"v"',
  tags: ['t'],
  createdAt: Date.now(),
  ttl: 60_000,
  grace: 0,
  error: false,
};

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  server.kill('SIGCONT');
  await server.destroy();
});

describe('redisStore: close() when the server stops answering', () => {
  it('resolves within closeTimeout and drops the commands still pending', async () => {
    const store = redisStore({ url: server.url }, { closeTimeout: 200 });
    const ns = uniqueNamespace('close');
    try {
      await store.ready();
      await store.set(ns, 'k', entry);
      server.kill('SIGSTOP');
      const pending = [
        store.get(ns, 'k'),
        store.set(ns, 'k2', entry),
        store.invalidate(ns, ['t'], 'drop'),
      ].map((p) =>
        p.then(
          () => 'answered',
          (e: unknown) => e,
        ),
      );
      expect(await within(pending[0]!, 300)).toBe('pending'); // the server really is not answering
      expect(await within(store.close(), 10_000)).toBe('settled');
      for (const outcome of await Promise.all(pending)) expect(outcome).toBeInstanceOf(StoreError);
      await expect(store.get(ns, 'k')).rejects.toThrow(/closed/);
    } finally {
      server.kill('SIGCONT');
    }
  });

  it('with nothing pending, close() is immediate even while the server is stopped', async () => {
    const store = redisStore({ url: server.url }, { closeTimeout: 60_000 });
    try {
      await store.ready();
      server.kill('SIGSTOP');
      expect(await within(store.close(), 10_000)).toBe('settled');
    } finally {
      server.kill('SIGCONT');
    }
  });

  it('a close() that waits for an answer still gets it when the server answers in time', async () => {
    const store = redisStore({ url: server.url }, { closeTimeout: 10_000 });
    const ns = uniqueNamespace('close');
    await store.get(ns, 'k'); // loads the script (a NOSCRIPT retry after close() would be refused)
    server.kill('SIGSTOP');
    const read = store.get(ns, 'k');
    expect(await within(read, 200)).toBe('pending'); // sent, not answered
    const closing = store.close();
    server.kill('SIGCONT');
    await expect(read).resolves.toMatchObject({ hit: false });
    await closing;
  });
});
