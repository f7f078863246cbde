/**
 * BENCH_BASELINE=<git rev>: an older tagcache revision measured beside the current sources in the
 * same run. bench/run.ts resolves the revision to its short commit, exports that commit's `lib/`
 * with `git archive` into .tmp/bench-baseline/<commit>/lib (git-ignored, inside the repository so
 * that its imports resolve to this checkout's node_modules), and puts the short commit back into
 * BENCH_BASELINE, which the measuring child processes inherit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './env.js';

/** Where exported revisions live (.tmp/ is git-ignored, eslint- and prettier-ignored). */
const BASELINES = join(ROOT, '.tmp', 'bench-baseline');

/** The baseline revision of this run (a short commit once bench/run.ts has prepared it). */
export function baselineRevision(): string | undefined {
  const rev = process.env['BENCH_BASELINE']?.trim();
  return rev ? rev : undefined;
}

/** The folder holding `lib/` of `commit`. */
export function baselineDir(commit: string): string {
  return join(BASELINES, commit);
}

function git(args: readonly string[]): string {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.status}`}`);
  return r.stdout.trim();
}

/**
 * Resolves BENCH_BASELINE, exports the revision's lib/ (once: an existing export is reused) and
 * sets BENCH_BASELINE to the short commit. Undefined when BENCH_BASELINE is not set.
 *
 * @example
 * ```ts
 * const commit = prepareBaseline(); // '954fd21', lib/ in .tmp/bench-baseline/954fd21/lib
 * ```
 */
export function prepareBaseline(): string | undefined {
  const rev = baselineRevision();
  if (rev === undefined) return undefined;
  const commit = git(['rev-parse', '--short', `${rev}^{commit}`]);
  const dir = baselineDir(commit);
  if (!existsSync(join(dir, 'lib', 'index.ts'))) {
    const partial = `${dir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    const archive = join(partial, 'lib.tar');
    git(['archive', '--format=tar', `--output=${archive}`, commit, 'lib']);
    const untar = spawnSync('tar', ['-xf', archive, '-C', partial], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`tar: ${untar.stderr.trim()}`);
    rmSync(archive);
    if (!existsSync(join(partial, 'lib', 'index.ts')))
      throw new Error(`BENCH_BASELINE=${rev}: commit ${commit} has no lib/index.ts`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  process.env['BENCH_BASELINE'] = commit;
  return commit;
}
