import { withCache, withInvalidation } from '../../lib/index.js';
import { deferred } from '../helpers/deferred.js';
import { STORES, cacheFactory } from '../helpers/bothStores.js';

const caches = cacheFactory();
afterAll(() => caches.closeAll());

describe.each(STORES)("withInvalidation({ when: 'before' }) (%s)", (_label, store) => {
  it('a read during the write cannot leave the old value cached: the new one is read after await write()', async () => {
    const cache = caches.open(store);
    const row = { version: 1 };
    const read = withCache(
      async function readRow(id: number) {
        return { id, version: row.version };
      },
      { cache, tags: (id) => `row:${id}` },
    );
    const writing = deferred<void>();
    const commit = deferred<void>();
    const write = withInvalidation(
      async (_id: number) => {
        writing.resolve();
        await commit.promise;
        row.version = 2;
      },
      { cache, tags: (id) => `row:${id}`, when: 'before' },
    );

    expect(await read(1)).toEqual({ id: 1, version: 1 });
    const written = write(1);
    await writing.promise; // the first invalidation is done; the write is running
    expect(await read(1)).toEqual({ id: 1, version: 1 }); // a miss that caches the old row again
    commit.resolve();
    await written;
    expect(await read(1)).toEqual({ id: 1, version: 2 });
  });

  it('a write that throws invalidates nothing after it', async () => {
    const cache = caches.open(store);
    let runs = 0;
    const read = withCache(
      async function counted() {
        return ++runs;
      },
      { cache, tags: 'x' },
    );
    const writing = deferred<void>();
    const failing = withInvalidation(
      async () => {
        await writing.promise;
        throw new Error('write failed');
      },
      { cache, tags: 'x', when: 'before' },
    );
    await read();
    const failed = failing();
    expect(await read()).toBe(2);
    writing.resolve();
    await expect(failed).rejects.toThrow('write failed');
    expect(await read()).toBe(2);
  });
});
