/**
 * Connectors: how a Redis store gets its client. Clients the store creates load the optional
 * `redis` package lazily (`await import('redis')`, on the first operation), turn off node-redis'
 * per-command timer and offline queue (a cache must fail fast, not queue, while Redis is away)
 * and are closed by the store; injected clients are connected if needed and never closed.
 *
 * @packageDocumentation
 */
import { StoreError } from '../../errors.js';
import type { RedisClientLike, RedisClusterLike } from './clientTypes.js';
import type { Connector } from './link.js';

/**
 * Options handed to node-redis' `createClient` / `createCluster` (TLS, credentials, …).
 *
 * @example
 * ```ts
 * const opts: RedisClientOptionsLike = { socket: { tls: true, rejectUnauthorized: true } };
 * ```
 */
export type RedisClientOptionsLike = Readonly<Record<string, unknown>>;

/** Listener for errors of a client the store owns (connection losses, reconnect failures). */
type OnError = (err: Error) => void;

interface Emitting {
  once(event: 'ready' | 'error', listener: (arg: unknown) => void): unknown;
  off(event: 'ready' | 'error', listener: (arg: unknown) => void): unknown;
}

const NO_TIMER = { timeout: 0 } as const;

/** Resolves at the client's next `ready`, rejects at its next `error`. */
function nextOutcome(client: Emitting): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onReady = (): void => {
      client.off('error', onError);
      resolve();
    };
    const onError = (e: unknown): void => {
      client.off('ready', onReady);
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    client.once('ready', onReady);
    client.once('error', onError);
  });
}

const closedError = (): StoreError => new StoreError('ERR_STORE', 'The Redis store is closed');

/**
 * A client the store creates from a `redis://` or `rediss://` URL (credentials and TLS come from
 * the URL; `clientOptions` may add socket options such as a CA).
 *
 * @example
 * ```ts
 * const connector = urlClient('rediss://user:pass@cache.example.com:6380', {}, console.error);
 * ```
 */
export function urlClient(
  url: string,
  clientOptions: RedisClientOptionsLike,
  onError: OnError,
): Connector<RedisClientLike> {
  let client: (RedisClientLike & Emitting) | undefined;
  let disposed = false;
  const create = async (): Promise<RedisClientLike & Emitting> => {
    const { createClient } = await import('redis');
    if (disposed) throw closedError();
    const socket = clientOptions['socket'];
    // node-redis merges the URL into `socket` in place: hand it a copy of the caller's object.
    const options = {
      ...clientOptions,
      ...(socket ? { socket: { ...socket } } : {}),
      url,
      disableOfflineQueue: true,
      commandOptions: NO_TIMER,
    };
    const c = createClient(options as Parameters<typeof createClient>[0]) as unknown as RedisClientLike &
      Emitting;
    c.on('error', onError);
    // The client reconnects by itself; each `open` waits for the next outcome as events.
    c.connect().catch(() => undefined);
    return c;
  };
  return {
    async open() {
      client ??= await create();
      if (!client.isReady) await nextOutcome(client);
      return client;
    },
    async dispose() {
      disposed = true;
      const c = client;
      client = undefined;
      if (c === undefined) return;
      if (c.isReady) await c.close().catch(() => c.destroy());
      else c.destroy();
    },
  };
}

/**
 * An injected client: connected on first use if it is not open yet; never closed by the store.
 *
 * @example
 * ```ts
 * const connector = injectedClient(createClient({ url }));
 * ```
 */
export function injectedClient(client: RedisClientLike): Connector<RedisClientLike> {
  return {
    async open() {
      if (!client.isOpen) {
        const e = client as unknown as Emitting;
        client.connect().catch(() => undefined);
        if (!client.isReady) await nextOutcome(e);
      }
      return client;
    },
    dispose: () => Promise.resolve(),
  };
}

/**
 * A cluster client the store creates from root node URLs.
 *
 * @example
 * ```ts
 * const connector = nodesCluster(['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000'], {}, console.error);
 * ```
 */
export function nodesCluster(
  urls: readonly string[],
  clusterOptions: RedisClientOptionsLike,
  onError: OnError,
): Connector<RedisClusterLike> {
  let cluster: RedisClusterLike | undefined;
  let disposed = false;
  const create = async (): Promise<RedisClusterLike> => {
    const { createCluster } = await import('redis');
    if (disposed) throw closedError();
    const defaults = {
      ...(clusterOptions['defaults'] as object | undefined),
      disableOfflineQueue: true,
      commandOptions: NO_TIMER,
    };
    const options = {
      ...clusterOptions,
      rootNodes: urls.map((url) => ({ url })),
      defaults,
      commandOptions: NO_TIMER,
    };
    const c = createCluster(options as Parameters<typeof createCluster>[0]) as unknown as RedisClusterLike;
    c.on('error', onError);
    return c;
  };
  return {
    async open() {
      const c = (cluster ??= await create());
      if (!c.isOpen) await c.connect();
      if (disposed) throw closedError();
      return c;
    },
    async dispose() {
      disposed = true;
      const c = cluster;
      cluster = undefined;
      if (c?.isOpen) await c.close().catch(() => c.destroy());
    },
  };
}

/**
 * An injected cluster client: connected on first use if needed; never closed by the store.
 *
 * @example
 * ```ts
 * const connector = injectedCluster(createCluster({ rootNodes }));
 * ```
 */
export function injectedCluster(cluster: RedisClusterLike): Connector<RedisClusterLike> {
  return {
    async open() {
      if (!cluster.isOpen) await cluster.connect();
      return cluster;
    },
    dispose: () => Promise.resolve(),
  };
}
