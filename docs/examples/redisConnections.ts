// docs/redis.md, "Connections, readiness and shutdown".
import { createCache, withCache } from '../../lib/index.js';
import { redisStore } from '../../lib/redis.js';

export async function main(url: string): Promise<string[]> {
  const lines: string[] = [];
  // Fail fast at start-up: ready() connects now and rejects with the real cause.
  const wrong = redisStore({ url: url.replace(/\/\/(:[^@]*@)?/, '//:not-the-password@') });
  await wrong.ready().catch((e: Error) => lines.push(`not ready: ${e.message}`));
  await wrong.close();

  const store = redisStore({ url }, { closeTimeout: '3s' });
  await store.ready();
  lines.push(`owns its client: ${store.ownsClient}`);
  const cache = createCache({ store, namespace: 'docs-connections' });
  const square = withCache(async (n: number) => n * n, { cache, name: 'square' });
  lines.push(`square(12) = ${await square(12)}`);
  // On shutdown: pending commands get up to closeTimeout to answer, then they are dropped.
  await cache.close();
  return lines;
}
