/**
 * The store contract suite on the tiered store over Redis and over Redis Cluster (each case gets a
 * store that already serves its memory tier, so fills and L1 hits take part).
 */
import { describeStoreContract } from '../../../lib/testing/index.js';
import { servingTiered, uniquePrefix } from './testTiered.js';

const PREFIX = uniquePrefix();
describeStoreContract('tieredStore over redisStore', () => servingTiered(false, { prefix: PREFIX }), {
  capabilities: { lock: true, keyValue: true, freshEntry: true },
});
describeStoreContract('tieredStore over redisClusterStore', () => servingTiered(true, { prefix: PREFIX }), {
  capabilities: { lock: true, keyValue: true, freshEntry: true },
});
