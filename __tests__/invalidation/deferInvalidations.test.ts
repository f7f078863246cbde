import {
  clear,
  createCache,
  deferInvalidations,
  entity,
  invalidateEntity,
  invalidateTag,
  invalidateTags,
  memoryStore,
  withCache,
  withInvalidation,
  type Store,
} from '../../lib/index.js';
import { deferred, flush } from '../helpers/deferred.js';
import { testRedisStore, uniqueNamespace } from '../setup/testStores.js';

/** A real memory store whose invalidating calls are recorded. */
function recordingStore(): { store: Store; calls: string[] } {
  const inner = memoryStore();
  const calls: string[] = [];
  const store: Store = Object.freeze({
    ...inner,
    invalidate(ns: string, tags: readonly string[], mode: 'drop' | 'stale') {
      calls.push(`invalidate ${mode} ${[...tags].sort().join(',')}`);
      return inner.invalidate(ns, tags, mode);
    },
    remove(ns: string, keys: readonly string[]) {
      calls.push(`remove ${[...keys].sort().join(',')}`);
      return inner.remove!(ns, keys);
    },
    delete(ns: string, keys: readonly string[]) {
      calls.push(`delete ${[...keys].sort().join(',')}`);
      return inner.delete(ns, keys);
    },
    clear(ns: string) {
      calls.push('clear');
      return inner.clear(ns);
    },
  });
  return { store, calls };
}

/** A table row behind a cached read, with a transaction that commits when told to. */
function fixture(store: Store = memoryStore()) {
  const cache = createCache({ store, logger: false, namespace: uniqueNamespace('defer') });
  const rows = new Map<number, string>([[1, 'Ada']]);
  let reads = 0;
  const getUser = withCache(
    async function getUser(id: number) {
      reads += 1;
      return { id, name: rows.get(id) };
    },
    { cache, entities: entity('user') },
  );
  return { cache, rows, getUser, reads: () => reads };
}

