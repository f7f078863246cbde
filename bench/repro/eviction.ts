/**
 * Issue 10's eviction table: for every `maxmemory-policy`, a throwaway redis-server with
 * `maxmemory 4mb`, 300 invalidated entries per round, about 1.25× maxmemory of other keys written
 * per round, 8 rounds (2,400 re-reads); prints the stale re-reads per policy. Each policy runs on
 * its own server, one after the other.
 *
 *   npx tsx bench/repro/eviction.ts            (a markdown table)
 */
import * as tagcache from '../../lib/index.js';
import { startRedisServer } from '../../__tests__/setup/redisServers.js';
import {
  EVICTION_POLICIES,
  runEvictionScenario,
  type ScenarioLib,
} from '../../__tests__/setup/evictionScenario.js';
import { runMain } from '../lib/runMain.js';

async function main(): Promise<void> {
  const lib = tagcache as unknown as ScenarioLib;
  console.log(
    '| policy | re-reads | stale | recomputed | store errors | failed invalidations | evicted keys |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const policy of EVICTION_POLICIES) {
    const server = await startRedisServer();
    try {
      const r = await runEvictionScenario(
        server.url,
        { policy, maxmemoryBytes: 4 * 1024 * 1024, entries: 300, rounds: 8, fillFactor: 1.25, padBytes: 200 },
        lib,
      );
      console.log(
        `| ${policy} | ${r.reads} | ${r.stale} | ${r.recomputed} | ${r.storeErrors} | ${r.failedInvalidations} | ${r.evictedKeys} |`,
      );
    } finally {
      await server.destroy();
    }
  }
}

runMain(main);
