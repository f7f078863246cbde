/**
 * The guarantee across processes: once `invalidate` resolves in process A, processes B and C no
 * longer serve the entry from their memory tier. Three separate Node processes, real Redis and a
 * real Cluster.
 */
import { startTieredChildren, type ReadReply, type TieredChild } from '../../setup/tieredChildren.js';
import { testClusterNodes, testRedisUrl, uniqueNamespace } from '../../setup/testStores.js';

const LEASE = 800;
const ITERATIONS = 200;

type Target = { url: string } | { nodes: string[] };

async function staleReads(
  a: TieredChild,
  readers: TieredChild[],
  ns: string,
  from: number,
  to: number,
  block: boolean,
): Promise<string[]> {
  const stale: string[] = [];
  for (let i = from; i < to; i++) {
    const key = `k${i}`;
    const tags = [`t${i}`, 'shared'];
    for (const r of readers) {
      const held = await r.request<ReadReply>({ op: 'fill', ns, key, tags, payload: `"v${i}"` });
      if (held.source !== 'l1')
        throw new Error(`iteration ${i}: reader ${r.pid} did not hold the entry in L1 (${held.source})`);
    }
    // A reader busy for a while (its event loop blocked) cannot apply the message before A's await resolves.
    if (block) await readers[0]!.request({ op: 'block', ms: 150 });
    await a.request({ op: 'invalidate', ns, tags: [`t${i}`] });
    for (const r of readers) {
      const after = await r.request<ReadReply>({ op: 'read', ns, key });
      if (after.source !== 'miss') stale.push(`iteration ${i}: process ${r.pid} served ${after.source}`);
    }
  }
  return stale;
}

function describeGuarantee(name: string, target: () => Target): void {
  describe(`tiered store over ${name}: three processes`, () => {
    let children: TieredChild[] = [];
    const prefix = uniqueNamespace('tiered').replace(':', '-');
    beforeAll(async () => {
      children = await startTieredChildren(3, { ...target(), prefix, lease: LEASE, coherence: 'strict' });
    }, 60_000);
    afterAll(() => Promise.all(children.map((c) => c.close())));

    it(`after A's invalidation resolves, B and C miss: ${ITERATIONS} iterations, 0 stale`, async () => {
      const [a, b, c] = children as [TieredChild, TieredChild, TieredChild];
      const ns = uniqueNamespace('g');
      expect(await staleReads(a, [b, c], ns, 0, ITERATIONS, false)).toEqual([]);
    }, 60_000);

    it('holds when a reader is busy while the invalidation is published', async () => {
      const [a, b, c] = children as [TieredChild, TieredChild, TieredChild];
      const ns = uniqueNamespace('g');
      expect(await staleReads(a, [b, c], ns, 0, 5, true)).toEqual([]);
    }, 30_000);

    it('a key delete and an unconditional set in A reach the other tiers before they resolve', async () => {
      const [a, b, c] = children as [TieredChild, TieredChild, TieredChild];
      const ns = uniqueNamespace('g');
      for (const r of [b, c])
        expect(
          (await r.request<ReadReply>({ op: 'fill', ns, key: 'd', tags: [], payload: '"old"' })).source,
        ).toBe('l1');
      await b.request({ op: 'block', ms: 150 });
      await a.request({ op: 'delete', ns, keys: ['d'] });
      for (const r of [b, c])
        expect((await r.request<ReadReply>({ op: 'read', ns, key: 'd' })).source).toBe('miss');
      for (const r of [b, c])
        await r.request<ReadReply>({ op: 'fill', ns, key: 's', tags: [], payload: '"old"' });
      await b.request({ op: 'block', ms: 150 });
      await a.request({ op: 'set', ns, key: 's', tags: [], payload: '"new"' });
      for (const r of [b, c])
        expect((await r.request<ReadReply>({ op: 'read', ns, key: 's' })).payload).toBe('"new"');
    }, 30_000);

    it("cache.delete, cache.expire and cache.setMany in A reach the other tiers' L1 before they resolve", async () => {
      const [a, b, c] = children as [TieredChild, TieredChild, TieredChild];
      const ns = uniqueNamespace('kv');
      const cacheOp = (child: TieredChild, method: string, ...args: unknown[]): Promise<unknown> =>
        child.request({ op: 'cache', ns, method, args });
      await cacheOp(a, 'setMany', [
        { key: 'gone', value: 'old' },
        { key: 'short', value: 'old', ttl: '1h' },
        { key: 'many', value: 'old' },
      ]);
      for (const r of [b, c])
        for (const key of ['gone', 'short', 'many']) {
          await r.request<ReadReply>({ op: 'read', ns, key: `1:${key}` }); // fills L1 from L2
          expect((await r.request<ReadReply>({ op: 'read', ns, key: `1:${key}` })).source).toBe('l1');
        }
      await b.request({ op: 'block', ms: 150 }); // B cannot apply the messages before A's calls return
      expect(await cacheOp(a, 'delete', 'gone')).toBe(1);
      expect(await cacheOp(a, 'expire', 'short', '2s')).toBe(true);
      await cacheOp(a, 'setMany', [{ key: 'many', value: 'new' }]);
      for (const r of [b, c]) {
        expect(await cacheOp(r, 'get', 'gone')).toBeNull();
        const short = await r.request<ReadReply>({ op: 'read', ns, key: '1:short' });
        expect(short.source).toBe('l2'); // not the L1 copy with an hour left
        expect(short.ttl).toBeLessThanOrEqual(2000);
        expect(await cacheOp(r, 'get', 'many')).toBe('new');
      }
    }, 30_000);

    it('a process stopped (SIGSTOP) holds an invalidation up at most about a lease, and never serves the entry after SIGCONT', async () => {
      const [a, b, c] = children as [TieredChild, TieredChild, TieredChild];
      const ns = uniqueNamespace('stop');
      for (const r of [b, c])
        expect(
          (await r.request<ReadReply>({ op: 'fill', ns, key: 'k', tags: ['t'], payload: '"v"' })).source,
        ).toBe('l1');
      b.signal('SIGSTOP');
      try {
        const { ms } = await a.request<{ ms: number }>({ op: 'invalidate', ns, tags: ['t'] });
        expect(ms).toBeLessThan(LEASE + 2000);
        expect((await c.request<ReadReply>({ op: 'read', ns, key: 'k' })).source).toBe('miss');
      } finally {
        b.signal('SIGCONT');
      }
      expect((await b.request<ReadReply>({ op: 'read', ns, key: 'k' })).source).toBe('miss');
      expect(await b.request<boolean>({ op: 'serving' })).toBe(true);
    }, 30_000);
  });
}

describeGuarantee('Redis', () => ({ url: testRedisUrl() }));
describeGuarantee('Redis Cluster', () => ({ nodes: testClusterNodes() }));
