import * as tagcache from '../../lib/index.js';
import { EVICTION_POLICIES, runEvictionScenario, type ScenarioLib } from '../setup/evictionScenario.js';
import { startRedisServer } from '../setup/redisServers.js';

/**
 * Issue 10, item 1, scaled down: under every `maxmemory-policy`, invalidated entries, memory
 * filled past the limit, re-reads. Eviction may cost misses, never a stale read. (The issue's
 * scale: `npx tsx bench/repro/eviction.ts`.) The eight servers run at once.
 */
describe('redisStore under every maxmemory-policy', () => {
  it('serves no stale value after its bookkeeping was evicted', async () => {
    const results = await Promise.all(
      EVICTION_POLICIES.map(async (policy) => {
        const server = await startRedisServer();
        try {
          return await runEvictionScenario(
            server.url,
            {
              policy,
              maxmemoryBytes: 2 * 1024 * 1024,
              entries: 80,
              rounds: 2,
              fillFactor: 1.25,
              padBytes: 200,
            },
            tagcache as unknown as ScenarioLib,
          );
        } finally {
          await server.destroy();
        }
      }),
    );
    expect(results.map((r) => [r.policy, r.stale])).toEqual(EVICTION_POLICIES.map((p) => [p, 0]));
    for (const r of results) expect(r.reads).toBe(160);
    expect(results.filter((r) => r.policy !== 'noeviction').every((r) => r.evictedKeys > 0)).toBe(true);
  }, 60_000);
});
