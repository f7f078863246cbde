/**
 * Miss + write on Redis, serial: every call is on a key never seen, so the subject reads, runs
 * the loader and stores the result.
 */
import { randomUUID } from 'node:crypto';
import { countingLoader } from '../lib/fixtures.js';
import { runIsolated } from '../lib/isolate.js';
import { measure } from '../lib/measure.js';
import type { Group, Row } from '../lib/results.js';
import { inRounds } from '../lib/rounds.js';
import { makeSubject, REDIS_COMPARED, type RedisSubjectId } from '../peers/registry.js';

const BUDGET = { time: 1000, warmupTime: 300 };
const BATCH = 16;
const SUBJECTS = REDIS_COMPARED;

/**
 * Measures one subject (in a worker process).
 *
 * @example
 * ```ts
 * const row = await measureRedisMiss('tagcache-3tags', url);
 * ```
 */
export async function measureRedisMiss(id: RedisSubjectId, url: string): Promise<Row> {
  const load = countingLoader();
  const subject = await makeSubject(id, { url, space: 'miss' }, load);
  const run = randomUUID().slice(0, 8);
  let n = 0;
  try {
    const iteration = async (): Promise<void> => {
      for (let i = 0; i < BATCH; i++) await subject.get(`item:${run}-${n++}`);
    };
    const m = await measure(subject.name, iteration, BATCH, BUDGET);
    // Every call must have run the loader; a call that did not was not a miss.
    return { ...m, role: subject.role, unexpectedRuns: n - load.runs() };
  } finally {
    await subject.close();
  }
}

/**
 * Runs the miss + write group, each subject in its own processes, `rounds` times.
 *
 * @example
 * ```ts
 * const group = await missWrite(url, 3, console.log);
 * ```
 */
export async function missWrite(url: string, rounds: number, log: (line: string) => void): Promise<Group> {
  const rows = await inRounds(SUBJECTS, rounds, async (id, r) => {
    const { row } = await runIsolated({ kind: 'redis-miss', id, url });
    log(`  [${r + 1}/${rounds}] ${row.name}: ${Math.round(row.opsPerSec).toLocaleString('en-US')} ops/s`);
    return row;
  });
  return {
    id: 'redis-miss',
    title: 'Miss + write on Redis, serial',
    baseline: rows[1]!.name,
    latencyLabel: 'µs/call',
    rows,
  };
}
