/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, with
 * locations mapped through the bundle's source map when there is one (`<file>.map`).
 *
 *   npx tsx bench/profile/summarize.ts file.cpuprofile [more.cpuprofile …]
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../lib/env.js';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time of one function. */
export interface SelfTime {
  readonly name: string;
  readonly where: string;
  us: number;
}

const maps = new Map<string, SourceMap | undefined>();

function sourceMapOf(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    const path = `${file}.map`;
    maps.set(
      file,
      existsSync(path)
        ? new SourceMap(JSON.parse(readFileSync(path, 'utf8')) as ConstructorParameters<typeof SourceMap>[0])
        : undefined,
    );
  }
  return maps.get(file);
}

function where(f: CallFrame): string {
  if (f.url === '') return '';
  if (!f.url.startsWith('file://')) return `${f.url}:${f.lineNumber + 1}`;
  const file = fileURLToPath(f.url);
  const entry = sourceMapOf(file)?.findEntry(f.lineNumber, f.columnNumber);
  if (entry !== undefined && 'originalSource' in entry) {
    const src = entry.originalSource.startsWith('file://')
      ? fileURLToPath(entry.originalSource)
      : entry.originalSource;
    return `${relative(ROOT, src.startsWith('/') ? src : `${ROOT}/.tmp/profile/${src}`)}:${entry.originalLine + 1}`;
  }
  return `${relative(ROOT, file)}:${f.lineNumber + 1}`;
}

/** Self time (µs) per function, largest first. */
export function selfTimes(profile: CpuProfile): SelfTime[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFn = new Map<string, SelfTime>();
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id);
    if (f === undefined) return;
    const at = where(f);
    const key = `${f.functionName}@${at}`;
    const e = byFn.get(key) ?? { name: f.functionName || '(anonymous)', where: at, us: 0 };
    e.us += profile.timeDeltas[i] ?? 0;
    byFn.set(key, e);
  });
  return [...byFn.values()].sort((a, b) => b.us - a.us);
}

/** Prints the `top` functions by self time of the profile in `file`. */
export function printSummary(file: string, top = 25): void {
  const rows = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const total = rows.reduce((s, r) => s + r.us, 0);
  const busy = rows.filter((r) => r.name !== '(idle)').reduce((s, r) => s + r.us, 0);
  console.log(
    `${relative(ROOT, file)}: ${(total / 1e6).toFixed(2)} s sampled, ${((100 * busy) / total).toFixed(1)}% busy`,
  );
  console.log('  self ms  % of busy  function (location)');
  for (const r of rows.slice(0, top)) {
    const pct = r.name === '(idle)' ? '' : ((100 * r.us) / busy).toFixed(1);
    console.log(
      `${(r.us / 1000).toFixed(1).padStart(9)}  ${pct.padStart(9)}  ${r.name}${r.where ? ` (${r.where})` : ''}`,
    );
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of process.argv.slice(2)) printSummary(f);
}
