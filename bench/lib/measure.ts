/**
 * Timing on tinybench. An iteration runs a batch of operations (a serial loop, or one burst of
 * concurrent calls), so that timer overhead stays far below the measured time even for a `Map`
 * lookup; results are per operation.
 */
import { Bench } from 'tinybench';

/** Time budgets of one task, in ms. */
export interface Budget {
  readonly time: number;
  readonly warmupTime: number;
}

/** The median figures of one task. */
export interface Measurement {
  readonly name: string;
  /** Median operations per second. */
  readonly opsPerSec: number;
  /** Median latency in µs of one call (serial: time per call; concurrent: time a call takes under that concurrency). */
  readonly latencyUs: number;
  /** Operations per iteration (1 call per op). */
  readonly batch: number;
  /** Relative margin of error of the mean iteration time, in %. */
  readonly rme: number;
  readonly samples: number;
}

/** Scales budgets (BENCH_SCALE=0.2 for a quick run). */
export function scaled(b: Budget): Budget {
  const s = Number(process.env['BENCH_SCALE'] ?? '1');
  const k = Number.isFinite(s) && s > 0 ? s : 1;
  return { time: Math.max(50, b.time * k), warmupTime: Math.max(20, b.warmupTime * k) };
}

/**
 * Measures `iteration`, which performs `batch` operations of which `sequentialPerIteration` run
 * one after another (the rest concurrently), and reports medians per operation.
 *
 * @example
 * ```ts
 * const m = await measure('Map', () => { for (const k of keys) map.get(k); }, keys.length, { time: 1000, warmupTime: 300 });
 * ```
 */
export async function measure(
  name: string,
  iteration: () => unknown,
  batch: number,
  budget: Budget,
  sequentialPerIteration = batch,
): Promise<Measurement> {
  const b = scaled(budget);
  const bench = new Bench({
    time: b.time,
    warmupTime: b.warmupTime,
    iterations: 10,
    warmupIterations: 5,
    throws: true,
  });
  bench.add(name, iteration);
  await bench.run();
  const task = bench.tasks[0];
  const r = task?.result;
  if (r === undefined || !('latency' in r)) throw new Error(`${name}: no result (${r?.state ?? 'missing'})`);
  const medianMs = r.latency.p50;
  return {
    name,
    opsPerSec: (batch * 1000) / medianMs,
    latencyUs: (medianMs * 1000) / sequentialPerIteration,
    batch,
    rme: r.latency.rme,
    samples: r.latency.samplesCount,
  };
}

/** A serial loop: `batch` awaited calls over `keys`, cycling. */
export function serialLoop(
  call: (key: string) => unknown,
  keys: readonly string[],
  batch: number,
): () => Promise<void> {
  let next = 0;
  return async () => {
    for (let i = 0; i < batch; i++) {
      await call(keys[next]!);
      next = next + 1 === keys.length ? 0 : next + 1;
    }
  };
}

/** A synchronous loop (bare `Map` / lru-cache): no await, the true ceiling. */
export function syncLoop(call: (key: string) => unknown, keys: readonly string[], batch: number): () => void {
  let next = 0;
  let sink = 0;
  return () => {
    for (let i = 0; i < batch; i++) {
      if (call(keys[next]!) !== undefined) sink++;
      next = next + 1 === keys.length ? 0 : next + 1;
    }
    if (sink === -1) console.log(sink);
  };
}

/**
 * Steady concurrency: `inflight` workers each make `perWorker` calls one after another, so that
 * `inflight` calls are outstanding at (nearly) every moment of the iteration.
 */
export function inflightLoop(
  call: (key: string) => Promise<unknown>,
  keys: readonly string[],
  inflight: number,
  perWorker: number,
): () => Promise<unknown> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = 0; i < perWorker; i++) {
      const key = keys[next]!;
      next = next + 1 === keys.length ? 0 : next + 1;
      await call(key);
    }
  };
  const workers: Promise<void>[] = new Array<Promise<void>>(inflight);
  return () => {
    for (let i = 0; i < inflight; i++) workers[i] = worker();
    return Promise.all(workers);
  };
}
