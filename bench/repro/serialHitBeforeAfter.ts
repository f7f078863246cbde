/**
 * Serial Redis hits of the current sources against an older revision, in one process on one
 * Redis, in interleaved blocks (the order alternates each round), so that the round trip's noise
 * hits both alike: the median wall time and CPU time (user + system) per hit of each, and the
 * median of the per-round ratios. The full bench measures each subject in its own process, where
 * the serial rows move by ±10–30% between rounds; this is the paired check behind its
 * before/after rows.
 *
 *   BENCH_BASELINE=954fd21 npx tsx bench/repro/serialHitBeforeAfter.ts [--tags]
 */
import { prepareBaseline } from '../lib/baseline.js';
import { startRedis } from '../lib/redisServer.js';
import { runMain } from '../lib/runMain.js';
import { median } from '../lib/pairs.js';
import {
  measureSerialPair,
  SERIAL_PAIR_BLOCK,
  SERIAL_PAIR_ROUNDS,
  type BlockTimes,
} from '../workloads/serialPair.js';

runMain(async () => {
  const commit = prepareBaseline();
  if (commit === undefined) throw new Error('set BENCH_BASELINE=<git rev> (the revision to compare with)');
  const tags = process.argv.includes('--tags');
  const server = await startRedis();
  try {
    const rows = await measureSerialPair(server.url, commit, tags, 'ab');
    const ratio = (field: keyof BlockTimes): number =>
      median(rows.now.map((n, i) => (rows.before[i] as BlockTimes)[field] / n[field]));
    const show = (field: keyof BlockTimes): string =>
      `${median(rows.now.map((x) => x[field])).toFixed(1)} µs now, ${median(rows.before.map((x) => x[field])).toFixed(1)} µs at ${commit}; speed now ÷ before ${ratio(field).toFixed(3)}×`;
    console.log(
      `serial Redis hit, ${tags ? '3 tags' : 'no tags'}, ${SERIAL_PAIR_ROUNDS} interleaved rounds of ${SERIAL_PAIR_BLOCK}:`,
    );
    console.log(`  wall: ${show('wall')}`);
    console.log(`  CPU:  ${show('cpu')}`);
  } finally {
    await server.stop();
  }
});
