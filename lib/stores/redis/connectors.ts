/**
 * Connectors: how a Redis store gets its client. Clients the store creates load the optional
 * `redis` package (the import starts when the store is created), turn off node-redis'
 * per-command timer and offline queue (a cache must fail fast, not queue, while Redis is away),
 * do not hold the process open (unref'd sockets; a lost single-server connection is reopened by
 * the next operation rather than by a retry timer) and are closed by the store, within
 * `closeTimeout` even when the server stopped answering. Injected clients are connected if needed
 * and never closed, unref'd or reconfigured.
 *
 * @packageDocumentation
 */
import { StoreError } from '../../errors.js';
import type { RedisClientLike, RedisClusterLike } from './clientTypes.js';
import type { Connector } from './link.js';
import { loadRedis, type RedisModule } from './loadRedis.js';

/**
 * Options handed to node-redis' `createClient` / `createCluster` (TLS, credentials, …).
 *
 * @example
 * ```ts
 * const opts: RedisClientOptionsLike = { socket: { tls: true, rejectUnauthorized: true } };
 * ```
 */
export type RedisClientOptionsLike = Readonly<Record<string, unknown>>;

/**
 * What a connector of a client the store owns needs besides the address.
 *
 * @example
 * ```ts
 * const owned: OwnedClientSettings = { onError: console.error, closeTimeout: 2000 };
 * ```
 */
export interface OwnedClientSettings {
  /** Errors of the client (connection lost, reconnect failed). */
  readonly onError: (err: Error) => void;
  /** ms that `dispose` waits for pending replies before it drops them. */
  readonly closeTimeout: number;
}

type Event = 'ready' | 'error' | 'end';
interface Emitting {
  once(event: Event, listener: (arg: unknown) => void): unknown;
  off(event: Event, listener: (arg: unknown) => void): unknown;
  unref?(): void;
}

const NO_TIMER = { timeout: 0 } as const;
const TOPOLOGY_REFRESH_MS = 1000;
const closedError = (): StoreError => new StoreError('ERR_STORE', 'The Redis store is closed');

/** Resolves at the client's next `ready`, rejects at its next `error` (or `end`). */
function nextOutcome(client: Emitting): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (): void => {
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('end', onEnd);
    };
    const onReady = (): void => (done(), resolve());
    const onError = (e: unknown): void => (done(), reject(e instanceof Error ? e : new Error(String(e))));
    const onEnd = (): void => (done(), reject(closedError()));
    client.once('ready', onReady);
    client.once('error', onError);
    client.once('end', onEnd);
  });
}

/** Whether `p` settles within `ms` (its outcome is ignored). The timer is cleared either way. */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  return Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    late,
  ]).finally(() => clearTimeout(timer));
}

/** Closes a client: pending commands get `ms` to answer, then the socket is destroyed. */
async function closeClient(c: RedisClientLike, ms: number): Promise<void> {
  if (!c.isOpen) return void c.destroy();
  const closing = c.close();
  if (!(await settlesWithin(closing, ms))) c.destroy();
}

function clientOptions(url: string, options: RedisClientOptionsLike): Record<string, unknown> {
  const socket = options['socket'] as Record<string, unknown> | undefined;
  // node-redis merges the URL into `socket` in place: hand it a copy of the caller's object.
  // Without a strategy of the caller's, a lost connection is reopened by the next operation
  // (no retry timer keeps the process alive while Redis is away).
  return {
    ...options,
    socket: { reconnectStrategy: false, ...socket },
    url,
    disableOfflineQueue: true,
    commandOptions: NO_TIMER,
  };
}

/** Starts loading `redis` now (a missing package is known at once), without an unhandled rejection. */
function startLoading(load: () => Promise<RedisModule>): Promise<RedisModule> {
  const loading = load();
  loading.catch(() => undefined);
  return loading;
}

/**
 * A client the store creates from a `redis://` or `rediss://` URL (credentials and TLS come from
 * the URL; `clientOptions` may add socket options such as a CA).
 *
 * @example
 * ```ts
 * const connector = urlClient('rediss://user:pass@cache.example.com:6380', {}, { onError: console.error, closeTimeout: 2000 });
 * ```
 */
