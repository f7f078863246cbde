/**
 * Re-renders docs/benchmarks.md from the figures of the last run (.tmp/bench/results.json, or the
 * file given), e.g. after editing bench/analysis.md.
 *
 *   npx tsx bench/render.ts [results.json]
 *
 * The page header (bench/lib/report.ts) documents the run's environment variables, BENCH_BASELINE
 * included; a run with BENCH_BASELINE=<rev> renders its tagcache@<rev> rows, the
 * "vs tagcache@<rev>" column and the before-and-after table (metrics cost included).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RESULTS_JSON, ROOT } from './lib/env.js';
import { renderMarkdown } from './lib/report.js';
import type { Results } from './lib/results.js';

const file = resolve(process.argv[2] ?? RESULTS_JSON);
const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), renderMarkdown(results));
console.log(`Wrote docs/benchmarks.md from ${file}`);
