import diagnostics_channel from 'node:diagnostics_channel';
import { addTags, createCache, currentKey, invalidateTag, withCache } from '../../lib/index.js';
import { runningComputations } from '../../lib/core/context.js';

// The miss path runs the function as its computation without a promise layer of its own: the
// computation ends in compute's own await. These check that the context still reaches across
// awaits and nested calls, and that the bookkeeping (which enables AsyncLocalStorage only while a
// computation runs) settles back to 0 whichever way the function ends.
describe('the computation context of a miss', () => {
  it('collects nested dependencies across awaits and settles the bookkeeping to 0', async () => {
    const cache = createCache({ name: 'ctx-nested', logger: false });
    let outerRuns = 0;
    const seen: (string | undefined)[] = [];
    const inner = withCache(
      async (id: number) => {
        await new Promise((r) => setTimeout(r, 1));
        addTags(`inner:${id}`);
        return id;
      },
      { cache, name: 'inner' },
    );
    const outer = withCache(
      async (id: number) => {
        outerRuns += 1;
        seen.push(currentKey());
        expect(runningComputations()).toBeGreaterThanOrEqual(1);
        await Promise.resolve();
        const v = await inner(id);
        seen.push(currentKey());
        return v * 2;
      },
      { cache, name: 'outer' },
    );
    expect(await outer(3)).toBe(6);
    expect(runningComputations()).toBe(0);
    expect(seen).toEqual(['outer:3', 'outer:3']);
    expect(await outer(3)).toBe(6);
    expect(outerRuns).toBe(1);
    await invalidateTag('inner:3', { cache });
    expect(await outer(3)).toBe(6);
    expect(outerRuns).toBe(2);
    await cache.close();
  });

  it('settles to 0 after a synchronous throw, a rejection and a synchronous return', async () => {
    const cache = createCache({ name: 'ctx-outcomes', logger: false });
    const throwsNow = withCache(
      ((): Promise<number> => {
        throw new Error('now');
      }) as (n: number) => Promise<number>,
      { cache, name: 'throwsNow' },
    );
    const rejects = withCache(async (n: number): Promise<number> => Promise.reject(new Error(`later ${n}`)), {
      cache,
      name: 'rejects',
    });
    const plain = withCache(((n: number) => n + 1) as unknown as (n: number) => Promise<number>, {
      cache,
      name: 'plain',
    });
    await expect(throwsNow(1)).rejects.toThrow('now');
    expect(runningComputations()).toBe(0);
    await expect(rejects(1)).rejects.toThrow('later 1');
    expect(runningComputations()).toBe(0);
    expect(await plain(1)).toBe(2);
    expect(runningComputations()).toBe(0);
    await Promise.all([rejects(2).catch(() => 0), plain(2), throwsNow(2).catch(() => 0)]);
    expect(runningComputations()).toBe(0);
    await cache.close();
  });

  it('takes the traced path when tagcache:compute has a subscriber, with the same context', async () => {
    const handlers = {
      start: () => {},
      end: () => {},
      asyncStart: () => {},
      asyncEnd: () => {},
      error: () => {},
    };
    const channel = diagnostics_channel.tracingChannel('tagcache:compute');
    let starts = 0;
    handlers.start = () => void (starts += 1);
    channel.subscribe(handlers);
    try {
      const cache = createCache({ name: 'ctx-traced', logger: false });
      let runs = 0;
      const inner = withCache(
        async (id: number) => {
          addTags(`t:${id}`);
          return id;
        },
        { cache, name: 'inner' },
      );
      const outer = withCache(
        async (id: number) => {
          runs += 1;
          await Promise.resolve();
          return inner(id);
        },
        { cache, name: 'outer' },
      );
      expect(await outer(1)).toBe(1);
      expect(starts).toBe(2);
      expect(runningComputations()).toBe(0);
      await invalidateTag('t:1', { cache });
      await outer(1);
      expect(runs).toBe(2);
      await cache.close();
    } finally {
      channel.unsubscribe(handlers);
    }
  });
});
