/**
 * One side of a stampede: `callers` concurrent calls of a cold key.
 */
import { performance } from 'node:perf_hooks';
import type { Loader } from '../lib/fixtures.js';
import type { Subject } from '../lib/subject.js';
import type { Side } from './stampedeProtocol.js';

/**
 * Opens the subject's connection (lazy in several libraries) with one call on a key of its own,
 * so that the storm measures the stampede and not the connection.
 *
 * @example
 * ```ts
 * await connect(subject);
 * ```
 */
export async function connect(subject: Subject): Promise<void> {
  await subject.get(`stampede-warmup:${process.pid}`);
}

/**
 * Fires `callers` concurrent `get(key)` and checks every caller got the value of `key`.
 *
 * @example
 * ```ts
 * const side = await storm(subject, load, 'stampede:1', 1000);
 * ```
 */
export async function storm(subject: Subject, load: Loader, key: string, callers: number): Promise<Side> {
  const before = load.runs();
  const t0 = performance.now();
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < callers; i++) calls.push(subject.get(key).catch((e: unknown) => e));
  const values = await Promise.all(calls);
  const ms = performance.now() - t0;
  const wrong = values.filter(
    (v) => typeof v !== 'object' || v === null || (v as { id?: unknown }).id !== key,
  ).length;
  return { runs: load.runs() - before, wrong, ms };
}
