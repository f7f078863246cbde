/**
 * Memory hit, serial: every subject holds the same 256 keys in process memory and serves them
 * one call after another.
 */
import { countingLoader, KEYS } from '../lib/fixtures.js';
import { runIsolated } from '../lib/isolate.js';
import { measure, serialLoop, syncLoop } from '../lib/measure.js';
import type { Group, Row } from '../lib/results.js';
import { inRounds } from '../lib/rounds.js';
import type { Subject } from '../lib/subject.js';
import { makeSubject, memoryHitSubjects, type MemorySubjectId } from '../peers/registry.js';

const BUDGET = { time: 1000, warmupTime: 300 };
const BATCH = KEYS.length;

/** Fills the subject with every key (one loader run each). */
export async function warm(subject: Subject, keys: readonly string[] = KEYS): Promise<void> {
  for (const key of keys) await subject.get(key);
}

/**
 * Measures one subject (in a worker process).
 *
 * @example
 * ```ts
 * const row = await measureMemoryHit('tagcache-memory-3tags');
 * ```
 */
export async function measureMemoryHit(id: MemorySubjectId): Promise<Row> {
  const load = countingLoader();
  const subject = await makeSubject(id, { url: '', space: 'mem' }, load);
  try {
    await warm(subject);
    const before = load.runs();
    const iteration = subject.getSync
      ? syncLoop(subject.getSync, KEYS, BATCH)
      : serialLoop((k) => subject.get(k), KEYS, BATCH);
    const m = await measure(subject.name, iteration, BATCH, BUDGET);
    return { ...m, role: subject.role, unexpectedRuns: load.runs() - before };
  } finally {
    await subject.close();
  }
}

/**
 * Runs the memory-hit group, each subject in its own processes.
 *
 * @example
 * ```ts
 * const group = await memoryHit(3, console.log);
 * ```
 */
export async function memoryHit(rounds: number, log: (line: string) => void): Promise<Group> {
  const rows = await inRounds(memoryHitSubjects(), rounds, async (id, r) => {
    const { row } = await runIsolated({ kind: 'memory-hit', id });
    log(`  [${r + 1}/${rounds}] ${row.name}: ${Math.round(row.opsPerSec).toLocaleString('en-US')} ops/s`);
    return row;
  });
  return {
    id: 'memory-hit',
    title: 'Memory hit, serial (1 KB value, 256 keys)',
    baseline: 'lru-cache (bare)',
    latencyLabel: 'µs/call',
    rows,
  };
}
