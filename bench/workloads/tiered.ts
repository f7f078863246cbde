/**
 * The tiered store (`BENCH_ONLY=tiered`): memory-tier hits beside the memory store and
 * bentocache's memory + Redis + bus tier; invalidation with 3 processes holding the entry (time
 * until `invalidateTag` resolves, time until the other processes drop it; strict, eventual and
 * bentocache); stale reads in a 1,000-iteration loop; the wait caused by a SIGSTOPped process.
 *
 * Times across processes use `process.hrtime` (the machine's monotonic clock, shared by the
 * processes of one machine); the store itself never compares clocks.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import { Redis } from 'ioredis';
import { createCache, memoryStore, withCache, type Store } from '../../lib/index.js';
import { redisStore, tieredStore } from '../../lib/redis.js';
import type { CommandCounter } from '../lib/commandCounter.js';
import { ROOT } from '../lib/env.js';
import { KEYS, makeValue, tagsOf } from '../lib/fixtures.js';

type Kind = 'strict' | 'eventual' | 'bento';
const LEASE = 1000;
const HIT_MS = 1000;

interface Child {
  request<T>(req: Record<string, unknown>): Promise<T>;
  signal(sig: NodeJS.Signals): void;
  close(): Promise<void>;
}

async function startChild(kind: Kind, url: string, prefix: string): Promise<Child> {
  const config = JSON.stringify({ kind, url, prefix, lease: LEASE });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'workloads', 'tieredChild.ts'), config],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => waiting.shift()?.(line));
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve) => waiting.push((line) => resolve(JSON.parse(line) as Record<string, unknown>)));
  await next();
  return {
    async request<T>(req: Record<string, unknown>): Promise<T> {
      const reply = next();
      child.stdin!.write(JSON.stringify(req) + '\n');
      const r = await reply;
      if ('error' in r) throw new Error(String(r['error']));
      return r['result'] as T;
    },
    signal: (sig) => void child.kill(sig),
    async close() {
      child.kill('SIGCONT');
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.write(JSON.stringify({ op: 'close' }) + '\n');
      await exited;
    },
  };
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const ms = (ns: bigint): number => Number(ns) / 1e6;
const fmt = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(0));

/**
 * Serial hits over the 256 keys for about HIT_MS; ops/s. Every 256 hits the loop yields to the
 * event loop, as a server does between requests (timers, such as lease renewals, run there).
 */
async function hitRate(get: (key: string) => Promise<unknown>): Promise<number> {
  for (const k of KEYS) await get(k);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < HIT_MS) {
    for (let i = 0; i < 256; i++, n++) await get(KEYS[i] as string);
    await new Promise((r) => setImmediate(r));
  }
  return n / ((performance.now() - t0) / 1000);
}

async function waitServing(store: {
  inspect(): { serving: boolean };
  get(ns: string, k: string): unknown;
}): Promise<void> {
  await store.get('probe', 'probe');
  while (!store.inspect().serving) await new Promise((r) => setTimeout(r, 10));
}

async function hits(url: string, counter: CommandCounter, log: (l: string) => void): Promise<void> {
  const cached = (store: Store, ns: string) =>
    withCache(async (key: string) => makeValue(key), {
      cache: createCache({ store, namespace: ns, logger: false }),
      name: 'item',
      tags: tagsOf,
    });
  const memory = cached(memoryStore(), 'bench-mem');
  const tiered = tieredStore({ l2: redisStore({ url }), bus: { url }, prefix: 'bench-tiered-hit' });
  await waitServing(tiered);
  const viaTiered = cached(tiered, 'bench-tiered');
  const connection = new Redis(url);
  const { hostname, port } = new URL(url);
  const bento = new BentoCache({
    default: 'c',
    prefix: 'bench-bento-tier',
    stores: {
      c: bentostore()
        .useL1Layer(memoryDriver({ maxItems: 10_000 }))
        .useL2Layer(redisDriver({ connection }))
        .useBus(redisBusDriver({ connection: { host: hostname, port: Number(port) } })),
    },
  });
  const viaBento = (key: string) =>
    bento.getOrSet({ key, factory: async () => makeValue(key), ttl: 60_000, tags: tagsOf(key) });
  const rates: Record<string, number[]> = { memory: [], tiered: [], bento: [] };
  for (let round = 0; round < 3; round++) {
    rates['memory']!.push(await hitRate(memory));
    rates['tiered']!.push(await hitRate(viaTiered));
    rates['bento']!.push(await hitRate(viaBento));
  }
  const { total } = await counter.count(async () => {
    for (let i = 0; i < 1000; i++) await viaTiered(KEYS[i % 256] as string);
  });
  const med = (k: string) => quantile(rates[k]!, 0.5);
  log(
    `  tagcache tiered L1 hit, 3 tags : ${fmt(med('tiered') / 1000)} k ops/s (${(med('tiered') / med('memory')).toFixed(2)}× memory store; ${(med('tiered') / med('bento')).toFixed(1)}× bentocache tier)`,
  );
  log(`  tagcache memory store hit       : ${fmt(med('memory') / 1000)} k ops/s`);
  log(`  bentocache memory+redis+bus hit : ${fmt(med('bento') / 1000)} k ops/s`);
  log(`  Redis commands per L1 hit       : ${total / 1000} (${total} in 1,000 hits, bus renewals included)`);
  await tiered.close();
  await bento.disconnect();
  connection.disconnect();
}

