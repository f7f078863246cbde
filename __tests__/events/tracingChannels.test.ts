import diagnostics_channel from 'node:diagnostics_channel';
import { createCache, invalidateTag, tracingChannels, withCache, type CallProbe } from '../../lib/index.js';

type Seen = { readonly channel: string; readonly phase: string; readonly ctx: Record<string, unknown> };

function subscribeAll(seen: Seen[]): () => void {
  const offs = (['get', 'compute', 'invalidate'] as const).map((kind) => {
    const handlers = {
      start: (ctx: object) => seen.push({ channel: kind, phase: 'start', ctx: { ...ctx } }),
      end: () => {},
      asyncStart: () => {},
      asyncEnd: (ctx: object) => seen.push({ channel: kind, phase: 'asyncEnd', ctx: { ...ctx } }),
      error: (ctx: object) => seen.push({ channel: kind, phase: 'error', ctx: { ...ctx } }),
    };
    const channel = diagnostics_channel.tracingChannel(`tagcache:${kind}`);
    channel.subscribe(handlers);
    return () => channel.unsubscribe(handlers);
  });
  return () => offs.forEach((off) => off());
}

describe('diagnostics_channel tracing channels', () => {
  it('traces get (with its outcome), compute and invalidate for subscribers', async () => {
    expect(tracingChannels.get.start).toBe(diagnostics_channel.channel('tracing:tagcache:get:start'));
    const seen: Seen[] = [];
    const off = subscribeAll(seen);
    try {
      const cache = createCache({ name: 'traced', logger: false });
      const f = withCache(async (n: number) => n + 1, { name: 'inc', cache, tags: ['t'] });
      await f(1);
      await f(1);
      await invalidateTag('t', { cache });
      const key = `${cache.version}:${f.keyOf(1)}`; // channels carry the full stored key
      expect(seen.map((s) => `${s.channel}:${s.phase}`)).toEqual([
        'get:start',
        'compute:start',
        'compute:asyncEnd',
        'get:asyncEnd',
        'get:start',
        'get:asyncEnd',
        'invalidate:start',
        'invalidate:asyncEnd',
      ]);
      expect(seen[0]?.ctx).toMatchObject({ cache: 'traced', name: 'inc', key });
      expect(seen[1]?.ctx).toMatchObject({ cache: 'traced', name: 'inc', key });
      expect((seen[3]?.ctx as unknown as CallProbe).outcome).toBe('miss');
      expect((seen[5]?.ctx as unknown as CallProbe).outcome).toBe('hit');
      expect(seen[6]?.ctx).toMatchObject({ cache: 'traced', tags: ['t'], mode: 'drop' });
    } finally {
      off();
    }
  });

  it('reports the error of a computation that throws', async () => {
    const seen: Seen[] = [];
    const off = subscribeAll(seen);
    try {
      const f = withCache(
        async (): Promise<number> => {
          throw new Error('boom');
        },
        { name: 'boom', cache: createCache({ logger: false }) },
      );
      await expect(f()).rejects.toThrow('boom');
      expect(seen.filter((s) => s.phase === 'error').map((s) => s.channel)).toEqual(['compute', 'get']);
    } finally {
      off();
    }
  });
});
