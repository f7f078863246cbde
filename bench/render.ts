/**
 * Re-renders docs/benchmarks.md from the figures of the last run (.tmp/bench/results.json, or the
 * file given), e.g. after editing bench/analysis.md.
 *
 *   npx tsx bench/render.ts [results.json]
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
