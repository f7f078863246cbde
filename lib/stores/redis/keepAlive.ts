/**
 * Keeps the process alive while a store that owns its connection has work in flight, and only
 * then: the sockets of clients the store creates are unref'd (an idle cache never holds a
 * process open), so a command or a connection in progress must hold the event loop itself.
 * One long interval timer is created per store and only its ref flag is toggled, on the first
 * operation that starts and the last that settles; nothing is allocated per command besides
 * the settle callback (and nothing at all with `enter`/`leave`, which the read path uses).
 *
 * @packageDocumentation
 */

/**
 * Passes a promise through, holding the process open until it settles.
 *
 * @example
 * ```ts
 * const keep = keepAlive(true);
 * const reply = await keep.track(client.sendCommand(['PING']));
 * keep.stop();
 * ```
 */
export interface KeepAlive {
  track<T>(p: Promise<T>): Promise<T>;
  /** Like `track`, without a promise of its own: the caller calls `leave()` once it settled. */
  enter(): void;
  leave(): void;
  /** Releases the timer (the store is closed). */
  stop(): void;
}

const IDENTITY: KeepAlive = Object.freeze({
  track: <T>(p: Promise<T>): Promise<T> => p,
  enter: () => undefined,
  leave: () => undefined,
  stop: () => undefined,
});

/** ~24 days, the longest interval Node accepts; the timer never needs to fire. */
const FOREVER_MS = 2 ** 31 - 1;
const noop = (): void => undefined;

/**
 * A tracker; with `enabled: false` (a client the user passed in, whose sockets stay as they
 * are) it does nothing.
 *
 * @example
 * ```ts
 * const keep = keepAlive(connector.owned);
 * ```
 */
export function keepAlive(enabled: boolean): KeepAlive {
  if (!enabled) return IDENTITY;
  let inFlight = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const enter = (): void => {
    if (inFlight++ === 0) (timer ??= setInterval(noop, FOREVER_MS)).ref();
  };
  const leave = (): void => {
    if (--inFlight === 0) timer?.unref();
  };
  return Object.freeze({
    track<T>(p: Promise<T>): Promise<T> {
      enter();
      p.then(leave, leave);
      return p;
    },
    enter,
    leave,
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  });
}
