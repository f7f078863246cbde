/**
 * Child process entry: runs one job (see lib/jobs.ts), sends the result, exits.
 */
import type { Job, JobResult, WorkerReply } from './lib/jobs.js';
import { measureKv } from './workloads/keyValue.js';
import { l1CommandsPerHit, measureMemoryHit } from './workloads/memoryHit.js';
import { measureRedisMiss } from './workloads/missWrite.js';
import { measureRedisHit } from './workloads/redisHit.js';
import { measureSerialPair } from './workloads/serialPair.js';

async function run(job: Job): Promise<JobResult> {
  switch (job.kind) {
    case 'memory-hit':
      return { kind: 'memory-hit', row: await measureMemoryHit(job.id, job.url) };
    case 'l1-commands':
      return { kind: 'l1-commands', commands: await l1CommandsPerHit(job.id, job.url) };
    case 'redis-hit':
      return { kind: 'redis-hit', ...(await measureRedisHit(job.id, job.url, job.countCommands)) };
    case 'redis-miss':
      return { kind: 'redis-miss', row: await measureRedisMiss(job.id, job.url) };
    case 'kv':
      return { kind: 'kv', row: await measureKv(job.id, job.workload, job.url) };
    case 'redis-serial-pair':
      return {
        kind: 'redis-serial-pair',
        times: await measureSerialPair(job.url, job.revision, job.tags, job.space),
      };
  }
}

const reply = (m: WorkerReply): Promise<void> =>
  new Promise((resolve) => process.send?.(m, () => resolve()) ?? resolve());

process.once('message', (job: Job) => {
  run(job)
    .then(
      (result) => reply({ ok: true, result }),
      (e: unknown) => reply({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    )
    .finally(() => process.exit(0));
});
