/**
 * The tiered store (`BENCH_ONLY=tiered`): Redis commands per memory-tier hit (MONITOR, in a fresh
 * process per subject; the hit rates themselves are rows of the memory-hit table); invalidation
 * with 3 processes holding the entry (time until `invalidateTag` resolves, time until the other
 * processes drop it; strict, eventual and bentocache); stale reads in a 1,000-iteration loop; the
 * wait caused by a SIGSTOPped process.
 *
 * Times across processes use `process.hrtime` (the machine's monotonic clock, shared by the
 * processes of one machine); the store itself never compares clocks.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from '../lib/env.js';
import { runIsolated } from '../lib/isolate.js';
import type { CommandsPerHit, TieredLatency, TieredResult, TieredStale } from '../lib/results.js';
import { TIERED_HIT } from '../peers/registry.js';

type Kind = 'strict' | 'eventual' | 'bento';
const LEASE = 1000;
const STALE_ITERATIONS = 1000;
const NAMES: Readonly<Record<Kind, string>> = {
  strict: 'tagcache tiered, strict',
  eventual: 'tagcache tiered, eventual',
  bento: 'bentocache bus',
};

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
  [a, b, c]: Child[],
  iterations: number,
): Promise<{ resolve: number[]; drop: number[] }> {
  {
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
  }
}

/**
 * B reads, A invalidates and awaits, B reads again: how often B's second read is the old value.
 * An iteration whose invalidation throws (a store timeout on a starved machine) is neither stale
 * nor fresh: it is counted apart and the loop goes on.
 */
async function staleLoop(
  [a, b]: Child[],
  iterations: number,
  onFailure: (e: unknown) => void,
): Promise<{ stale: number; failed: number }> {
  {
    let stale = 0;
    let failed = 0;
    for (let i = 0; i < iterations; i++) {
      const key = `stale:${i}`;
      const before = await b!.request<string>({ op: 'read', key });
      await b!.request<string>({ op: 'read', key });
      try {
        await a!.request({ op: 'invalidate', key });
      } catch (e) {
        if (failed++ === 0) onFailure(e);
        continue;
      }
      if ((await b!.request<string>({ op: 'read', key })) === before) stale += 1;
    }
    return { stale, failed };
  }
}

/** How long A's strict invalidation waits while C is stopped (SIGSTOP). */
async function stopped([a, b, c]: Child[], times: number): Promise<number[]> {
  {
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
  }
}

export { latency, staleLoop, stopped };

/**
 * Runs the tiered workloads, prints their figures and returns them.
 *
 * @example
 * ```ts
 * const figures = await tiered(redis.url, console.log);
 * ```
 */
export async function tiered(url: string, log: (line: string) => void): Promise<TieredResult> {
  const commandsPerL1Hit: CommandsPerHit[] = [];
  for (const id of TIERED_HIT) {
    const { commands } = await runIsolated({ kind: 'l1-commands', id, url });
    commandsPerL1Hit.push(commands);
    log(`  Redis commands per L1 hit, ${commands.name}: ${commands.perHit} (${commands.detail})`);
  }
  const iterations = Number(process.env['BENCH_TIERED_ITERATIONS'] ?? 200);
  log(
    `\n  Invalidation, 3 processes, ${iterations} iterations (ms: median / p99), lease ${LEASE} ms; then stale reads in ${STALE_ITERATIONS.toLocaleString('en-US')} iterations (B reads, A invalidates and awaits, B reads again), in the same 3 processes`,
  );
  const lat: TieredLatency[] = [];
  const stale: TieredStale[] = [];
  let waits: number[] = [];
  for (const kind of ['strict', 'eventual', 'bento'] as const) {
    await withChildren(kind, url, 3, async (children) => {
      const { resolve, drop } = await latency(children, iterations);
      const row: TieredLatency = {
        name: NAMES[kind],
        resolveMedian: quantile(resolve, 0.5),
        resolveP99: quantile(resolve, 0.99),
        dropMedian: quantile(drop, 0.5),
        dropP99: quantile(drop, 0.99),
      };
      lat.push(row);
      log(
        `  ${row.name.padEnd(26)}: invalidate resolves ${fmt(row.resolveMedian)} / ${fmt(row.resolveP99)}; others drop it ${fmt(row.dropMedian)} / ${fmt(row.dropP99)}`,
      );
      const { stale: n, failed } = await staleLoop(children, STALE_ITERATIONS, (e) =>
        log(`  (${NAMES[kind]}: an invalidation failed: ${String(e)})`),
      );
      stale.push({
        name: NAMES[kind],
        stale: n,
        iterations: STALE_ITERATIONS,
        ...(failed > 0 ? { failed } : {}),
      });
      log(
        `  ${NAMES[kind].padEnd(26)}: ${n} stale reads${failed > 0 ? ` (${failed} invalidations failed)` : ''}`,
      );
      if (kind === 'strict') {
        waits = await stopped(children, 3);
        log(
          `  ${NAMES[kind].padEnd(26)}: with one process SIGSTOPped (lease ${LEASE} ms), invalidation waits ${waits.map(fmt).join(', ')} ms`,
        );
      }
    });
  }
  return { lease: LEASE, iterations, commandsPerL1Hit, latency: lat, stale, stoppedWaits: waits };
}
