import { AsyncLocalStorage } from 'node:async_hooks';
import { context, ROOT_CONTEXT, trace, type Context, type ContextManager } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createCache, invalidateTag, withCache } from '../../lib/index.js';
import { instrument } from '../../lib/otel.js';

/** The real SDK: a meter provider whose reader exports into memory on demand, and a tracer provider. */
function sdk() {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const collect = async () => {
    await reader.forceFlush();
    const batches = metricExporter.getMetrics();
    const all = batches.at(-1)?.scopeMetrics.flatMap((s) => s.metrics) ?? [];
    return new Map(all.map((m) => [m.descriptor.name, m]));
  };
  return { meterProvider, tracerProvider, spanExporter, collect };
}

/** The context manager the Node SDK installs, in a few lines: the active context in an AsyncLocalStorage. */
function asyncLocalContextManager(): ContextManager {
  const storage = new AsyncLocalStorage<Context>();
  const manager: ContextManager = {
    active: () => storage.getStore() ?? ROOT_CONTEXT,
    with: (ctx, fn, thisArg, ...args) => storage.run(ctx, () => fn.call(thisArg, ...args)),
    bind: (_ctx, target) => target,
    enable: () => manager,
    disable: () => {
      storage.disable();
      return manager;
    },
  };
  return manager;
}

describe('tagcache/otel instrument()', () => {
  it('collects real OpenTelemetry metrics after a miss and a hit, and spans for the computation and the invalidation', async () => {
    const otel = sdk();
    const stop = instrument({ meterProvider: otel.meterProvider, tracerProvider: otel.tracerProvider });
    try {
      const cache = createCache({ name: 'otel', logger: false });
      const getUser = withCache(async (id: number) => ({ id }), { name: 'getUser', cache, tags: ['users'] });
      await getUser(1); // miss
      await getUser(1); // hit
      await invalidateTag('users', { cache });
      const metrics = await otel.collect();
      const attrs = { 'tagcache.cache': 'otel', 'tagcache.function': 'getUser' };
      const point = (name: string) => metrics.get(name)?.dataPoints[0];
      expect(point('tagcache.hits')).toMatchObject({ attributes: attrs, value: 1 });
      expect(point('tagcache.misses')).toMatchObject({ attributes: attrs, value: 1 });
      expect(point('tagcache.writes')).toMatchObject({ attributes: attrs, value: 1 });
      expect(point('tagcache.invalidations')).toMatchObject({
        attributes: { 'tagcache.cache': 'otel' },
        value: 1,
      });
      const compute = point('tagcache.compute.duration');
      expect(compute?.attributes).toEqual({ ...attrs, 'tagcache.outcome': 'ok' });
      expect(compute?.value).toMatchObject({ count: 1 });
      expect(metrics.get('tagcache.compute.duration')?.descriptor.unit).toBe('ms');
      const reads = metrics.get('tagcache.get.duration')?.dataPoints ?? [];
      expect(reads.map((p) => p.attributes['tagcache.result']).sort()).toEqual(['hit', 'miss']);

      const spans = otel.spanExporter.getFinishedSpans();
      expect(spans.map((s) => s.name)).toEqual(['tagcache.compute getUser', 'tagcache.invalidate']);
      expect(spans[0]?.attributes).toMatchObject({
        ...attrs,
        'tagcache.key': `${cache.version}:${getUser.keyOf(1)}`,
      }); // the full stored key
      expect(spans[1]?.attributes).toMatchObject({
        'tagcache.cache': 'otel',
        'tagcache.tags': ['users'],
        'tagcache.mode': 'drop',
      });
    } finally {
      stop();
    }
  });

  it('makes the computation span active inside the function, marks failures, and stops when asked', async () => {
    context.setGlobalContextManager(asyncLocalContextManager());
    const otel = sdk();
    const stop = instrument({ meterProvider: otel.meterProvider, tracerProvider: otel.tracerProvider });
    const cache = createCache({ name: 'otel-2', logger: false });
    let inner: string | undefined;
    const f = withCache(
      async (n: number): Promise<number> => {
        inner = trace.getSpan(context.active())?.spanContext().spanId;
        if (n < 0) throw new Error('negative');
        return n;
      },
      { name: 'f', cache },
    );
    await expect(f(-1)).rejects.toThrow('negative');
    const [failed] = otel.spanExporter.getFinishedSpans();
    expect(inner).toBe(failed?.spanContext().spanId); // spans the function makes are children of it
    expect(failed?.status).toMatchObject({ code: 2, message: 'negative' });
    expect(failed?.events.map((e) => e.name)).toEqual(['exception']);
    stop();
    context.disable();
    await f(1);
    expect(otel.spanExporter.getFinishedSpans()).toHaveLength(1);
    const metrics = await otel.collect();
    const computes = metrics.get('tagcache.compute.duration')?.dataPoints ?? [];
    expect(computes.map((p) => p.attributes['tagcache.outcome'])).toEqual(['error']);
  });
});
