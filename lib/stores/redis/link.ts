/**
 * A lazily opened connection to Redis or Redis Cluster, as the scripted store sees it: send a
 * command routed by a key, reach every master, close. The first command waits for the
 * connection; later ones go straight to the client (no await on the hot path).
 *
 * @packageDocumentation
 */
import { StoreError } from '../../errors.js';
import type { RedisClientLike, RedisClusterLike, RedisCommandOptions } from './clientTypes.js';
import { keepAlive, type KeepAlive } from './keepAlive.js';

/** node-redis per-command options: no per-command timer. */
export const NO_TIMEOUT: RedisCommandOptions = Object.freeze({ timeout: 0 });

/** After a failed connection attempt, operations fail fast for this long before a retry. */
const RETRY_AFTER_MS = 1000;

/**
 * Sends one command to one node.
 *
 * @example
 * ```ts
 * const send: NodeSender = (args) => client.sendCommand(args);
 * ```
 */
export type NodeSender = (args: string[]) => Promise<unknown>;

/**
 * The connection of a scripted Redis store.
 *
 * @example
 * ```ts
 * const link = clientLink(injectedClient(client));
 * await link.send('tc:{app|0}:e', ['GET', 'tc:{app|0}:e']);
 * ```
 */
export interface RedisLink {
  /** Sends `args`; `key` routes the command on a cluster. */
  send(key: string, args: string[]): Promise<unknown>;
  /**
   * Like `send`, for the read path: the caller calls `settled()` exactly once when the reply or
   * the error has arrived (so no promise is chained to keep the process alive meanwhile).
   */
  request(key: string, args: string[]): Promise<unknown>;
  /** Ends one `request`. */
  settled(): void;
  /** One sender per master node (a single server is its own master). */
  masters(): Promise<NodeSender[]>;
  /**
   * Loads `redis` and connects now, even within the fail-fast second after a failed attempt (so a
   * caller that knows the server is back can reconnect at once); rejects with the real cause.
   */
  ready(): Promise<void>;
  /** Whether the store created the client (and closes it); `false` for an injected client. */
  readonly ownsClient: boolean;
  /** Closes a client the store created, dropping replies still pending after its `closeTimeout`. */
  close(): Promise<void>;
}

/**
 * Opens (once) and disposes of the client behind a link. `open` resolves when the client can take
 * commands and may be called again after a failure; `dispose` closes what the store created and
 * leaves injected clients alone.
 *
 * @example
 * ```ts
 * const connector: Connector<RedisClientLike> = { owned: false, open: async () => client, dispose: async () => {} };
 * ```
 */
export interface Connector<C> {
  open(): Promise<C>;
  dispose(): Promise<void>;
  /** Whether the store created the client. */
  readonly owned: boolean;
  /** Whether an opened client can still take commands; when not, the next operation reopens it. */
  alive?(client: C): boolean;
}

/** The message of a connection error: node-redis' own, or the codes of an AggregateError (ECONNREFUSED on ::1 and 127.0.0.1). */
function describe(e: unknown): string {
  if (e instanceof AggregateError && e.message === '')
    return e.errors.map((x: unknown) => (x instanceof Error ? x.message : String(x))).join('; ');
  return e instanceof Error ? e.message : String(e);
}

interface Lazy<C> {
  current(): C | undefined;
  /** The client, opening it if needed; within `RETRY_AFTER_MS` of a failure, fails fast unless `now`. */
  ready(now?: boolean): Promise<C>;
  close(): Promise<void>;
}

