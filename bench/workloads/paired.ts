/**
 * The paired part: comparisons whose answer is a few percent either way, measured as pairs (see
 * lib/pairs.ts). A decorated method against `withCache` (issue 12), and, with BENCH_BASELINE, the
 * memory hit (live values, 3 tags) and the serial Redis hit against the older revision (issue 13).
 * Memory pairs run each side in a fresh process per round; a Redis pair runs both sides in one
 * worker process, in interleaved blocks on one Redis (serialPair.ts).
 */
import { baselineRevision } from '../lib/baseline.js';
import { runIsolated } from '../lib/isolate.js';
import { median, pairedRatios, type PairId, type PairResult } from '../lib/pairs.js';
import type { MemorySubjectId } from '../peers/registry.js';
import { SERIAL_PAIR_BLOCK, type BlockTimes } from './serialPair.js';

const PROCESS_METHOD = 'fresh process per side and round';

async function memoryPair(
  id: PairId,
  title: string,
  subject: MemorySubjectId,
  reference: MemorySubjectId,
  url: string,
  rounds: number,
  log: (line: string) => void,
): Promise<PairResult> {
  const names: Partial<Record<MemorySubjectId, string>> = {};
  const opsOf = async (which: MemorySubjectId): Promise<number> => {
    const { row } = await runIsolated({ kind: 'memory-hit', id: which, url });
    names[which] = row.name;
    return row.opsPerSec;
  };
  const ratios = await pairedRatios(
    rounds,
    () => opsOf(subject),
    () => opsOf(reference),
  );
  const result: PairResult = {
    id,
    title,
    subject: names[subject] ?? subject,
    reference: names[reference] ?? reference,
    method: PROCESS_METHOD,
    ratios,
    ratio: median(ratios),
  };
  log(`  ${title}: ${result.ratio.toFixed(3)}× (rounds ${ratios.map((x) => x.toFixed(3)).join(', ')})`);
  return result;
}

async function redisPair(
  id: PairId,
  tags: boolean,
  revision: string,
  url: string,
  log: (line: string) => void,
): Promise<PairResult> {
  const { times } = await runIsolated({
    kind: 'redis-serial-pair',
    revision,
    tags,
    url,
    space: `pair-${id}`,
  });
  const ratiosOf = (field: keyof BlockTimes): number[] =>
    times.now.map((n, i) => (times.before[i] as BlockTimes)[field] / n[field]);
  const ratios = ratiosOf('wall');
  const label = tags ? '3 tags' : 'no tags';
  const result: PairResult = {
    id,
    title: `Redis serial hit, ${label}, vs tagcache@${revision}`,
    subject: `tagcache redis, ${label}`,
    reference: `tagcache@${revision} redis, ${label}`,
    method: `one process, interleaved blocks of ${SERIAL_PAIR_BLOCK.toLocaleString('en-US')} hits`,
    ratios,
    ratio: median(ratios),
    cpuRatio: median(ratiosOf('cpu')),
  };
  log(
    `  ${result.title}: wall ${result.ratio.toFixed(3)}×, CPU ${(result.cpuRatio ?? 0).toFixed(3)}× (median of ${ratios.length} rounds)`,
  );
  return result;
}

/**
 * Runs the paired part.
 *
 * @example
 * ```ts
 * const pairs = await paired(redis.url, 7, console.log);
 * ```
 */
export async function paired(
  url: string,
  rounds: number,
  log: (line: string) => void,
): Promise<PairResult[]> {
  const pairs = [
    await memoryPair(
      'decorated-live',
      '@cached method vs withCache, memory hit, live values, no tags',
      'tagcache-memory-decorated-live',
      'tagcache-memory-live',
      url,
      rounds,
      log,
    ),
    await memoryPair(
      'decorated-copies',
      '@cached method vs withCache, memory hit, default store (copies), no tags',
      'tagcache-memory-decorated',
      'tagcache-memory',
      url,
      rounds,
      log,
    ),
  ];
  const revision = baselineRevision();
  if (revision === undefined) return pairs;
  pairs.push(
    await memoryPair(
      'memory-live-3tags-vs-revision',
      `Memory hit, live values, 3 tags, vs tagcache@${revision}`,
      'tagcache-memory-live-3tags',
      'revision-memory-3tags',
      url,
      rounds,
      log,
    ),
    await redisPair('redis-serial-no-tags-vs-revision', false, revision, url, log),
    await redisPair('redis-serial-3tags-vs-revision', true, revision, url, log),
  );
  return pairs;
}
