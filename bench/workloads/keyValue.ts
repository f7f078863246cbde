/**
 * Key-value workloads: `getOrSet` hits, serial, in memory and on Redis; a read of 100 keys at
 * once on Redis. Each subject runs in a fresh process (bench/worker.ts) per round, on 256 warm
 * keys; ratios are against tagcache.
 */
import { KEYS } from '../lib/fixtures.js';
import { runIsolated } from '../lib/isolate.js';
import { measure, serialLoop } from '../lib/measure.js';
import type { Group, Row } from '../lib/results.js';
import { inRounds } from '../lib/rounds.js';
import { bentoKv, cacheManagerKv, tagcacheKv, type KeyValueSubject } from '../peers/keyValue.js';

/** Half the budget of the main tables: these tables are secondary (the run must stay near 8 minutes). */
const BUDGET = { time: 500, warmupTime: 200 };
const MANY = 100;

/** The key-value subjects. */
export type KvSubjectId = 'tagcache' | 'bentocache' | 'cache-manager';
const SUBJECTS: readonly KvSubjectId[] = ['tagcache', 'bentocache', 'cache-manager'];

/** The key-value workloads, one table each. */
export type KvWorkload = 'get-or-set-memory' | 'get-or-set-redis' | 'get-many-redis';

const TITLES: Readonly<Record<KvWorkload, string>> = {
  'get-or-set-memory': 'Key-value API: getOrSet hit, serial, memory',
  'get-or-set-redis': 'Key-value API: getOrSet hit, serial, Redis (no memory tier)',
  'get-many-redis': `Key-value API: getMany of ${MANY} keys, serial, Redis (bentocache: ${MANY} get calls at once)`,
};

function subject(id: KvSubjectId, url: string | undefined, space: string): Promise<KeyValueSubject> {
  switch (id) {
    case 'tagcache':
      return Promise.resolve(tagcacheKv(url, space + ':tc'));
    case 'bentocache':
      return bentoKv(url, space + ':bento');
    case 'cache-manager':
      return Promise.resolve(cacheManagerKv(url, space + ':cm'));
  }
}

async function getOrSetHits(s: KeyValueSubject): Promise<Row> {
  for (const key of KEYS) await s.getOrSet(key);
  const m = await measure(
    s.name,
    serialLoop((k) => s.getOrSet(k), KEYS, KEYS.length),
    KEYS.length,
    BUDGET,
  );
  return { ...m, role: s.name.startsWith('tagcache') ? 'tagcache' : 'peer' };
}

async function manyReads(s: KeyValueSubject): Promise<Row> {
  const pages = Array.from({ length: KEYS.length / 2 }, (_, i) =>
    Array.from({ length: MANY }, (_, j) => KEYS[(i + j) % KEYS.length] as string),
  );
  await s.setMany(KEYS);
  let next = 0;
  const iteration = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) {
      const values = await s.getMany(pages[next] as string[]);
      if (values.length !== MANY || values.some((v) => v === undefined))
        throw new Error(`${s.name}: getMany missed`);
      next = (next + 1) % pages.length;
    }
  };
  const m = await measure(s.name, iteration, 10, BUDGET);
  return { ...m, role: s.name.startsWith('tagcache') ? 'tagcache' : 'peer' };
}

/**
 * Measures one key-value subject on one workload (in a worker process).
 *
 * @example
 * ```ts
 * const row = await measureKv('tagcache', 'get-many-redis', url);
 * ```
 */
export async function measureKv(id: KvSubjectId, workload: KvWorkload, url: string): Promise<Row> {
  const s = await subject(
    id,
    workload === 'get-or-set-memory' ? undefined : url,
    `kv-${workload}-${process.pid}`,
  );
  try {
    await s.ready();
    return workload === 'get-many-redis' ? await manyReads(s) : await getOrSetHits(s);
  } finally {
    await s.close();
  }
}

/**
 * Runs the key-value workloads, each subject in its own processes, `rounds` times: one group per
 * workload, with ratios to tagcache.
 *
 * @example
 * ```ts
 * const groups = await keyValue('redis://127.0.0.1:6390', 3, console.log);
 * ```
 */
export async function keyValue(url: string, rounds: number, log: (line: string) => void): Promise<Group[]> {
  const groups: Group[] = [];
  for (const workload of Object.keys(TITLES) as KvWorkload[]) {
    log(`  ${TITLES[workload]}`);
    const rows = await inRounds(SUBJECTS, rounds, async (id, r) => {
      const { row } = await runIsolated({ kind: 'kv', id, workload, url });
      log(`  [${r + 1}/${rounds}] ${row.name}: ${Math.round(row.opsPerSec).toLocaleString('en-US')} ops/s`);
      return row;
    });
    groups.push({
      id: `kv-${workload}`,
      title: TITLES[workload],
      baseline: rows[0]!.name,
      latencyLabel: workload === 'get-many-redis' ? `µs per getMany of ${MANY}` : 'µs/call',
      rows,
    });
  }
  return groups;
}
