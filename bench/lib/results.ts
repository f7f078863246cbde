/**
 * The shapes of everything a run measures, shared by the workloads, the console table and the
 * results page.
 */
import type { PairResult } from './pairs.js';
import type { Measurement } from './measure.js';
import type { Role } from './subject.js';
import type { KvWorkload } from '../workloads/keyValue.js';

/** One measured subject in a throughput group. */
export interface Row extends Measurement {
  readonly role: Role;
  /** Loader runs during the measured hits (0 when every call was a hit). */
  readonly unexpectedRuns?: number;
}

/** A throughput workload: rows compared with one baseline row. */
export interface Group {
  readonly id: 'memory-hit' | 'redis-hit-serial' | 'redis-hit-50' | 'redis-miss' | `kv-${KvWorkload}`;
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
  /** Commands counted in the window, and its length (tiered memory-tier hits only). */
  readonly total?: number;
  readonly windowMs?: number;
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

/** One kind of tiered invalidation (3 processes): ms until it resolves and until the others drop it. */
export interface TieredLatency {
  readonly name: string;
  readonly resolveMedian: number;
  readonly resolveP99: number;
  readonly dropMedian: number;
  readonly dropP99: number;
}

/** Stale reads: B reads, A invalidates and awaits, B reads again (the old value is stale). */
export interface TieredStale {
  readonly name: string;
  readonly stale: number;
  readonly iterations: number;
  /** Iterations whose invalidation threw (skipped: neither stale nor fresh). */
  readonly failed?: number;
}

/** The tiered part: memory-tier coherence across 3 processes (its hit rates are in the memory-hit table). */
export interface TieredResult {
  /** Lease of the processes of the invalidation figures, ms. */
  readonly lease: number;
  /** Iterations of the latency figures. */
  readonly iterations: number;
  /** Redis commands per memory-tier hit (MONITOR), in a fresh process per subject. */
  readonly commandsPerL1Hit: readonly CommandsPerHit[];
  readonly latency: readonly TieredLatency[];
  readonly stale: readonly TieredStale[];
  /** Waits of a strict invalidation while one process is SIGSTOPped, ms. */
  readonly stoppedWaits: readonly number[];
}

/** A goal of an issue and whether this run met it. */
export interface Goal {
  /** The issue the goal belongs to. */
  readonly issue: number;
  readonly goal: string;
  readonly target: string;
  readonly measured: string;
  /** Undefined for a figure reported with no target, and for a figure this run did not measure. */
  readonly met: boolean | undefined;
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
  /** Seconds of each part run (absent in older results). */
  readonly partsSec?: Readonly<Record<string, number>>;
  /** Rounds of each throughput measurement (the median round is kept). */
  readonly rounds: { readonly memory: number; readonly redis: number; readonly paired?: number };
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
  /** The tiered part (absent when it did not run, and in older results). */
  readonly tiered?: TieredResult;
  /** The paired comparisons (absent when the part did not run, and in older results). */
  readonly pairs?: readonly PairResult[];
  readonly goals: readonly Goal[];
}
