/**
 * The key-value API and batches (docs/key-value.md). Run: `npx tsx docs/examples/keyValue.ts`.
 */
import {
  createCache,
  invalidateTag,
  memoryStore,
  withBatch,
  withCache,
  withInvalidation,
} from '../../lib/index.js';

/** Runs the example and returns what it printed. */
export async function main(): Promise<string[]> {
  const out: string[] = [];
  const cache = createCache({ store: memoryStore(), namespace: 'docs-kv', ttl: '10m', logger: false });

  // By key: set, get, ttl, keys, deletePattern
  await cache.set('config', { theme: 'dark' }, { ttl: '1h', tags: ['config'] });
  await cache.setMany([
    { key: 'user:1', value: { id: 1, name: 'Ada' }, tags: ['user:1'] },
    { key: 'user:2', value: { id: 2, name: 'Bob' }, tags: ['user:2'] },
  ]);
  out.push(`config: ${JSON.stringify(await cache.get('config'))}`);
  out.push(
    `users: ${(await cache.getMany<{ name: string }>(['user:1', 'user:2', 'user:3'])).map((u) => u?.name ?? '-').join(',')}`,
  );
  const keys: string[] = [];
  for await (const k of cache.keys('user:*')) keys.push(k);
  out.push(`keys: ${keys.sort().join(',')}`);
  await invalidateTag('user:1', { cache });
  out.push(`after invalidateTag: ${await cache.has('user:1')}`);
  out.push(`deleted: ${await cache.deletePattern('user:*')}`);

  // getOrSet: the withCache call path for one key
  let queries = 0;
  const loadStats = async () => ({ visits: ++queries });
  await cache.getOrSet('stats', loadStats, { ttl: '1m', tags: ['stats'] });
  await cache.getOrSet('stats', loadStats, { ttl: '1m', tags: ['stats'] });
  out.push(`stats queries: ${queries}`);

  // One keyspace with wrapped functions
  let runs = 0;
  const getUser = withCache(
    async function getUser(id: number) {
      runs += 1;
      return { id, runs };
    },
    { cache },
  );
  await getUser(1);
  out.push(`cache.get(getUser.keyOf(1)): ${JSON.stringify(await cache.get(getUser.keyOf(1)))}`);
  await cache.delete(getUser.keyOf(1));
  await getUser(1);
  await getUser.invalidateAll();
  await getUser(1);
  out.push(`getUser runs: ${runs}`);

  // Evict by key and pattern after a write
  const saveUser = withInvalidation(async (id: number) => ({ id }), {
    cache,
    keys: (id) => [getUser.keyOf(id)],
    patterns: ['users:page:*'],
  });
  await cache.set('users:page:1', [1, 2]);
  await saveUser(1);
  out.push(`page after save: ${await cache.get('users:page:1')}`);

  // Batches: one store read, one call with the missing ids
  const calls: number[][] = [];
  const users = withBatch(
    async function userById(ids: readonly number[]) {
      calls.push([...ids]);
      return new Map(ids.map((id) => [id, { id }]));
    },
    { cache, tags: (id) => [`user:${id}`] },
  );
  await users.many([1, 2]);
  await users.many([1, 2, 3]);
  await Promise.all([users(4), users(5)]);
  out.push(`batch calls: ${JSON.stringify(calls)}`);
  await cache.close();
  return out;
}

if (process.argv[1]?.endsWith('keyValue.ts')) void main().then((lines) => console.log(lines.join('\n')));
