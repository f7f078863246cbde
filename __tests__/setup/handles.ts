/**
 * Hands the servers started by globalSetup to globalTeardown (same process, possibly separate
 * module instances, so the handles live on `globalThis`).
 */
import type { RedisCluster, RedisServer } from './redisServers.js';

export interface Handles {
  server?: RedisServer;
  cluster?: RedisCluster;
}

const KEY = Symbol.for('tagcache.test.redisHandles');

export function setHandles(h: Handles): void {
  (globalThis as Record<symbol, unknown>)[KEY] = h;
}

export function takeHandles(): Handles {
  const g = globalThis as Record<symbol, unknown>;
  const h = (g[KEY] as Handles | undefined) ?? {};
  delete g[KEY];
  return h;
}
