/**
 * Messages between the stampede workload and its child process.
 */
import type { RedisSubjectId } from '../peers/registry.js';

export type ToChild =
  | { readonly type: 'setup'; readonly id: RedisSubjectId; readonly url: string; readonly delayMs: number }
  | { readonly type: 'go'; readonly key: string; readonly callers: number }
  | { readonly type: 'teardown' };

export type FromChild =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly runs: number; readonly wrong: number; readonly ms: number }
  | { readonly type: 'closed' }
  | { readonly type: 'error'; readonly message: string };

/** The outcome of one side of a stampede. */
export interface Side {
  readonly runs: number;
  readonly wrong: number;
  readonly ms: number;
}
