/**
 * The machine and the package versions a run used.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MachineInfo } from './results.js';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

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
