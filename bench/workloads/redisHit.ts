/**
 * Redis hit (no memory tier), serial and 50 in flight, plus the commands each hit sends.
 */
import { commandCounter } from '../lib/commandCounter.js';
import { countingLoader, KEYS } from '../lib/fixtures.js';
import { runIsolated } from '../lib/isolate.js';
import { inflightLoop, measure, serialLoop } from '../lib/measure.js';
import type { CommandsPerHit, Group, Row } from '../lib/results.js';
import { medianRow, orderOf } from '../lib/rounds.js';
import type { Subject } from '../lib/subject.js';
import { makeSubject, redisHitSubjects, type RedisSubjectId } from '../peers/registry.js';
import { warm } from './memoryHit.js';

const SERIAL = { time: 1000, warmupTime: 300 };
const CONCURRENT = { time: 1000, warmupTime: 300 };
const SERIAL_BATCH = 64;
const INFLIGHT = 50;
const PER_WORKER = 10;
const COUNTED_HITS = 100;

/** Everything measured of one subject in one process. */
export interface RedisHitFigures {
  readonly serial: Row;
  readonly concurrent: Row;
  readonly commands: CommandsPerHit | undefined;
}

async function commandsPerHit(subject: Subject, url: string): Promise<CommandsPerHit> {
  const counter = await commandCounter(url);
  try {
    const c = await counter.count(async () => {
      for (let i = 0; i < COUNTED_HITS; i++) await subject.get(KEYS[i % KEYS.length]!);
    });
    const detail = [...c.byCommand].map(([cmd, n]) => `${cmd} ×${+(n / COUNTED_HITS).toFixed(2)}`).join(', ');
    return { name: subject.name, perHit: c.total / COUNTED_HITS, detail };
  } finally {
    await counter.close();
  }
}

/**
 * Measures one subject (in a worker process): serial, then 50 in flight, then (optionally) the
 * commands per hit.
 *
 * @example
 * ```ts
 * const figures = await measureRedisHit('tagcache-3tags', url, true);
 * ```
 */
export async function measureRedisHit(
  id: RedisSubjectId,
  url: string,
  countCommands: boolean,
): Promise<RedisHitFigures> {
  const load = countingLoader();
  const subject = await makeSubject(id, { url, space: 'hit' }, load);
  try {
    await warm(subject);
    const get = (k: string): Promise<unknown> => subject.get(k);
    const r0 = load.runs();
    const s = await measure(subject.name, serialLoop(get, KEYS, SERIAL_BATCH), SERIAL_BATCH, SERIAL);
    const r1 = load.runs();
    const c = await measure(
      subject.name,
      inflightLoop(get, KEYS, INFLIGHT, PER_WORKER),
      INFLIGHT * PER_WORKER,
      CONCURRENT,
      PER_WORKER,
    );
    const r2 = load.runs();
    return {
      serial: { ...s, role: subject.role, unexpectedRuns: r1 - r0 },
      concurrent: { ...c, role: subject.role, unexpectedRuns: r2 - r1 },
      commands: countCommands ? await commandsPerHit(subject, url) : undefined,
    };
  } finally {
    await subject.close();
  }
}

/**
 * Runs the Redis-hit groups, each subject in its own processes, `rounds` times.
 *
 * @example
 * ```ts
 * const { serial, concurrent, commands } = await redisHit(url, 3, console.log);
 * ```
 */
export async function redisHit(
  url: string,
  rounds: number,
  log: (line: string) => void,
): Promise<{ serial: Group; concurrent: Group; commands: CommandsPerHit[] }> {
  const subjects = redisHitSubjects();
  const seen = new Map<RedisSubjectId, RedisHitFigures[]>();
  for (let r = 0; r < rounds; r++) {
    for (const id of orderOf(subjects, r)) {
      const f = await runIsolated({ kind: 'redis-hit', id, url, countCommands: r === 0 });
      seen.set(id, [...(seen.get(id) ?? []), f]);
      const cmd = f.commands ? `, ${f.commands.perHit} cmd/hit` : '';
      log(
        `  [${r + 1}/${rounds}] ${f.serial.name}: serial ${Math.round(f.serial.opsPerSec).toLocaleString('en-US')} ops/s, ${INFLIGHT} in flight ${Math.round(f.concurrent.opsPerSec).toLocaleString('en-US')} ops/s${cmd}`,
      );
    }
  }
  const all = subjects.map((id) => seen.get(id) ?? []);
  const serialRows = all.map((fs) => medianRow(fs.map((f) => f.serial)));
  const concurrentRows = all.map((fs) => medianRow(fs.map((f) => f.concurrent)));
  const commands = all.flatMap((fs) => fs.flatMap((f) => (f.commands ? [f.commands] : [])));
  const baseline = serialRows[1]!.name;
  return {
    serial: {
      id: 'redis-hit-serial',
      title: 'Redis hit, serial (no memory tier)',
      baseline,
      latencyLabel: 'µs/call',
      rows: serialRows,
    },
    concurrent: {
      id: 'redis-hit-50',
      title: `Redis hit, ${INFLIGHT} in flight (no memory tier; ${INFLIGHT} callers, ${PER_WORKER} calls each per sample)`,
      baseline,
      latencyLabel: `µs/call at ${INFLIGHT} in flight`,
      rows: concurrentRows,
    },
    commands,
  };
}
