/**
 * Invalidation of one tag carried by 1,000 and by 100,000 entries on Redis: time, commands sent,
 * Redis memory before and after, and a check that sampled entries really run the function again.
 */
import { performance } from 'node:perf_hooks';
import type { CommandCounter } from '../lib/commandCounter.js';
import { countingLoader, keyOf, makeValue, tagsOf, type Loader } from '../lib/fixtures.js';
import type { RedisAdmin } from '../lib/redisInfo.js';
import type { InvalidationResult } from '../lib/results.js';
import { TTL_MS } from '../lib/subject.js';
import { bentoRedis } from '../peers/bentocache.js';
import { tagcacheRedis, type TagcacheSubject } from '../peers/tagcache.js';

/** The tag every populated entry carries (see `tagsOf`). */
const TAG = 'items';
const SAMPLE = 20;
const CHUNK = 2000;

/** What a populated subject must offer to the measurement. */
interface Target {
  readonly name: string;
  get(key: string): Promise<unknown>;
  invalidate(tag: string): Promise<void>;
  close(): Promise<void>;
}

async function inChunks(count: number, chunk: number, write: (i: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk);
    const writes: Promise<unknown>[] = [];
    for (let i = start; i < end; i++) writes.push(write(i));
    await Promise.all(writes);
  }
}

/**
 * Fills tagcache: through cached calls for small counts (the real path), through the public
 * store API in pipelined chunks for large ones (same keys, payloads and tags as a cached call).
 */
async function fillTagcache(t: TagcacheSubject, count: number): Promise<void> {
  if (count <= 10_000) return inChunks(count, 250, (i) => t.get(keyOf(i)));
  const { store, namespace, serializer } = t.cache;
  return inChunks(count, CHUNK, async (i) => {
    const key = keyOf(i);
    const entry = {
      payload: serializer.serialize(makeValue(key)),
      tags: tagsOf(key),
      createdAt: Date.now(),
      ttl: TTL_MS,
      grace: 0,
      error: false,
    };
    await store.set(namespace, t.cached.keyOf(key), entry);
  });
}

async function measureOne(
  target: Target,
  entries: number,
  load: Loader,
  setupMs: number,
  admin: RedisAdmin,
  counter: CommandCounter,
): Promise<InvalidationResult> {
  // An unrelated tag first: loads the script on the server (NOSCRIPT → EVAL happens once per server).
  await target.invalidate('warmup');
  const memoryBefore = await admin.usedMemory();
  let ms = 0;
  const c = await counter.count(async () => {
    const t0 = performance.now();
    await target.invalidate(TAG);
    ms = performance.now() - t0;
  });
  const memoryAfter = await admin.usedMemory();
  const runsBefore = load.runs();
  const step = Math.max(1, Math.floor(entries / SAMPLE));
  for (let i = 0; i < SAMPLE; i++) await target.get(keyOf(i * step));
  const detail = [...c.byCommand].map(([cmd, n]) => `${cmd} ×${n}`).join(', ');
  return {
    name: target.name,
    entries,
    ms,
    commands: c.total,
    commandDetail: detail,
    memoryBefore,
    memoryAfter,
    verified: `${load.runs() - runsBefore}/${SAMPLE}`,
    setupMs,
  };
}

/** Times `fill`, then measures one invalidation on `target`, and closes it. */
async function runCase(
  target: Target & { close(): Promise<void> },
  fill: () => Promise<void>,
  entries: number,
  load: Loader,
  admin: RedisAdmin,
  counter: CommandCounter,
): Promise<InvalidationResult> {
  try {
    const t0 = performance.now();
    await fill();
    return await measureOne(target, entries, load, performance.now() - t0, admin, counter);
  } finally {
    await target.close();
  }
}

async function tagcacheCase(
  url: string,
  entries: number,
  admin: RedisAdmin,
  counter: CommandCounter,
): Promise<InvalidationResult> {
  const load = countingLoader();
  const t = tagcacheRedis(url, { tags: true, namespace: `inv-${entries}` }, load);
  return runCase(
    { ...t, name: 'tagcache redis' },
    () => fillTagcache(t, entries),
    entries,
    load,
    admin,
    counter,
  );
}

async function bentoCase(
  url: string,
  entries: number,
  admin: RedisAdmin,
  counter: CommandCounter,
): Promise<InvalidationResult> {
  const load = countingLoader();
  const b = await bentoRedis(url, true, load, `inv-${entries}`);
  const fill = () =>
    inChunks(entries, entries <= 10_000 ? 250 : CHUNK, (i) => b.set(keyOf(i), makeValue(keyOf(i))));
  return runCase({ ...b, name: 'bentocache redis' }, fill, entries, load, admin, counter);
}

/**
 * Runs the invalidation cases, flushing an owned Redis between them.
 *
 * @example
 * ```ts
 * const results = await invalidation(url, admin, counter, true, console.log);
 * ```
 */
export async function invalidation(
  url: string,
  admin: RedisAdmin,
  counter: CommandCounter,
  owned: boolean,
  log: (line: string) => void,
): Promise<InvalidationResult[]> {
  const out: InvalidationResult[] = [];
  for (const entries of [1_000, 100_000]) {
    for (const run of [tagcacheCase, bentoCase]) {
      if (owned) await admin.flushAll();
      const r = await run(url, entries, admin, counter);
      log(
        `  ${r.name}, ${entries.toLocaleString('en-US')} entries: ${r.ms.toFixed(2)} ms, ${r.commands} commands, verified ${r.verified}`,
      );
      out.push(r);
    }
  }
  if (owned) await admin.flushAll();
  return out;
}
