/**
 * Jobs run in a fresh child process each (bench/worker.ts), so that no subject inherits another's
 * JIT state, promise hooks (AsyncLocalStorage) or connections.
 */
import type { KvSubjectId, KvWorkload } from '../workloads/keyValue.js';
import type { MemorySubjectId, RedisSubjectId } from '../peers/registry.js';
import type { CommandsPerHit, Row } from './results.js';
import type { SerialPairTimes } from '../workloads/serialPair.js';

export type Job =
  /** `url`: the Redis of the tiered subjects (memory tier in front of Redis). */
  | { readonly kind: 'memory-hit'; readonly id: MemorySubjectId; readonly url: string }
  /** Redis commands per memory-tier hit of a tiered subject (MONITOR). */
  | { readonly kind: 'l1-commands'; readonly id: MemorySubjectId; readonly url: string }
  | {
      readonly kind: 'redis-hit';
      readonly id: RedisSubjectId;
      readonly url: string;
      readonly countCommands: boolean;
    }
  | { readonly kind: 'redis-miss'; readonly id: RedisSubjectId; readonly url: string }
  | { readonly kind: 'kv'; readonly id: KvSubjectId; readonly workload: KvWorkload; readonly url: string }
  /** Serial Redis hits of the current sources and of `revision`, interleaved in one process. */
  | {
      readonly kind: 'redis-serial-pair';
      readonly revision: string;
      readonly tags: boolean;
      readonly url: string;
      readonly space: string;
    };

export type JobResult =
  | { readonly kind: 'memory-hit'; readonly row: Row }
  | { readonly kind: 'l1-commands'; readonly commands: CommandsPerHit }
  | {
      readonly kind: 'redis-hit';
      readonly serial: Row;
      readonly concurrent: Row;
      readonly commands: CommandsPerHit | undefined;
    }
  | { readonly kind: 'redis-miss'; readonly row: Row }
  | { readonly kind: 'kv'; readonly row: Row }
  | { readonly kind: 'redis-serial-pair'; readonly times: SerialPairTimes };

/** What the worker sends back. */
export type WorkerReply =
  { readonly ok: true; readonly result: JobResult } | { readonly ok: false; readonly error: string };

/** Result type of a job kind. */
export type ResultOf<K extends Job['kind']> = Extract<JobResult, { kind: K }>;
