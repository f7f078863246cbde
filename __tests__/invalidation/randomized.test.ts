import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStore, memoryStore, type Store } from '../../lib/index.js';
import { checkHistories } from '../setup/historyCheck.js';
import { testClusterStore, testRedisStore } from '../setup/testStores.js';

/**
 * Interleaves cached reads of every kind, database writes and invalidations in random orders
 * (fast-check's scheduler decides when each awaited step resumes) and checks the guarantee: a
 * call that starts after an invalidation resolved never returns a value older than the database
 * at that moment. Same histories on every store; see `randomizedDisrupted.test.ts` for eviction,
 * FLUSHALL and restarts.
 */
describe('randomized histories: never a value older than the last resolved invalidation', () => {
  it('memory store', async () => {
    await checkHistories(memoryStore(), 200);
  });

  it('file store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagcache-history-'));
    const store = fileStore({ dir });
    try {
      await checkHistories(store, 20);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const remote: Array<[string, () => Store]> = [
    ['Redis', () => testRedisStore()],
    ['Redis Cluster (64 groups)', () => testClusterStore()],
  ];
  for (const [name, make] of remote) {
    it(name, async () => {
      const store = make();
      try {
        await checkHistories(store, name === 'Redis' ? 30 : 20);
      } finally {
        await store.close();
      }
    });
  }
});
