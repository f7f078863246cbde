/**
 * Runs a job in a fresh child process (bench/worker.ts under tsx, pinned to a CPU, see
 * placement.ts) and returns its result.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './env.js';
import { pinnedCommand, placement } from './placement.js';
import type { Job, ResultOf, WorkerReply } from './jobs.js';

const WORKER = join(ROOT, 'bench', 'worker.ts');
/** A job that takes longer than this is killed (the whole run must stay under 10 minutes). */
const JOB_TIMEOUT_MS = 120_000;

/**
 * Forks the worker, hands it `job`, and resolves with its result.
 *
 * @example
 * ```ts
 * const { row } = await runIsolated({ kind: 'memory-hit', id: 'lru', url: redis.url });
 * ```
 */
export function runIsolated<J extends Job>(job: J): Promise<ResultOf<J['kind']>> {
  return new Promise((resolve, reject) => {
    const [command, args] = pinnedCommand(placement().node, process.execPath, ['--import', 'tsx', WORKER]);
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let reply: WorkerReply | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), JOB_TIMEOUT_MS);
    child.once('message', (m: WorkerReply) => {
      reply = m;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (reply?.ok) resolve(reply.result as ResultOf<J['kind']>);
      else
        reject(
          new Error(
            `${job.kind} ${'id' in job ? job.id : job.revision}: ${reply?.error ?? `worker exited (${signal ?? code})`}`,
          ),
        );
    });
    child.send(job);
  });
}
