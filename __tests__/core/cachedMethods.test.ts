import { createCache, withCache, memoryStore, invalidateTag } from '../../lib/index.js';
import { deferred, flush } from '../helpers/deferred.js';

const fresh = () => createCache({ store: memoryStore(), logger: false });

describe('Cached helpers', () => {
  it('peek reads without calling the function', async () => {
    const cache = fresh();
    let runs = 0;
    const f = withCache(
      async function f(id: number) {
        runs += 1;
        return { id };
      },
      { cache },
    );
    expect(await f.peek(1)).toBeUndefined();
    await f(1);
    expect(await f.peek(1)).toEqual({ id: 1 });
    expect(runs).toBe(1);
  });

  it('set writes an entry with the policy’s tags', async () => {
    const cache = fresh();
    let runs = 0;
    const f = withCache(
      async function f(id: number) {
        runs += 1;
        return { id, v: 'computed' };
      },
      { cache, tags: (id) => [`item:${id}`] },
    );
    await f.set({ id: 1, v: 'set' }, 1);
    expect(await f(1)).toEqual({ id: 1, v: 'set' });
    expect(runs).toBe(0);
    await invalidateTag('item:1', { cache });
    expect(await f(1)).toEqual({ id: 1, v: 'computed' });
  });

  it('invalidate drops one entry and refuses the write of a call already running', async () => {
    const cache = fresh();
    let version = 1;
    const gate = deferred<void>();
    let wait = false;
    const f = withCache(
      async function f(id: number) {
        const seen = version;
        if (wait) await gate.promise;
        return { id, seen };
      },
      { cache },
    );
    expect(await f(1)).toEqual({ id: 1, seen: 1 });
    await f(2);
    await f.invalidate(1);
    expect(await f.peek(1)).toBeUndefined();
    expect(await f.peek(2)).toEqual({ id: 2, seen: 1 });
    wait = true;
    const straddling = f(1);
    await flush();
    version = 2;
    await f.invalidate(1);
    gate.resolve();
    expect(await straddling).toEqual({ id: 1, seen: 1 });
    wait = false;
    expect(await f(1)).toEqual({ id: 1, seen: 2 });
    expect(f.stats().refusedWrites).toBe(1);
  });

  it('refresh calls the function and overwrites the entry; uncached touches nothing', async () => {
    const cache = fresh();
    let n = 0;
    const f = withCache(
      async function counter() {
        return ++n;
      },
      { cache },
    );
    expect(await f()).toBe(1);
    expect(await f.refresh()).toBe(2);
    expect(await f()).toBe(2);
    expect(await f.uncached()).toBe(3);
    expect(await f()).toBe(2);
  });

  it('stats count hits, misses, calls and writes', async () => {
    const cache = fresh();
    const f = withCache(
      async function s(x: number) {
        return x;
      },
      { cache },
    );
    await f(1);
    await f(1);
    await f(1);
    const s = f.stats();
    expect(s).toMatchObject({ hits: 2, misses: 1, calls: 1, writes: 1, errors: 0 });
    s.hits = 100;
    expect(f.stats().hits).toBe(2);
  });
});