async function withChildren<T>(
  kind: Kind,
  url: string,
  n: number,
  run: (c: Child[]) => Promise<T>,
): Promise<T> {
  const prefix = `bench-${kind}-${Math.random().toString(36).slice(2, 8)}`;
  const children = await Promise.all(Array.from({ length: n }, () => startChild(kind, url, prefix)));
  // Warm up: every process connects and joins the bus; the first invalidation of a new bus waits
  // out its settling lease. Measurements start after that.
  await Promise.all(children.map((c) => c.request({ op: 'read', key: 'warm' })));
  await children[0]!.request({ op: 'invalidate', key: 'warm' });
  await new Promise((r) => setTimeout(r, LEASE * 1.5));
  try {
    return await run(children);
  } finally {
    await Promise.all(children.map((c) => c.close()));
  }
}

/** A invalidates a key that B and C hold; ms until A's call resolves and until B and C drop it. */
async function latency(
  kind: Kind,
  url: string,
  iterations: number,
): Promise<{ resolve: number[]; drop: number[] }> {
  return withChildren(kind, url, 3, async ([a, b, c]) => {
    const resolve: number[] = [];
    const drop: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const key = `lat:${i}`;
      for (const r of [b!, c!]) {
        const v = await r.request<string>({ op: 'read', key });
        await r.request({ op: 'watch', key, current: v });
      }
      const t = await a!.request<{ start: string; end: string }>({ op: 'invalidate', key });
      const dropped = await Promise.all([b!, c!].map((r) => r.request<string>({ op: 'watched' })));
      const start = BigInt(t.start);
      resolve.push(ms(BigInt(t.end) - start));
      for (const d of dropped) drop.push(ms(BigInt(d) - start));
    }
    return { resolve, drop };
  });
}

/** B reads, A invalidates and awaits, B reads again: how often B's second read is the old value. */
async function staleLoop(kind: Kind, url: string, iterations: number): Promise<number> {
  return withChildren(kind, url, 3, async ([a, b]) => {
    let stale = 0;
    for (let i = 0; i < iterations; i++) {
      const key = `stale:${i}`;
      const before = await b!.request<string>({ op: 'read', key });
      await b!.request<string>({ op: 'read', key });
      await a!.request({ op: 'invalidate', key });
      if ((await b!.request<string>({ op: 'read', key })) === before) stale += 1;
    }
    return stale;
  });
}

/** How long A's strict invalidation waits while C is stopped (SIGSTOP). */
async function stopped(url: string, times: number): Promise<number[]> {
  return withChildren('strict', url, 3, async ([a, b, c]) => {
    const waits: number[] = [];
    for (let i = 0; i < times; i++) {
      const key = `stop:${i}`;
      await b!.request({ op: 'read', key });
      await c!.request({ op: 'read', key });
      c!.signal('SIGSTOP');
      const t = await a!.request<{ start: string; end: string }>({ op: 'invalidate', key });
      waits.push(ms(BigInt(t.end) - BigInt(t.start)));
      c!.signal('SIGCONT');
      await new Promise((r) => setTimeout(r, LEASE * 1.5));
    }
    return waits;
  });
}

/**
 * Runs the tiered workloads and prints their figures.
 *
 * @example
 * ```ts
 * await tiered(redis.url, counter, console.log);
 * ```
 */
export { latency, staleLoop, stopped };

export async function tiered(
  url: string,
  counter: CommandCounter,
  log: (line: string) => void,
): Promise<void> {
  log('  (3 rounds of ~1 s serial hits over 256 keys, ~1 KB values; median round)');
  await hits(url, counter, log);
  const iterations = Number(process.env['BENCH_TIERED_ITERATIONS'] ?? 200);
  log(`\n  Invalidation, 3 processes, ${iterations} iterations (ms: median / p99), lease ${LEASE} ms`);
  for (const kind of ['strict', 'eventual', 'bento'] as const) {
    const { resolve, drop } = await latency(kind, url, iterations);
    const name = kind === 'bento' ? 'bentocache bus     ' : `tagcache ${kind.padEnd(8)}  `;
    log(
      `  ${name}: invalidate resolves ${fmt(quantile(resolve, 0.5))} / ${fmt(quantile(resolve, 0.99))}; others drop it ${fmt(quantile(drop, 0.5))} / ${fmt(quantile(drop, 0.99))}`,
    );
  }
  log('\n  Stale reads in 1,000 iterations (B reads, A invalidates and awaits, B reads again)');
  for (const kind of ['strict', 'eventual', 'bento'] as const)
    log(`  ${kind.padEnd(9)}: ${await staleLoop(kind, url, 1000)} stale`);
  const waits = await stopped(url, 3);
  log(
    `\n  Strict invalidation with one process SIGSTOPped (lease ${LEASE} ms): waits ${waits.map(fmt).join(', ')} ms`,
  );
}
