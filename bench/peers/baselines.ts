/**
 * Bare baselines: a `Map`, lru-cache, and node-redis `GET` + `JSON.parse` (with node-redis'
 * default 5 s per-command timer, and with it off, the client's real ceiling).
 */
import { LRUCache } from 'lru-cache';
import { createClient } from 'redis';
import type { Loader } from '../lib/fixtures.js';
import { TTL_MS, type Subject } from '../lib/subject.js';

/** Bare `Map` get-or-load (hits are a synchronous `map.get`). */
export function mapSubject(load: Loader): Subject {
  const map = new Map<string, unknown>();
  const getSync = (key: string): unknown => map.get(key);
  return {
    name: 'Map (bare)',
    role: 'baseline',
    getSync,
    async get(key) {
      const hit = map.get(key);
      if (hit !== undefined) return hit;
      const v = await load(key);
      map.set(key, v);
      return v;
    },
    close: () => Promise.resolve(),
  };
}

/** Bare lru-cache get-or-load (hits are a synchronous `lru.get`). */
export function lruSubject(load: Loader): Subject {
  const lru = new LRUCache<string, object>({ max: 10_000, ttl: TTL_MS });
  const getSync = (key: string): unknown => lru.get(key);
  return {
    name: 'lru-cache (bare)',
    role: 'baseline',
    getSync,
    async get(key) {
      const hit = lru.get(key);
      if (hit !== undefined) return hit;
      const v = await load(key);
      lru.set(key, v);
      return v;
    },
    close: () => Promise.resolve(),
  };
}

/** How the raw node-redis client is configured. */
export type RawTimer = 'default' | 'off';

/**
 * node-redis `GET` + `JSON.parse` (a miss does `SET … PX`). `timer: 'off'` passes
 * `commandOptions: { timeout: 0 }`: node-redis 6 otherwise arms `AbortSignal.timeout(5000)` on
 * every command (DEFAULT_COMMAND_TIMEOUT in @redis/client).
 */
export async function rawRedisSubject(url: string, timer: RawTimer, load: Loader): Promise<Subject> {
  const client = createClient(timer === 'off' ? { url, commandOptions: { timeout: 0 } } : { url });
  client.on('error', () => undefined);
  await client.connect();
  return {
    name: timer === 'off' ? 'node-redis GET (timer off)' : 'node-redis GET (default)',
    role: 'baseline',
    async get(key) {
      const k = 'raw:' + key;
      const s = await client.get(k);
      if (s !== null) return JSON.parse(s) as unknown;
      const v = await load(key);
      await client.set(k, JSON.stringify(v), { expiration: { type: 'PX', value: TTL_MS } });
      return v;
    },
    close: () => client.close(),
  };
}
