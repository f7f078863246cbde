/**
 * Stampede: 1,000 concurrent callers on a cold key whose function takes 100 ms, in one process,
 * and split 500/500 across two processes sharing the Redis (function runs counted). Each case is
 * repeated 5 times on fresh keys.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandCounter } from '../lib/commandCounter.js';
import { countingLoader } from '../lib/fixtures.js';
import type { StampedeResult } from '../lib/results.js';
import { makeSubject, type RedisSubjectId } from '../peers/registry.js';
import type { FromChild, Side, ToChild } from './stampedeProtocol.js';
import { connect, storm } from './stampedeStorm.js';

const CALLERS = 1000;
/** Each stampede is repeated: a race shows up as an occasional extra run. */
const REPEATS = 5;
const DELAY_MS = 100;
const SUBJECTS: readonly RedisSubjectId[] = [
  'tagcache',
  'tagcache-lock',
  'bentocache',
  'cachified',
  'cache-manager',
];

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

/** A forked child that answers one message at a time. */
interface Child {
  ask(m: ToChild, expect: FromChild['type']): Promise<FromChild>;
  stop(): Promise<void>;
}

export function startChild(): Child {
  const proc: ChildProcess = fork(join(here, 'stampedeChild.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = (m: ToChild, expect: FromChild['type']): Promise<FromChild> =>
    new Promise((resolveReply, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`stampede child exited (${code})`));
      const onMessage = (reply: FromChild): void => {
        proc.off('exit', onExit);
        proc.off('message', onMessage);
        if (reply.type === expect) resolveReply(reply);
        else
          reject(
            new Error(
              reply.type === 'error'
                ? `stampede child: ${reply.message}`
                : `stampede child sent ${reply.type}, expected ${expect}`,
            ),
          );
      };
      proc.once('exit', onExit);
      proc.on('message', onMessage);
      proc.send(m);
    });
  const stop = (): Promise<void> =>
    new Promise((done) => {
      if (proc.exitCode !== null) return done();
      proc.once('exit', () => done());
      proc.disconnect();
    });
  return { ask, stop };
}

/** One stampede's outcome. */
interface Trial {
  readonly name: string;
  readonly side: Side;
  /** Redis commands sent during the storm (with a counter). */
  readonly commands?: number;
}

/** Runs `fn`, counting the Redis commands sent meanwhile when there is a counter. */
async function counted<T>(
  counter: CommandCounter | undefined,
  fn: () => Promise<T>,
): Promise<{ value: T; commands?: number }> {
  if (counter === undefined) return { value: await fn() };
  let value: T | undefined;
  const { total } = await counter.count(async () => void (value = await fn()));
  return { value: value as T, commands: total };
}

async function oneProcess(id: RedisSubjectId, url: string, counter?: CommandCounter): Promise<Trial> {
  const load = countingLoader(DELAY_MS);
  const subject = await makeSubject(id, { url, space: 'stampede' }, load);
  try {
    await connect(subject);
    const key = `stampede:${randomUUID()}`;
    const { value, commands } = await counted(counter, () => storm(subject, load, key, CALLERS));
    return { name: subject.name, side: value, ...(commands === undefined ? {} : { commands }) };
  } finally {
    await subject.close();
  }
}

/** Half the callers here, half in the child, on the same key at the same time. */
export async function twoProcesses(
  id: RedisSubjectId,
  url: string,
  child: Child,
  counter?: CommandCounter,
): Promise<Trial> {
  const load = countingLoader(DELAY_MS);
  const subject = await makeSubject(id, { url, space: 'stampede' }, load);
  try {
    await Promise.all([connect(subject), child.ask({ type: 'setup', id, url, delayMs: DELAY_MS }, 'ready')]);
    const key = `stampede:${randomUUID()}`;
    const half = CALLERS / 2;
    const { value, commands } = await counted(counter, () =>
      Promise.all([
        child.ask({ type: 'go', key, callers: half }, 'done') as Promise<FromChild & Side>,
        storm(subject, load, key, half),
      ]),
    );
    const [theirs, ours] = value;
    await child.ask({ type: 'teardown' }, 'closed');
    const side = {
      runs: ours.runs + theirs.runs,
      wrong: ours.wrong + theirs.wrong,
      ms: Math.max(ours.ms, theirs.ms),
    };
    return { name: subject.name, side, ...(commands === undefined ? {} : { commands }) };
  } finally {
    await subject.close();
  }
}

async function repeated(processes: 1 | 2, trial: () => Promise<Trial>): Promise<StampedeResult> {
  const trials: Trial[] = [];
  for (let i = 0; i < REPEATS; i++) trials.push(await trial());
  const ms = trials.map((t) => t.side.ms).sort((a, b) => a - b);
  return {
    name: trials[0]!.name,
    processes,
    callers: CALLERS,
    runs: trials.map((t) => t.side.runs),
    wrong: trials.reduce((n, t) => n + t.side.wrong, 0),
    ms: ms[Math.floor((ms.length - 1) / 2)]!,
    ...(trials.every((t) => t.commands !== undefined) ? { commands: trials.map((t) => t.commands!) } : {}),
  };
}

/**
 * Runs the stampede cases; with `counter`, also counts the Redis commands of each storm.
 *
 * @example
 * ```ts
 * const results = await stampede(url, console.log, counter);
 * ```
 */
export async function stampede(
  url: string,
  log: (line: string) => void,
  counter?: CommandCounter,
): Promise<StampedeResult[]> {
  const out: StampedeResult[] = [];
  for (const id of SUBJECTS) out.push(await repeated(1, () => oneProcess(id, url, counter)));
  const child = startChild();
  try {
    for (const id of SUBJECTS) out.push(await repeated(2, () => twoProcesses(id, url, child, counter)));
  } finally {
    await child.stop();
  }
  for (const r of out) {
    const where = `${r.processes} process${r.processes === 1 ? '' : 'es'}`;
    const cmds = r.commands ? `; Redis commands ${r.commands.join(', ')}` : '';
    log(
      `  ${r.name}, ${where}: runs ${r.runs.join(', ')}; median ${r.ms.toFixed(0)} ms; ${r.wrong} wrong${cmds}`,
    );
  }
  return out;
}
