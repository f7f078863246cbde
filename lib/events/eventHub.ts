import { debugLine } from './debugLine.js';
import { globalSinks, watchGlobalSinks, type GlobalSink } from './globalSinks.js';
import { traceOn, tracingChannels, type TraceContext, type TraceKind } from './tracingChannels.js';
import { WARNING_EVENTS, type CacheEvent, type CacheEventType } from './CacheEvent.js';
import type { LogLevels } from './logLevels.js';

/**
 * A listener of `cache.on(type, …)`: `'*'` receives every event, a type only its own.
 *
 * @example
 * ```ts
 * const onMiss: CacheListener<'miss'> = (e) => console.log('miss', e.key);
 * ```
 */
export type CacheListener<T extends CacheEventType | '*'> = (
  e: T extends CacheEventType ? Extract<CacheEvent, { type: T }> : CacheEvent,
) => void;

/** Settings of {@link createEventHub}. */
export interface EventHubOptions {
  readonly cache: string;
  /** `createCache({ onEvent })`: a permanent listener of every event. */
  readonly onEvent: ((e: CacheEvent) => void) | undefined;
  /** Where warnings (rate-limited) and reports of throwing listeners go. */
  readonly warn: ((e: CacheEvent) => void) | undefined;
  readonly log: LogLevels | undefined;
  /** Debug lines for hits, misses, writes, … through `log.debug`. */
  readonly debug: boolean;
  /** The metrics collector of the cache, when metrics are on. */
  readonly metrics: ((e: CacheEvent) => void) | undefined;
}

/**
 * The one place a cache's events go (internal): the recording functions (`record.ts`) build an
 * event only when {@link EventHub.active} says someone consumes it, and the hub hands it to the
 * warning logger, the debug logger, `onEvent`, `cache.on` listeners, the metrics collector and
 * the global sinks (`instrument()`).
 */
export interface EventHub {
  readonly cache: string;
  /** Someone consumes informational events; read on the hot path. */
  readonly active: boolean;
  /**
   * Someone reads the durations of reads (listeners, `onEvent`, debug lines, global sinks); the
   * metrics collector alone does not, so metrics do not time hits.
   */
  readonly timed: boolean;
  publish(e: CacheEvent): void;
  on<T extends CacheEventType | '*'>(type: T, listener: CacheListener<T>): () => void;
  /** Reports a user callback (listener, `onCall`) that threw: once per callback. */
  failed(callback: object, where: string, error: unknown): void;
  /** Runs `run` inside the tracing channel of `kind` and the spans of the global sinks, if any. */
  around<T>(kind: TraceKind, context: () => TraceContext, run: () => Promise<T>): Promise<T>;
  /** Stops following the global sinks. */
  close(): void;
}

type AnyListener = (e: CacheEvent) => void;

function toSinks(
  sinks: ReadonlySet<GlobalSink>,
  e: CacheEvent,
  failed: (callback: object, where: string, error: unknown) => void,
): void {
  for (const sink of sinks) {
    try {
      sink.event(e);
    } catch (error) {
      failed(sink, 'a global sink', error);
    }
  }
}

/**
 * Whether {@link EventHub.around} of `kind` wraps anything now: a global sink with `around`, or a
 * subscriber of the `kind` tracing channel. When not, callers run the operation directly (no
 * closures for `around` to take).
 */
export function aroundNeeded(kind: TraceKind): boolean {
  if (tracingChannels[kind].hasSubscribers) return true;
  const sinks = globalSinks();
  if (sinks.size === 0) return false;
  for (const sink of sinks) if (sink.around !== undefined) return true;
  return false;
}

/**
 * Creates the event hub of one cache.
 */
export function createEventHub(options: EventHubOptions): EventHub {
  const { cache, onEvent, warn, log, metrics } = options;
  const debug = options.debug && log !== undefined ? log.debug : undefined;
  const byType = new Map<CacheEventType | '*', Set<AnyListener>>();
  let listenerCount = 0;
  const reported = new WeakSet<object>();

  const failed = (callback: object, where: string, error: unknown): void => {
    if (reported.has(callback)) return;
    reported.add(callback);
    const message = error instanceof Error ? error.message : String(error);
    log?.warn(
      `[tagcache] cache "${cache}": ${where} threw (${message}); it stays subscribed, its later errors are not reported`,
    );
  };
  const call = (listener: AnyListener, e: CacheEvent, where: string): void => {
    try {
      listener(e);
    } catch (error) {
      failed(listener, where, error);
    }
  };
  const refresh = (): void => {
    hub.timed = listenerCount > 0 || onEvent !== undefined || debug !== undefined || globalSinks().size > 0;
    hub.active = hub.timed || metrics !== undefined;
  };

  const publish = (e: CacheEvent): void => {
    if (warn !== undefined && WARNING_EVENTS.has(e.type)) warn(e);
    if (!hub.active) return;
    if (debug !== undefined) {
      const line = debugLine(e);
      if (line !== undefined) debug(line);
    }
    if (onEvent !== undefined) call(onEvent, e, 'onEvent');
    const own = byType.get(e.type);
    if (own !== undefined) for (const l of own) call(l, e, `a listener of "${e.type}" events`);
    const all = byType.get('*');
    if (all !== undefined) for (const l of all) call(l, e, 'a listener of all events');
    if (metrics !== undefined) metrics(e);
    const sinks = globalSinks();
    if (sinks.size > 0) toSinks(sinks, e, failed);
  };

  const on = <T extends CacheEventType | '*'>(type: T, listener: CacheListener<T>): (() => void) => {
    const set = byType.get(type) ?? new Set<AnyListener>();
    byType.set(type, set);
    const l = listener as AnyListener;
    if (set.has(l)) return () => {};
    set.add(l);
    listenerCount += 1;
    refresh();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      set.delete(l);
      listenerCount -= 1;
      refresh();
    };
  };

  const around = <T>(kind: TraceKind, context: () => TraceContext, run: () => Promise<T>): Promise<T> => {
    let go = run;
    let ctx: TraceContext | undefined;
    for (const sink of globalSinks()) {
      if (sink.around === undefined) continue;
      ctx ??= context();
      const inner = go;
      const c = ctx;
      go = () => (sink as Required<GlobalSink>).around(kind, c, inner);
    }
    if (ctx === undefined && !tracingChannels[kind].hasSubscribers) return go();
    return traceOn(kind, ctx ?? context(), go);
  };

  // A plain data property (`active`), read on every call; the hub is its own watcher of the
  // global sinks (held weakly there, strongly by the cache's runtime).
  const hub: EventHub & { active: boolean; timed: boolean; refresh(): void } = {
    cache,
    active: false,
    timed: false,
    publish,
    on,
    failed,
    around,
    refresh,
    close: () => unwatch(),
  };
  const unwatch = watchGlobalSinks(hub);
  refresh();
  return hub;
}
