/**
 * The connections of the coherence bus: a command link (scripts on the bus hash, routed to its
 * slot on a cluster) and one subscribed client. Classic pub/sub: on a cluster, `PUBLISH` reaches
 * subscribers on every node, so the subscriber connects to one node (the next one in the list
 * when that node stays unreachable).
 *
 * @packageDocumentation
 */
import { clientLink, clusterLink, type RedisLink } from '../redis/link.js';
import { nodesCluster, urlClient } from '../redis/connectors.js';
import { nodeUrl } from '../redisClusterStore.js';
import { runScript, type LuaScript } from '../redis/scriptRunner.js';
import type { TieredBusConnection } from './options.js';
import { CLOSE_TIMEOUT_MS } from '../redis/options.js';

/** The structural part of a node-redis client the subscriber uses. */
interface Subscriber {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  subscribe(channels: string[], listener: (message: string, channel: string) => void): Promise<void>;
  destroy(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * What the bus tells its owner.
 *
 * @example
 * ```ts
 * const events: BusEvents = { message: console.log, up: () => {}, down: () => {} };
 * ```
 */
export interface BusEvents {
  message(channel: string, message: string): void;
  /** The subscription is (again) active: messages published from now on arrive. */
  up(): void;
  /** The subscription was lost: messages may be missed until the next `up`. */
  down(): void;
}

/**
 * The bus connections.
 *
 * @example
 * ```ts
 * const bus = createBus({ url: 'redis://localhost:6379' }, 'tc', console.error);
 * await bus.run(RENEW, [id, '0', '2000', era]);
 * ```
 */
export interface Bus {
  /** The bus hash (`<prefix>:{<prefix>:bus}`) and the two channels. */
  readonly key: string;
  readonly invChannel: string;
  readonly ackChannel: string;
  run(script: LuaScript, args: readonly string[]): Promise<unknown>;
  /** Connects the command link now; rejects with the real cause. */
  ready(): Promise<void>;
  /** Connects and subscribes (once); events follow. */
  listen(events: BusEvents): void;
  close(): Promise<void>;
}

const SUBSCRIBER_ROTATE_MS = 3000;

function commandLink(connection: TieredBusConnection, onError: (e: Error) => void): RedisLink {
  if ('url' in connection)
    return clientLink(
      urlClient(connection.url, connection.clientOptions ?? {}, { onError, closeTimeout: CLOSE_TIMEOUT_MS }),
    );
  return clusterLink(
    nodesCluster(connection.rootNodes.map(nodeUrl), connection.clusterOptions ?? {}, {
      onError,
      closeTimeout: CLOSE_TIMEOUT_MS,
    }),
  );
}

function subscriberUrls(connection: TieredBusConnection): string[] {
  return 'url' in connection ? [connection.url] : connection.rootNodes.map(nodeUrl);
}

function subscriberOptions(connection: TieredBusConnection): Record<string, unknown> {
  const extra =
    'url' in connection ? connection.clientOptions : (connection.clusterOptions?.['defaults'] as object);
  return { ...(extra ?? {}) };
}

/**
 * Creates the bus (nothing connects before `listen` or `run`).
 *
 * @example
 * ```ts
 * const bus = createBus({ rootNodes: ['redis://10.0.0.1:7000'] }, 'tc', () => {});
 * ```
 */
export function createBus(connection: TieredBusConnection, prefix: string, onError: (e: Error) => void): Bus {
  const link = commandLink(connection, onError);
  const key = `${prefix}:{${prefix}:bus}`;
  const invChannel = `${key}:inv`;
  const ackChannel = `${key}:ack`;
  const urls = subscriberUrls(connection);
  let sub: Subscriber | undefined;
  let closed = false;
  let rotateTimer: ReturnType<typeof setTimeout> | undefined;
  let node = 0;

  const open = async (events: BusEvents): Promise<void> => {
    const { createClient } = await import('redis');
    if (closed) return;
    const url = urls[node % urls.length] as string;
    const c = createClient({ ...subscriberOptions(connection), url } as Parameters<
      typeof createClient
    >[0]) as unknown as Subscriber;
    sub = c;
    let up = false;
    let subscribed = false;
    const signalUp = (): void => {
      if (up) return;
      up = true;
      events.up();
    };
    const down = (): void => {
      if (up) events.down();
      up = false;
      if (rotateTimer === undefined && urls.length > 1 && !closed)
        rotateTimer = setTimeout(() => rotate(c, events), SUBSCRIBER_ROTATE_MS).unref();
    };
    c.on('error', (e) => (onError(e instanceof Error ? e : new Error(String(e))), down()));
    c.on('reconnecting', down);
    c.on('end', down);
    c.on('ready', () => {
      if (sub !== c || !c.isReady) return;
      clearTimeout(rotateTimer);
      rotateTimer = undefined;
      // node-redis resubscribes before it reports `ready` after a reconnect.
      if (subscribed) signalUp();
    });
    await c.connect().catch(() => undefined);
    await c.subscribe([invChannel, ackChannel], (message, channel) => events.message(channel, message));
    subscribed = true;
    if (c.isReady && sub === c) signalUp();
  };
  const rotate = (c: Subscriber, events: BusEvents): void => {
    rotateTimer = undefined;
    if (closed || sub !== c || c.isReady) return;
    c.destroy();
    node += 1;
    void open(events);
  };

  return Object.freeze({
    key,
    invChannel,
    ackChannel,
    run: (script: LuaScript, args: readonly string[]) => runScript(link, script, key, args),
    ready: () => link.ready(),
    listen(events: BusEvents) {
      if (sub === undefined && !closed)
        void open(events).catch((e: unknown) => onError(e instanceof Error ? e : new Error(String(e))));
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(rotateTimer);
      sub?.destroy();
      sub = undefined;
      await link.close();
    },
  });
}