describe('deferInvalidations', () => {
  it('runs the invalidations after fn resolves: a read during it gets the old value, a read after commit the new one', async () => {
    const { cache, rows, getUser, reads } = fixture();
    await getUser(1);
    const commit = deferred<void>();
    const inTransaction = deferred<void>();
    const tx = deferInvalidations(async () => {
      rows.set(1, 'Grace'); // the write, not committed yet for other readers in a real database
      await invalidateEntity('user', 1, { cache });
      inTransaction.resolve();
      await commit.promise;
      return 'done';
    });
    await inTransaction.promise;
    expect(await getUser(1)).toEqual({ id: 1, name: 'Ada' }); // a concurrent request, mid-transaction
    expect(reads()).toBe(1);
    commit.resolve();
    expect(await tx).toBe('done');
    expect(await getUser(1)).toEqual({ id: 1, name: 'Grace' });
    expect(reads()).toBe(2);
  });

  it('runs none of them when fn rejects, and propagates the rejection unchanged', async () => {
    const { store, calls } = recordingStore();
    const { cache, getUser, reads } = fixture(store);
    await getUser(1);
    await cache.set('config', 'v1', { tags: ['config'] });
    const boom = new Error('rolled back');
    await expect(
      deferInvalidations(async () => {
        await invalidateTags(['user:1', 'config'], { cache });
        await getUser.invalidate(1);
        expect(await cache.delete('config')).toBe(0);
        await cache.deletePattern('*');
        await clear({ cache });
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(calls).toEqual([]);
    await getUser(1);
    expect(reads()).toBe(1);
    expect(await cache.get('config')).toBe('v1');
  });

  it('deduplicates: one store call per cache and kind, whatever the number of invalidations', async () => {
    const { store, calls } = recordingStore();
    const { cache, getUser } = fixture(store);
    await deferInvalidations(async () => {
      await invalidateTag('a', { cache });
      await invalidateTags(['a', 'b'], { cache });
      await invalidateEntity('user', 1, { cache });
      await invalidateTag('b', { cache, mode: 'stale' }); // a tag also dropped is dropped
      await invalidateTag('c', { cache, mode: 'stale' });
      await cache.delete(['k1', 'k2']);
      await cache.delete('k1');
      await getUser.invalidate(1);
      expect(calls).toEqual([]);
    });
    expect(calls.sort()).toEqual([
      'invalidate drop a,b,user:1',
      'invalidate stale c',
      'remove 1:getUser:1,1:k1,1:k2',
    ]);
  });

  it('runs a clear first, then the key and pattern deletes', async () => {
    const { store, calls } = recordingStore();
    const { cache } = fixture(store);
    await cache.set('page:1', 1);
    await cache.set('page:2', 2);
    await cache.set('other', 3);
    await deferInvalidations(async () => {
      expect(await cache.deletePattern('page:*')).toBe(0);
      await cache.clear();
      expect(await cache.get('page:1')).toBe(1);
    });
    expect(calls[0]).toBe('clear');
    expect(await cache.get('other')).toBeUndefined();
  });

  it('joins nested calls to the outermost one; a nested call that rejects drops only its own', async () => {
    const { store, calls } = recordingStore();
    const { cache } = fixture(store);
    let afterInner = -1;
    await deferInvalidations(async () => {
      await invalidateTag('outer', { cache });
      await deferInvalidations(async () => invalidateTag('inner', { cache }));
      afterInner = calls.length;
      await deferInvalidations(async () => {
        await invalidateTag('savepoint', { cache });
        throw new Error('savepoint rolled back');
      }).catch(() => undefined);
    });
    expect(afterInner).toBe(0);
    expect(calls).toEqual(['invalidate drop inner,outer']);

    calls.length = 0;
    await expect(
      deferInvalidations(async () => {
        await deferInvalidations(async () => invalidateTag('inner', { cache }));
        throw new Error('outer rolled back');
      }),
    ).rejects.toThrow('outer rolled back');
    expect(calls).toEqual([]);
  });

  it('defers withInvalidation (before and after) and runs its recache after the invalidations', async () => {
    const { cache, rows, getUser, reads } = fixture();
    const rename = withInvalidation(
      async (id: number, name: string) => {
        rows.set(id, name);
        return { id };
      },
      { cache, entities: entity('user'), recache: [{ read: getUser, args: (_r, id) => [id] }] },
    );
    const before = withInvalidation(async (id: number) => id, {
      cache,
      when: 'before',
      tags: (id) => [`user:${id}`],
    });
    await getUser(1);
    await deferInvalidations(async () => {
      await rename(1, 'Grace');
      await before(1);
      expect(await getUser(1)).toEqual({ id: 1, name: 'Ada' });
      expect(reads()).toBe(1); // no re-warm before the commit
    });
    expect(reads()).toBe(2); // re-warmed after the invalidation
    expect(await getUser(1)).toEqual({ id: 1, name: 'Grace' });
    expect(reads()).toBe(2);
  });

  it('leaves other async contexts alone, and runs late invalidations of a finished deferral at once', async () => {
    const { store, calls } = recordingStore();
    const { cache } = fixture(store);
    const release = deferred<void>();
    const started = deferred<void>();
    let late: Promise<void> | undefined;
    const tx = deferInvalidations(async () => {
      late = release.promise.then(() => invalidateTag('late', { cache }));
      started.resolve();
    });
    await started.promise;
    await tx;
    const held = deferred<void>();
    const busy = deferInvalidations(() => held.promise); // another deferral, open meanwhile
    await invalidateTag('elsewhere', { cache }); // not inside it: runs now
    expect(calls).toEqual(['invalidate drop elsewhere']);
    release.resolve();
    await late;
    expect(calls).toEqual(['invalidate drop elsewhere', 'invalidate drop late']);
    held.resolve();
    await busy;
    await flush();
    expect(calls).toHaveLength(2);
  });

  it('rejects with the store error of a failed invalidation after the commit, once the others ran', async () => {
    const failing: Store = Object.freeze({
      ...memoryStore(),
      invalidate: () => Promise.reject(new Error('down')),
    });
    const bad = createCache({ store: failing, logger: false, breaker: false });
    const { store, calls } = recordingStore();
    const good = createCache({ store, logger: false });
    await expect(
      deferInvalidations(async () => {
        await invalidateTag('t', { cache: [bad, good] });
        return 1;
      }),
    ).rejects.toThrow('down');
    expect(calls).toEqual(['invalidate drop t']);
  });

  it('works on Redis: a second process reading mid-transaction is served the old entry', async () => {
    const ns = uniqueNamespace('defer-redis');
    const writer = createCache({ store: testRedisStore(), namespace: ns, logger: false });
    const reader = createCache({ store: testRedisStore(), namespace: ns, logger: false });
    try {
      await writer.set('user:1', 'Ada', { tags: ['user:1'] });
      await deferInvalidations(async () => {
        await invalidateEntity('user', 1, { cache: writer });
        expect(await reader.get('user:1')).toBe('Ada');
      });
      expect(await reader.get('user:1')).toBeUndefined();
    } finally {
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it('rejects a non-function', async () => {
    await expect(deferInvalidations(42 as never)).rejects.toThrow(TypeError);
  });
});
