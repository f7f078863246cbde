/**
 * Key-value workloads (`BENCH_ONLY=kv`): `getOrSet` hits, serial, in memory and on Redis; a read
 * of 100 keys at once on Redis. Each subject runs in this process, one after the other, on 256
 * warm keys; ratios are against tagcache.
 */
import { KEYS } from '../lib/fixtures.js';
import { measure, serialLoop } from '../lib/measure.js';
import { bentoKv, cacheManagerKv, tagcacheKv, type KeyValueSubject } from '../peers/keyValue.js';

const BUDGET = { time: 1000, warmupTime: 300 };
const MANY = 100;

/** One measured row. */
export interface KvRow {
  readonly workload: string;
  readonly name: string;
  readonly opsPerSec: number;
  readonly latencyUs: number;
}

async function subjects(url: string | undefined, space: string): Promise<KeyValueSubject[]> {
  return [
    tagcacheKv(url, space + ':tc'),
    await bentoKv(url, space + ':bento'),
    cacheManagerKv(url, space + ':cm'),
  ];
}

async function getOrSetHits(url: string | undefined): Promise<KvRow[]> {
  const rows: KvRow[] = [];
  for (const s of await subjects(url, `kv-gos-${process.pid}`)) {
    try {
      await s.ready();
      for (const key of KEYS) await s.getOrSet(key);
      const m = await measure(
        s.name,
        serialLoop((k) => s.getOrSet(k), KEYS, KEYS.length),
        KEYS.length,
        BUDGET,
      );
      rows.push({
        workload: `getOrSet hit, serial, ${url ? 'Redis' : 'memory'}`,
        name: s.name,
        opsPerSec: m.opsPerSec,
        latencyUs: m.latencyUs,
      });
    } finally {
      await s.close();
    }
  }
  return rows;
}

async function manyReads(url: string): Promise<KvRow[]> {
  const rows: KvRow[] = [];
  const pages = Array.from({ length: KEYS.length / 2 }, (_, i) =>
    Array.from({ length: MANY }, (_, j) => KEYS[(i + j) % KEYS.length] as string),
  );
  for (const s of await subjects(url, `kv-many-${process.pid}`)) {
    try {
      await s.ready();
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
      rows.push({
        workload: `getMany of ${MANY} keys, serial, Redis`,
        name: s.name,
        opsPerSec: m.opsPerSec,
        latencyUs: m.latencyUs,
      });
    } finally {
      await s.close();
    }
  }
  return rows;
}

/**
 * Runs the key-value workloads and prints a table with ratios to tagcache.
 *
 * @example
 * ```ts
 * const rows = await keyValue('redis://127.0.0.1:6390', console.log);
 * ```
 */
export async function keyValue(url: string, log: (line: string) => void): Promise<KvRow[]> {
  const rows = [...(await getOrSetHits(undefined)), ...(await getOrSetHits(url)), ...(await manyReads(url))];
  for (const workload of [...new Set(rows.map((r) => r.workload))]) {
    const group = rows.filter((r) => r.workload === workload);
    const base = group.find((r) => r.name.startsWith('tagcache'))?.opsPerSec ?? 1;
    log(`\n  ${workload}`);
    for (const r of group) {
      const ops = Math.round(r.opsPerSec).toLocaleString('en-US').padStart(12);
      log(
        `    ${r.name.padEnd(28)} ${ops} ops/s  ${r.latencyUs.toFixed(1).padStart(8)} µs/op  ×${(r.opsPerSec / base).toFixed(2)} of tagcache`,
      );
    }
  }
  return rows;
}