function lazy<C>(connector: Connector<C>, keep: KeepAlive): Lazy<C> {
  let client: C | undefined;
  let pending: Promise<C> | undefined;
  let failedAt = 0;
  let failure: unknown;
  let closed = false;
  const alive = connector.alive ?? ((): boolean => true);
  const ready = (now = false): Promise<C> => {
    if (closed) return Promise.reject(new StoreError('ERR_STORE', 'The Redis store is closed'));
    if (client !== undefined && alive(client)) return Promise.resolve(client);
    client = undefined;
    if (!pending && !now && Date.now() - failedAt < RETRY_AFTER_MS) return Promise.reject(failure);
    pending ??= keep.track(connector.open()).then(
      (c) => ((client = closed ? undefined : c), (pending = undefined), c),
      (e: unknown) => {
        failedAt = Date.now();
        failure =
          e instanceof StoreError
            ? e
            : new StoreError('ERR_STORE', `Cannot connect to Redis: ${describe(e)}`, { cause: e });
        pending = undefined;
        throw failure;
      },
    );
    return pending;
  };
  return {
    current: () => (client !== undefined && alive(client) ? client : undefined),
    ready,
    async close() {
      if (closed) return;
      closed = true;
      client = undefined;
      await connector.dispose().finally(() => keep.stop());
    },
  };
}

/**
 * A link over a single node-redis client.
 *
 * @example
 * ```ts
 * const link = clientLink(urlClient('redis://localhost:6379', {}, console.error));
 * ```
 */
export function clientLink(connector: Connector<RedisClientLike>): RedisLink {
  const keep = keepAlive(connector.owned);
  const conn = lazy(connector, keep);
  const send = (_key: string, args: string[]): Promise<unknown> => {
    const c = conn.current();
    if (c !== undefined) return keep.track(c.sendCommand(args, NO_TIMEOUT));
    return conn.ready().then((client) => keep.track(client.sendCommand(args, NO_TIMEOUT)));
  };
  const request = (_key: string, args: string[]): Promise<unknown> => {
    keep.enter();
    const c = conn.current();
    if (c === undefined) return conn.ready().then((client) => client.sendCommand(args, NO_TIMEOUT));
    try {
      return c.sendCommand(args, NO_TIMEOUT);
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return Object.freeze({
    send,
    request,
    settled: keep.leave,
    masters: async (): Promise<NodeSender[]> => {
      const c = await conn.ready();
      return [(args: string[]) => keep.track(c.sendCommand(args, NO_TIMEOUT))];
    },
    // A PING proves the connection usable: a server requiring a password the URL lacks accepts
    // the connection and refuses the first command (NOAUTH).
    ready: () =>
      conn
        .ready(true)
        .then((c) => keep.track(c.sendCommand(['PING'], NO_TIMEOUT)))
        .then(
          () => undefined,
          (e: unknown) => {
            throw e instanceof StoreError
              ? e
              : new StoreError('ERR_STORE', `Redis is not usable: ${describe(e)}`, { cause: e });
          },
        ),
    ownsClient: connector.owned,
    close: () => conn.close(),
  });
}

/**
 * A link over a node-redis cluster client: commands are routed by their key's slot.
 *
 * @example
 * ```ts
 * const link = clusterLink(injectedCluster(cluster));
 * ```
 */
export function clusterLink(connector: Connector<RedisClusterLike>): RedisLink {
  const keep = keepAlive(connector.owned);
  const conn = lazy(connector, keep);
  const send = (key: string, args: string[]): Promise<unknown> => {
    const c = conn.current();
    if (c !== undefined) return keep.track(c.sendCommand(key, false, args, NO_TIMEOUT));
    return conn.ready().then((cluster) => keep.track(cluster.sendCommand(key, false, args, NO_TIMEOUT)));
  };
  const request = (key: string, args: string[]): Promise<unknown> => {
    keep.enter();
    const c = conn.current();
    if (c === undefined)
      return conn.ready().then((cluster) => cluster.sendCommand(key, false, args, NO_TIMEOUT));
    try {
      return c.sendCommand(key, false, args, NO_TIMEOUT);
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return Object.freeze({
    send,
    request,
    settled: keep.leave,
    masters: async (): Promise<NodeSender[]> => {
      const cluster = await conn.ready();
      const nodes = await keep.track(Promise.all(cluster.masters.map((m) => cluster.nodeClient(m as never))));
      return nodes.map((n) => (args: string[]) => keep.track(n.sendCommand(args, NO_TIMEOUT)));
    },
    ready: () => conn.ready(true).then(() => undefined),
    ownsClient: connector.owned,
    close: () => conn.close(),
  });
}
