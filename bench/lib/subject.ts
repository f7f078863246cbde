/**
 * What a workload drives: one library (or a bare baseline) configured to cache the fixture
 * values, behind one small interface.
 */
import type { Loader } from './fixtures.js';

/**
 * Baselines set the ceiling; peers are the alternatives a user would choose; `revision` is
 * tagcache of an older commit (BENCH_BASELINE), measured beside the current sources.
 */
export type Role = 'baseline' | 'tagcache' | 'peer' | 'revision';

export interface Subject {
  readonly name: string;
  readonly role: Role;
  /** Reads `key` through the cache, running the loader on a miss and storing its result. */
  get(key: string): Promise<unknown>;
  /**
   * Timers must run between batches of hits (the tiered stores renew their lease on the event
   * loop): the hit loop then yields (`setImmediate`) after each batch, as a server does between
   * requests.
   */
  readonly yields?: boolean;
  /** Synchronous read, for the bare in-memory baselines only. */
  readonly getSync?: (key: string) => unknown;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** Builds a subject around a loader (so that workloads can count function runs). */
export type SubjectFactory = (load: Loader) => Subject | Promise<Subject>;

/** A named factory, so that a child process can rebuild the same subject. */
export interface SubjectSpec {
  readonly name: string;
  readonly role: Role;
  readonly make: SubjectFactory;
}

/** One hour, in ms: entries never expire during a run. */
export const TTL_MS = 3_600_000;
