import { createCache, withCache, memoryStore, type Store } from '../../lib/index.js';
import { manualTimers } from '../../lib/testing/index.js';
import { deferred } from '../helpers/deferred.js';

/** A memory store that fails every operation while `down` is true. */
function switchableStore(): { store: Store; down: (d: boolean) => void } {
  const base = memoryStore();
  let isDown = false;
  const gate = <T>(op: () => T): T => (isDown ? (Promise.reject(new Error('ECONNREFUSED')) as T) : op());
  const store: Store = {
    kind: 'switchable',
    holdsValues: true,
    get: (ns, key) => gate(() => base.get(ns, key)),
    set: (ns, key, e, epoch) => gate(() => base.set(ns, key, e, epoch)),
    delete: (ns, keys) => gate(() => base.delete(ns, keys)),
    invalidate: (ns, tags, m) => gate(() => base.invalidate(ns, tags, m)),
    clear: (ns) => gate(() => base.clear(ns)),
    close: () => base.close(),
  };
  return { store, down: (d) => (isDown = d) };
}

describe('single flight while the store cannot be read', () => {
  it('a call with an unknown epoch never joins a computation that started before an invalidation', async () => {
    const { store, down } = switchableStore();
    const timers = manualTimers();
    const cache = createCache({ store, timers, logger: false, breaker: { failures: 1, resetAfter: 60_000 } });
    const row = { version: 1 };
    const release = deferred<void>();
    const read = withCache(
      async function readRow(id: number) {
        const seen = row.version;
        await release.promise;
        return { id, version: seen };
      },
      { cache },
    );

    down(true);
    const first = read(1); // the read fails: the circuit opens, the function runs at an unknown epoch
    await new Promise((r) => setImmediate(r));
    expect(cache.circuit()).toBe('open');
    row.version = 2; // the row changes, and another process invalidates it (unseen here)
    const second = read(1); // starts after the change: must not get the first computation's value
    release.resolve();
    expect(await first).toEqual({ id: 1, version: 1 });
    expect(await second).toEqual({ id: 1, version: 2 });
    expect(read.stats()).toMatchObject({ calls: 2, joins: 0 });
    await cache.close();
  });
});
