/**
 * The goals of issue 6, checked against one run's figures.
 */
import type { CommandsPerHit, Goal, Group, Row, StampedeResult } from './results.js';

const tagged = (g: Group | undefined): Row | undefined =>
  g?.rows.find((r) => r.role === 'tagcache' && r.name.includes('3 tags'));
const named = (g: Group | undefined, name: string | undefined): Row | undefined =>
  g?.rows.find((r) => r.name === name);

/** The fastest peer of a group. */
export function fastestPeer(g: Group): Row | undefined {
  return g.rows
    .filter((r) => r.role === 'peer')
    .reduce<Row | undefined>(
      (best, r) => (best === undefined || r.opsPerSec > best.opsPerSec ? r : best),
      undefined,
    );
}

function ratioGoal(goal: string, min: number, a: Row | undefined, b: Row | undefined): Goal {
  if (a === undefined || b === undefined)
    return { goal, target: `≥ ${min}×`, measured: 'not measured', met: false };
  const ratio = a.opsPerSec / b.opsPerSec;
  return { goal, target: `≥ ${min}×`, measured: `${ratio.toFixed(2)}× (${b.name})`, met: ratio >= min };
}

/**
 * Evaluates the goals.
 *
 * @example
 * ```ts
 * const goals = evaluateGoals(groups, commandsPerHit, stampede);
 * ```
 */
export function evaluateGoals(
  groups: readonly Group[],
  commands: readonly CommandsPerHit[],
  stampede: readonly StampedeResult[],
): Goal[] {
  const by = (id: Group['id']): Group | undefined => groups.find((g) => g.id === id);
  const memory = by('memory-hit');
  const serial = by('redis-hit-serial');
  const fifty = by('redis-hit-50');
  // The current sources only: `tagcache@<rev> …` rows (BENCH_BASELINE) are an older revision.
  const tagcacheCommands = commands.filter((c) => c.name.startsWith('tagcache '));
  const locked = stampede.find((s) => s.processes === 2 && s.name.includes('lock'));
  return [
    ratioGoal('Memory hit, 3 tags, vs the fastest peer', 2, tagged(memory), memory && fastestPeer(memory)),
    ratioGoal('Memory hit, 3 tags, vs bare lru-cache', 0.3, tagged(memory), named(memory, memory?.baseline)),
    ratioGoal(
      'Redis hit serial, 3 tags, vs node-redis GET (timer off)',
      1.0,
      tagged(serial),
      named(serial, serial?.baseline),
    ),
    ratioGoal(
      'Redis hit 50 in flight, 3 tags, vs node-redis GET (timer off)',
      0.9,
      tagged(fifty),
      named(fifty, fifty?.baseline),
    ),
    {
      goal: 'Redis commands per hit (tagcache)',
      target: '1',
      measured: tagcacheCommands.map((c) => `${c.perHit} (${c.name})`).join('; ') || 'not measured',
      met: tagcacheCommands.length > 0 && tagcacheCommands.every((c) => c.perHit === 1),
    },
    {
      goal: 'Function runs, 2-process stampede with lock (1,000 callers)',
      target: '1 in every repetition',
      measured:
        locked === undefined
          ? 'not measured'
          : `${locked.runs.join(', ')}${locked.wrong > 0 ? `; ${locked.wrong} wrong values` : ''}`,
      met: locked !== undefined && locked.runs.every((n) => n === 1) && locked.wrong === 0,
    },
  ];
}
