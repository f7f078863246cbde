/**
 * Where the processes run. Loopback round trips on a small VM depend heavily on whether the
 * client and Redis share a core (a context switch) or not (a cross-core wake-up, slow and
 * erratic under virtualization), so the benchmark pins them with `taskset` when it can.
 *
 * BENCH_PIN:
 * - `same` (default): Redis and every measuring process on the last CPU. Stable; a hit then costs
 *   client time + server time, as on a busy machine.
 * - `split`: Redis on the last CPU, measuring processes on the first.
 * - `off`: no pinning.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

export interface Placement {
  /** CPU list for redis-server (when the script starts it), or undefined. */
  readonly redis: string | undefined;
  /** CPU list for the measuring processes, or undefined. */
  readonly node: string | undefined;
  /** For the results page. */
  readonly description: string;
}

let cached: Placement | undefined;

function hasTaskset(): boolean {
  return spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0;
}

/** The placement of this run (BENCH_PIN, the CPU count, and whether `taskset` works). */
export function placement(): Placement {
  if (cached !== undefined) return cached;
  const mode = process.env['BENCH_PIN'] ?? 'same';
  if (!['same', 'split', 'off'].includes(mode))
    throw new Error(`BENCH_PIN: expected same, split or off, got ${mode}`);
  const last = String(Math.max(0, os.cpus().length - 1));
  if (mode === 'off' || !hasTaskset()) {
    cached = {
      redis: undefined,
      node: undefined,
      description: mode === 'off' ? 'not pinned (BENCH_PIN=off)' : 'not pinned (taskset unavailable)',
    };
  } else if (mode === 'split' && last !== '0') {
    cached = {
      redis: last,
      node: '0',
      description: `Redis pinned to CPU ${last}, measuring processes to CPU 0 (BENCH_PIN=split)`,
    };
  } else {
    cached = {
      redis: last,
      node: last,
      description: `Redis and every measuring process pinned to CPU ${last} (BENCH_PIN=same)`,
    };
  }
  return cached;
}

/** `[command, args]` wrapped in `taskset -c cpus` when `cpus` is set. */
export function pinnedCommand(
  cpus: string | undefined,
  command: string,
  args: readonly string[],
): [string, string[]] {
  return cpus === undefined ? [command, [...args]] : ['taskset', ['-c', cpus, command, ...args]];
}
