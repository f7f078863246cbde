import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStore } from '../../lib/stores/fileStore.js';
import { memoryStore } from '../../lib/stores/memoryStore.js';
import { describeStoreContract } from '../../lib/testing/index.js';
import { testClusterStore, testRedisStore } from '../setup/testStores.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describeStoreContract('memoryStore', () => memoryStore(), {
  capabilities: { keyValue: true, freshEntry: true },
});

describeStoreContract(
  'fileStore',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagcache-contract-'));
    dirs.push(dir);
    return fileStore({ dir });
  },
  { capabilities: { keyValue: true } },
);

describeStoreContract('redisStore', () => testRedisStore(), {
  capabilities: { lock: true, keyValue: true, readInto: true },
});

describeStoreContract('redisStore with 8 groups', () => testRedisStore({ groups: 8 }), {
  capabilities: { lock: true, keyValue: true, readInto: true },
});

describeStoreContract('redisClusterStore', () => testClusterStore(), {
  capabilities: { lock: true, keyValue: true, readInto: true },
});
