/**
 * The machine and the package versions a run used.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MachineInfo } from './results.js';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where a run leaves its figures (git-ignored), for bench/render.ts. */
export const RESULTS_JSON = join(ROOT, '.tmp', 'bench', 'results.json');

/**
 * The commit the measured tagcache sources come from (`+ local changes` when lib/ differs from
 * it); BENCH_REV overrides it (for a run from an exported tree).
 */
export function libRevision(): string {
  const given = process.env['BENCH_REV'];
  if (given) return given;
  const git = (args: string[]): string | undefined => {
    const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const rev = git(['rev-parse', '--short', 'HEAD']);
  if (rev === undefined) return 'unknown';
  return git(['status', '--porcelain', '--', 'lib'])?.length ? `${rev} + local changes in lib/` : rev;
}

const PACKAGES: ReadonlyArray<readonly [label: string, path: string]> = [
  ['tagcache', '.'],
  ['redis (node-redis)', 'node_modules/redis'],
  ['@redis/client', 'node_modules/@redis/client'],
  ['lru-cache', 'node_modules/lru-cache'],
  ['bentocache', 'node_modules/bentocache'],
  ['ioredis (bentocache redis driver)', 'node_modules/ioredis'],
  ['@epic-web/cachified', 'node_modules/@epic-web/cachified'],
  ['cachified-redis-adapter', 'node_modules/cachified-redis-adapter'],
  ['cache-manager', 'node_modules/cache-manager'],
  ['keyv', 'node_modules/keyv'],
  ['@keyv/redis', 'node_modules/@keyv/redis'],
  ['@redis/client (under @keyv/redis)', 'node_modules/@keyv/redis/node_modules/@redis/client'],
  ['tinybench', 'node_modules/tinybench'],
];

function versionAt(path: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, path, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

/** Installed versions of tagcache, its peers and the harness (missing ones are left out). */
export function packageVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [label, path] of PACKAGES) {
    const v = versionAt(path);
    if (v !== undefined) out[label] = v;
  }
  return out;
}

/** The machine this run is on. */
export function machineInfo(redis: string, redisUrl: string, placement: string): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    redis,
    redisUrl: redisUrl.replace(/\/\/[^@/]*@/, '//***@'),
    placement,
  };
}
