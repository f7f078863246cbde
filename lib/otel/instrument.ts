import { metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, MeterProvider, Span, TracerProvider } from '@opentelemetry/api';
import { BUCKET_BOUNDS_MS } from '../metrics/histogram.js';
import { addGlobalSink, type GlobalSink } from '../events/globalSinks.js';
import type { CacheEvent } from '../events/CacheEvent.js';
import type { TraceContext, TraceKind } from '../events/tracingChannels.js';

/**
 * Options of {@link instrument}: the providers to use; default the global ones registered with
 * `@opentelemetry/api` (by the OpenTelemetry Node SDK, for example).
 *
 * @example
 * ```ts
 * import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
 * const reader = new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter() });
 * const options: InstrumentOptions = { meterProvider: new MeterProvider({ readers: [reader] }) };
 * ```
 */
export interface InstrumentOptions {
  readonly meterProvider?: MeterProvider;
  readonly tracerProvider?: TracerProvider;
}

const SCOPE = 'tagcache';
const CACHE = 'tagcache.cache';
const FUNCTION = 'tagcache.function';

function instrumentsOf(provider: MeterProvider) {
  const meter = provider.getMeter(SCOPE);
  const counter = (name: string, description: string) => meter.createCounter(name, { description });
  const histogram = (name: string, description: string) =>
    meter.createHistogram(name, {
      description,
      unit: 'ms',
      advice: { explicitBucketBoundaries: [...BUCKET_BOUNDS_MS] },
    });
  return {
    hits: counter('tagcache.hits', 'Calls answered from the cache with a fresh value'),
    staleHits: counter('tagcache.stale_hits', 'Calls answered with a stale value'),
    misses: counter('tagcache.misses', 'Calls the cache could not answer'),
    writes: counter('tagcache.writes', 'Entries written'),
    refused: counter(
      'tagcache.writes_refused',
      'Writes refused: an invalidation happened while the function ran',
    ),
    errors: counter('tagcache.errors', 'Store operations that failed or timed out'),
    invalidations: counter('tagcache.invalidations', 'Invalidations by tags, deleted entries and clears'),
    compute: histogram('tagcache.compute.duration', 'How long the cached function ran'),
    read: histogram(
      'tagcache.get.duration',
      'How long a call took to be answered from the store (hits) or to find a miss',
    ),
  };
}

type Instruments = ReturnType<typeof instrumentsOf>;

function fnAttributes(e: { cache: string; name: string }): Attributes {
  return { [CACHE]: e.cache, [FUNCTION]: e.name };
}

function countEvent(m: Instruments, e: CacheEvent): void {
  switch (e.type) {
    case 'hit':
    case 'stale-hit':
    case 'miss': {
      const a = fnAttributes(e);
      (e.type === 'hit' ? m.hits : e.type === 'miss' ? m.misses : m.staleHits).add(1, a);
      if (e.durationMs !== undefined) m.read.record(e.durationMs, { ...a, 'tagcache.result': e.type });
      return;
    }
    case 'compute':
      m.compute.record(e.durationMs, { ...fnAttributes(e), 'tagcache.outcome': e.ok ? 'ok' : 'error' });
      return;
    case 'write':
      m.writes.add(1, fnAttributes(e));
      return;
    case 'write-refused':
      m.refused.add(1, fnAttributes(e));
      return;
    case 'store-error':
      m.errors.add(1, { [CACHE]: e.cache, 'tagcache.op': e.op });
      return;
    case 'invalidate':
    case 'clear':
      m.invalidations.add(1, { [CACHE]: e.cache, 'tagcache.kind': e.type === 'clear' ? 'clear' : 'tags' });
      return;
    case 'delete':
      m.invalidations.add(1, {
        [CACHE]: e.cache,
        'tagcache.kind': 'delete',
        ...(e.name === undefined ? {} : { [FUNCTION]: e.name }),
      });
      return;
  }
}

function spanOf(kind: TraceKind, ctx: TraceContext): { name: string; attributes: Attributes } {
  const attributes: Attributes = { [CACHE]: ctx.cache };
  for (const [k, v] of Object.entries(ctx))
    if (k !== 'cache' && (typeof v === 'string' || typeof v === 'boolean' || Array.isArray(v)))
      attributes[k === 'name' ? FUNCTION : `tagcache.${k}`] = v as string | boolean | string[];
  const label = typeof ctx['name'] === 'string' ? ` ${ctx['name']}` : '';
  return { name: `tagcache.${kind}${label}`, attributes };
}

function ended<T>(span: Span, run: () => Promise<T>): Promise<T> {
  return run().then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      span.end();
      throw error;
    },
  );
}

/**
 * Reports every cache's activity to OpenTelemetry: counters (`tagcache.hits`, `tagcache.misses`,
 * `tagcache.stale_hits`, `tagcache.writes`, `tagcache.writes_refused`, `tagcache.errors`,
 * `tagcache.invalidations`) and histograms in ms (`tagcache.compute.duration`,
 * `tagcache.get.duration`) with `tagcache.cache` and `tagcache.function` attributes, and a span
 * around each computation (`tagcache.compute <name>`, the parent of the spans the function
 * makes) and invalidation (`tagcache.invalidate`). Returns the function that stops it.
 *
 * @example
 * ```ts
 * import { instrument } from 'tagcache/otel';
 * const stop = instrument(); // the global providers of @opentelemetry/api
 * stop();
 * ```
 */
export function instrument(options: InstrumentOptions = {}): () => void {
  const instruments = instrumentsOf(options.meterProvider ?? metrics.getMeterProvider());
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const sink: GlobalSink = {
    event: (e) => countEvent(instruments, e),
    around<T>(kind: TraceKind, ctx: TraceContext, run: () => Promise<T>): Promise<T> {
      if (kind === 'get') return run();
      const { name, attributes } = spanOf(kind, ctx);
      return tracer.startActiveSpan(name, { attributes }, (span) => ended(span, run));
    },
  };
  return addGlobalSink(sink);
}
