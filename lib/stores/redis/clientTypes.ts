/**
 * The parts of node-redis clients that the Redis stores use, as structural types, so that the
 * public types of tagcache never require the optional `redis` package to be installed.
 * node-redis' `RedisClientType` and `RedisClusterType` satisfy them.
 *
 * @packageDocumentation
 */

/**
 * Per-command options passed to node-redis. tagcache sends `{ timeout: 0 }`: no per-command
 * timer (node-redis 6 arms a 5 s timer per command by default, which costs throughput); the
 * cache's own `timeout` option bounds store calls instead.
 *
 * @example
 * ```ts
 * await client.sendCommand(['PING'], { timeout: 0 });
 * ```
 */
export interface RedisCommandOptions {
  readonly timeout?: number;
}

/**
 * A node-redis client (`createClient()` from the `redis` package, v6).
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client: RedisClientLike = createClient({ url: 'redis://localhost:6379' });
 * ```
 */
export interface RedisClientLike {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  sendCommand(args: string[], options?: RedisCommandOptions): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  /** Lets the process exit while the connection is open (called on clients the store creates). */
  unref?(): void;
}

/**
 * A node-redis cluster client (`createCluster()` from the `redis` package, v6).
 *
 * @example
 * ```ts
 * import { createCluster } from 'redis';
 * const cluster: RedisClusterLike = createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:7000' }] });
 * ```
 */
export interface RedisClusterLike {
  readonly isOpen: boolean;
  /** The master nodes, as the cluster client last discovered them. */
  readonly masters: readonly unknown[];
  /** The replica nodes, as the cluster client last discovered them. */
  readonly replicas?: readonly unknown[];
  connect(): Promise<unknown>;
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
    options?: RedisCommandOptions,
  ): Promise<unknown>;
  /** The connection to one node (an element of `masters`). */
  nodeClient(node: never): RedisClientLike | Promise<RedisClientLike>;
  close(): Promise<unknown>;
  destroy(): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'node-connect', listener: () => void): unknown;
}
