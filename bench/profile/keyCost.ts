/**
 * What a per-call key costs an in-memory lookup: lru-cache `get` with the same string objects
 * every time (their hash is cached) versus keys concatenated per call, as tagcache builds its
 * store key (`ns + SEP + version + name + material`) on every hit.
 *
 *   npx tsx bench/profile/keyCost.ts
 */
import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import { KEYS } from '../lib/fixtures.js';

const N = 2_000_000;
const lru = new LRUCache<string, object>({ max: 10_000 });
const full = KEYS.map((k) => `bench\u0000` + `1:item:` + JSON.stringify(k));
for (const k of full) lru.set(k, {});

function nsPerGet(keyOf: (i: number) => string): number {
  let hits = 0;
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (let n = 0; n < N; n++) if (lru.get(keyOf(n & 255)) !== undefined) hits++;
    best = Math.min(best, ((performance.now() - t0) * 1e6) / N);
  }
  if (hits === 0) throw new Error('no hits');
  return best;
}

const ns = 'bench';
const interned = nsPerGet((i) => full[i]!);
const built = nsPerGet((i) => ns + '\u0000' + '1:item:' + '"' + KEYS[i]! + '"');
console.log(`lru-cache get, same key strings:      ${interned.toFixed(1)} ns`);
console.log(
  `lru-cache get, key built per call:    ${built.toFixed(1)} ns (+${(built - interned).toFixed(1)} ns)`,
);
