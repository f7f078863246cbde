import diagnostics_channel from 'node:diagnostics_channel';

/**
 * The operations traced on `node:diagnostics_channel` tracing channels, named
 * `tagcache:get`, `tagcache:compute` and `tagcache:invalidate`.
 *
 * @example
 * ```ts
 * const kind: TraceKind = 'compute';
 * ```
 */
export type TraceKind = 'get' | 'compute' | 'invalidate';

/**
 * The context object of a traced operation: `tagcache:get` gets the call's {@link CallProbe}
 * (with `outcome` set before the end events), `tagcache:compute` `{ cache, name, key }`,
 * `tagcache:invalidate` `{ cache, tags, mode }` or `{ cache, keys }` or `{ cache, clear: true }`.
 *
 * @example
 * ```ts
 * const ctx: TraceContext = { cache: 'default', name: 'getUser', key: '1:getUser:1' };
 * ```
 */
export type TraceContext = { readonly cache: string } & Record<string, unknown>;

/**
 * The tracing channels of tagcache, for APM tools: subscribe with
 * `diagnostics_channel.tracingChannel('tagcache:compute').subscribe({ start, asyncEnd, error })`.
 * Nothing is traced, and no context is built, while a channel has no subscriber.
 *
 * @example
 * ```ts
 * import { tracingChannels } from 'tagcache';
 * tracingChannels.compute.subscribe({
 *   start: (ctx) => console.log('computing', ctx),
 *   asyncStart: () => {},
 *   asyncEnd: () => {},
 *   end: () => {},
 *   error: () => {},
 * });
 * ```
 */
export const tracingChannels = Object.freeze({
  get: diagnostics_channel.tracingChannel<unknown, object>('tagcache:get'),
  compute: diagnostics_channel.tracingChannel<unknown, object>('tagcache:compute'),
  invalidate: diagnostics_channel.tracingChannel<unknown, object>('tagcache:invalidate'),
});

/** The start and asyncEnd channels of `tagcache:get`: checked once per call on the hot path. */
const getStart = tracingChannels.get.start;
const getEnd = tracingChannels.get.asyncEnd;

/**
 * Whether anyone subscribed to the `tagcache:get` channel (its `start` or its `asyncEnd` event).
 */
export function getTraced(): boolean {
  return getStart.hasSubscribers || getEnd.hasSubscribers;
}

/**
 * Runs `run` inside the tracing channel of `kind` when it has subscribers; plain `run()` otherwise.
 */
export function traceOn<T>(kind: TraceKind, context: TraceContext, run: () => Promise<T>): Promise<T> {
  const channel = tracingChannels[kind];
  return channel.hasSubscribers ? (channel.tracePromise(run, context) as Promise<T>) : run();
}
