/**
 * Memory hit, serial: every subject holds the same 256 keys in process memory and serves them
 * one call after another. The tiered subjects (tagcache's tiered store, bentocache's memory +
 * redis + bus tier) serve them from their memory tier in front of Redis; their loop yields to the
 * event loop after each batch of 256 hits, so that lease renewals run as they would in a server.
 */
import { performance } from 'node:perf_hooks';
import { commandCounter } from '../lib/commandCounter.js';
import { countingLoader, KEYS } from '../lib/fixtures.js';
import { runIsolated } from '../lib/isolate.js';
import { measure, serialLoop, syncLoop } from '../lib/measure.js';
import type { CommandsPerHit, Group, Row } from '../lib/results.js';
import { inRounds } from '../lib/rounds.js';
import type { Subject } from '../lib/subject.js';
import { makeSubject, memoryHitSubjects, type MemorySubjectId } from '../peers/registry.js';

const BUDGET = { time: 1000, warmupTime: 300 };
const BATCH = KEYS.length;
/** Memory-tier hits counted with MONITOR (in batches of 256, yielding between batches). */
const COUNTED_HITS = 2560;

/** Fills the subject with every key (one loader run each). */
export async function warm(subject: Subject, keys: readonly string[] = KEYS): Promise<void> {
  for (const key of keys) await subject.get(key);
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The subject's hit loop: synchronous, serial, or serial yielding after each batch. */
function hitLoop(subject: Subject): () => unknown {
  if (subject.getSync) return syncLoop(subject.getSync, KEYS, BATCH);
  const serial = serialLoop((k) => subject.get(k), KEYS, BATCH);
  if (!subject.yields) return serial;
  return async () => {
    await serial();
    await nextTurn();
  };
}

/**
 * Measures one subject (in a worker process); `url` is the Redis of the tiered subjects.
 *
 * @example
 * ```ts
 * const row = await measureMemoryHit('tagcache-memory-3tags', '');
 * ```
 */
export async function measureMemoryHit(id: MemorySubjectId, url: string): Promise<Row> {
  const load = countingLoader();
  const subject = await makeSubject(id, { url, space: 'mem' }, load);
  try {
    await warm(subject);
    const before = load.runs();
    const m = await measure(subject.name, hitLoop(subject), BATCH, BUDGET);
    return { ...m, role: subject.role, unexpectedRuns: load.runs() - before };
  } finally {
    await subject.close();
  }
}

/**
 * Counts the Redis commands per memory-tier hit of a tiered subject (in a worker process), over
 * {@link COUNTED_HITS} warm hits, lease renewals and bus traffic included.
 *
 * @example
 * ```ts
 * const c = await l1CommandsPerHit('tagcache-tiered-3tags', url);
 * ```
 */
export async function l1CommandsPerHit(id: MemorySubjectId, url: string): Promise<CommandsPerHit> {
  const subject = await makeSubject(id, { url, space: 'mem-count' }, countingLoader());
  const counter = await commandCounter(url);
  try {
    await warm(subject);
    await warm(subject);
    const loop = hitLoop(subject);
    let windowMs = 0;
    const c = await counter.count(async () => {
      const t0 = performance.now();
      for (let i = 0; i < COUNTED_HITS / BATCH; i++) await loop();
      windowMs = performance.now() - t0;
    });
    const detail = [...c.byCommand].map(([cmd, n]) => `${cmd} ×${n}`).join(', ');
    return {
      name: subject.name,
      perHit: c.total / COUNTED_HITS,
      detail: `${c.total} in ${COUNTED_HITS.toLocaleString('en-US')} hits over ${Math.round(windowMs)} ms${detail ? `: ${detail}` : ''}`,
      total: c.total,
      windowMs,
    };
  } finally {
    await counter.close();
    await subject.close();
  }
}

/**
 * Runs the memory-hit group, each subject in its own processes.
 *
 * @example
 * ```ts
 * const group = await memoryHit(redis.url, 3, console.log);
 * ```
 */
export async function memoryHit(url: string, rounds: number, log: (line: string) => void): Promise<Group> {
  const rows = await inRounds(memoryHitSubjects(), rounds, async (id, r) => {
    const { row } = await runIsolated({ kind: 'memory-hit', id, url });
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
