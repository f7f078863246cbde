// Tiered store (docs/tiered.md): a memory tier in front of Redis, coherent across processes.
// Two stores stand for two processes here; each has its own memory tier and bus connections.
import { createCache, withCache, invalidateTag } from '../../lib/index.js';
import { redisStore, tieredStore } from '../../lib/redis.js';

export async function main(url: string, prefix = 'docs'): Promise<string[]> {
  const lines: string[] = [];
  const processes = ['web-1', 'web-2'].map((name) => {
    const store = tieredStore({
      l2: redisStore({ url }),
      bus: { url },
      prefix,
      lease: '1s',
      l1: { maxEntries: 10_000 },
    });
    // The cache timeout bounds every store call, invalidations included: keep it above the lease
    // so that a strict invalidation can wait out a process that stopped answering.
    const cache = createCache({ store, namespace: 'shop', timeout: '3s', logger: false });
    let queries = 0;
    const getProduct = withCache(
      async function getProduct(id: number) {
        queries += 1;
        return { id, name: `product ${id}`, queries };
      },
      { cache, tags: (id) => [`product:${id}`] },
    );
    return { name, store, cache, getProduct };
  });
  const [web1, web2] = processes as [(typeof processes)[0], (typeof processes)[0]];
  await web1.getProduct(1); // web-1 computes it; Redis and its memory tier hold it
  await web2.getProduct(1); // web-2 reads it from Redis once...
  const p = await web2.getProduct(1); // ...then from its memory tier (no Redis command)
  lines.push(`web-2 sees the query of web-1: ${p.queries === 1}`);
  await invalidateTag('product:1', { cache: web1.cache }); // resolves once web-2 dropped its copy
  const after = await web2.getProduct(1);
  lines.push(`web-2 runs the function right after: ${after.queries === 1 && after !== p}`);
  for (const w of processes) await w.cache.close();
  return lines;
}
