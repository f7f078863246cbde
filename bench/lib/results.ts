/**
 * The shapes of everything a run measures, shared by the workloads, the console table and the
 * results page.
 */
import type { Measurement } from './measure.js';
import type { Role } from './subject.js';

/** One measured subject in a throughput group. */
export interface Row extends Measurement {
  readonly role: Role;
  /** Loader runs during the measured hits (0 when every call was a hit). */
  readonly unexpectedRuns?: number;
}

/** A throughput workload: rows compared with one baseline row. */
export interface Group {
  readonly id: 'memory-hit' | 'redis-hit-serial' | 'redis-hit-50' | 'redis-miss';
  readonly title: string;
  /** Name of the row the ratios are relative to. */
  readonly baseline: string;
  /** What the latency column means. */
  readonly latencyLabel: string;
  readonly rows: readonly Row[];
}

/** Commands sent per hit (MONITOR, script-internal commands excluded). */
export interface CommandsPerHit {
  readonly name: string;
  readonly perHit: number;
  /** e.g. `evalsha ×1` */
  readonly detail: string;
}

/** One tag invalidation. */
export interface InvalidationResult {
  readonly name: string;
  readonly entries: number;
  readonly ms: number;
  readonly commands: number;
  readonly commandDetail: string;
  readonly memoryBefore: number;
  readonly memoryAfter: number;
  /** Sampled entries that ran the function again after the invalidation / sampled. */
  readonly verified: string;
  readonly setupMs: number;
}

/** One stampede case, repeated on fresh keys. */
export interface StampedeResult {
  readonly name: string;
  readonly processes: 1 | 2;
  readonly callers: number;
  /** Function runs of each repetition. */
  readonly runs: readonly number[];
  /** Median time until every caller had its value. */
  readonly ms: number;
  /** Callers that got a wrong or missing value, over all repetitions. */
  readonly wrong: number;
  /** Redis commands sent during each repetition's storm (MONITOR; absent in older results). */
  readonly commands?: readonly number[];
}

/** A goal of issue 6 and whether this run met it. */
export interface Goal {
  readonly goal: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly redis: string;
  readonly redisUrl: string;
  /** CPU pinning of Redis and the measuring processes. */
  readonly placement: string;
}

export interface Results {
  readonly startedAt: string;
  readonly durationSec: number;
  /** Rounds of each throughput measurement (the median round is kept). */
  readonly rounds: { readonly memory: number; readonly redis: number };
  readonly machine: MachineInfo;
  readonly versions: Readonly<Record<string, string>>;
  /** Commit of the measured tagcache sources. */
  readonly revision: string;
  /** Short commit of the older revision measured beside them (BENCH_BASELINE), if any. */
  readonly baseline?: string;
  readonly groups: readonly Group[];
  readonly commandsPerHit: readonly CommandsPerHit[];
  readonly invalidation: readonly InvalidationResult[];
  readonly stampede: readonly StampedeResult[];
  readonly goals: readonly Goal[];
}
