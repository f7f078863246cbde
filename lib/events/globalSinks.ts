import type { CacheEvent } from './CacheEvent.js';
import type { TraceContext, TraceKind } from './tracingChannels.js';

/**
 * A process-wide consumer of every cache's events (`instrument()` of `tagcache/otel` is one):
 * while one is installed, every cache observes its calls.
 */
export interface GlobalSink {
  event(e: CacheEvent): void;
  /** Runs an operation (a computation, an invalidation) inside the sink's span. */
  around?<T>(kind: TraceKind, context: TraceContext, run: () => Promise<T>): Promise<T>;
}

/** What a cache's event hub exposes to the global sinks (internal). */
export interface SinkWatcher {
  refresh(): void;
}

const sinks = new Set<GlobalSink>();
const watchers = new Set<WeakRef<SinkWatcher>>();
const forget = new FinalizationRegistry<WeakRef<SinkWatcher>>((ref) => watchers.delete(ref));

function refreshAll(): void {
  for (const ref of watchers) {
    const watcher = ref.deref();
    if (watcher === undefined) watchers.delete(ref);
    else watcher.refresh();
  }
}

/**
 * Installs `sink` for every cache, existing and future; returns the function that removes it.
 */
export function addGlobalSink(sink: GlobalSink): () => void {
  sinks.add(sink);
  refreshAll();
  return () => {
    if (sinks.delete(sink)) refreshAll();
  };
}

/**
 * The installed global sinks.
 */
export function globalSinks(): ReadonlySet<GlobalSink> {
  return sinks;
}

/**
 * Tells `watcher` (held weakly) whenever a global sink comes or goes; returns the function that
 * stops it.
 */
export function watchGlobalSinks(watcher: SinkWatcher): () => void {
  const ref = new WeakRef(watcher);
  watchers.add(ref);
  forget.register(watcher, ref, ref);
  return () => {
    watchers.delete(ref);
    forget.unregister(ref);
  };
}