export function urlClient(
  url: string,
  options: RedisClientOptionsLike,
  settings: OwnedClientSettings,
): Connector<RedisClientLike> {
  const loading = startLoading(loadRedis);
  let client: (RedisClientLike & Emitting) | undefined;
  let disposed = false;
  const create = async (): Promise<RedisClientLike & Emitting> => {
    const { createClient } = await loading;
    if (disposed) throw closedError();
    const c = createClient(clientOptions(url, options)) as RedisClientLike & Emitting;
    c.on('error', settings.onError);
    c.unref?.();
    return c;
  };
  return {
    owned: true,
    alive: (c) => c.isOpen,
    async open() {
      const c = (client ??= await create());
      if (c.isReady) return c;
      const outcome = nextOutcome(c);
      if (!c.isOpen) c.connect().catch(() => undefined);
      await outcome;
      return c;
    },
    async dispose() {
      disposed = true;
      const c = client;
      client = undefined;
      if (c !== undefined) await closeClient(c, settings.closeTimeout);
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
    owned: false,
    async open() {
      if (!client.isOpen) {
        const outcome = nextOutcome(client as unknown as Emitting);
        client.connect().catch(() => undefined);
        await outcome;
      } else if (!client.isReady) await nextOutcome(client as unknown as Emitting);
      return client;
    },
    dispose: () => Promise.resolve(),
  };
}

/** The node clients a cluster client currently holds. */
function nodeClients(cluster: RedisClusterLike): RedisClientLike[] {
  const nodes = [...cluster.masters, ...(cluster.replicas ?? [])] as { client?: RedisClientLike }[];
  return nodes.flatMap((n) => (n.client === undefined ? [] : [n.client]));
}

/** Connects a cluster, rejecting with the last error a node reported when no root node answers. */
async function connectCluster(c: RedisClusterLike & { off(e: 'error', l: (e: Error) => void): unknown }) {
  let last: Error | undefined;
  const onError = (e: Error): void => void (last = e);
  c.on('error', onError);
  try {
    await c.connect();
  } catch (e) {
    if (last === undefined) throw e;
    throw new StoreError('ERR_STORE', `Cannot connect to Redis Cluster: ${last.message}`, { cause: last });
  } finally {
    c.off('error', onError);
  }
}

/**
 * A cluster client the store creates from root node URLs.
 *
 * @example
 * ```ts
 * const connector = nodesCluster(['redis://10.0.0.1:7000'], {}, { onError: console.error, closeTimeout: 2000 });
 * ```
 */
export function nodesCluster(
  urls: readonly string[],
  clusterOptions: RedisClientOptionsLike,
  settings: OwnedClientSettings,
): Connector<RedisClusterLike> {
  const loading = startLoading(loadRedis);
  let cluster: RedisClusterLike | undefined;
  let disposed = false;
  const create = async (): Promise<RedisClusterLike> => {
    const { createCluster } = await loading;
    if (disposed) throw closedError();
    const defaults = {
      ...(clusterOptions['defaults'] as object | undefined),
      disableOfflineQueue: true,
      commandOptions: NO_TIMER,
    };
    const options = {
      // While a node is unreachable, re-read the topology every second (node-redis' default: 5 s),
      // so that a promoted replica takes over the slots of a dead master quickly.
      topologyRefreshOnReconnectionAttemptStrategy: TOPOLOGY_REFRESH_MS,
      ...clusterOptions,
      rootNodes: urls.map((url) => ({ url })),
      defaults,
      commandOptions: NO_TIMER,
    };
    const c = createCluster(options) as RedisClusterLike;
    c.on('error', settings.onError);
    // Node connections are made (and remade) by node-redis: unref each one as it connects.
    c.on('node-connect', () => nodeClients(c).forEach((n) => n.unref?.()));
    return c;
  };
  return {
    owned: true,
    async open() {
      const c = (cluster ??= await create());
      if (!c.isOpen) await connectCluster(c as Parameters<typeof connectCluster>[0]);
      if (disposed) throw closedError();
      return c;
    },
    async dispose() {
      disposed = true;
      const c = cluster;
      cluster = undefined;
      if (!c?.isOpen) return;
      const nodes = nodeClients(c);
      if (!(await settlesWithin(c.close(), settings.closeTimeout))) nodes.forEach((n) => n.destroy());
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
    owned: false,
    async open() {
      if (!cluster.isOpen) await cluster.connect();
      return cluster;
    },
    dispose: () => Promise.resolve(),
  };
}
