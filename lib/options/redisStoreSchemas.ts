/**
 * zod schemas of the Redis stores' arguments: the connection (`redisStore({ url })`,
 * `redisClusterStore({ rootNodes })`, or an injected node-redis client) and the store options.
 * Unknown keys are rejected by name; an option given in the wrong object
 * (`redisStore({ url, markerMargin })`) says where it belongs.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { InvalidOptionsError } from '../errors.js';
import { parseOptions } from './parseOptions.js';

const SLOT_COUNT = 16384;
const DURATION_HINT = "milliseconds (a number >= 0) or a string like '250ms', '30s', '5m'";

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const isFn = (v: unknown): boolean => typeof v === 'function';

const duration = z.custom<number | string>((d) => parseDuration(d) !== undefined, {
  message: `expected a duration: ${DURATION_HINT}`,
});
const plainOptions = z.custom<Obj>((v) => isObject(v) && !Array.isArray(v), {
  message: 'expected an options object for node-redis',
});

/** Checks the options (second argument) of `redisStore` and `redisClusterStore`. */
export const redisStoreOptionsSchema = z.strictObject({
  groups: z
    .number({ message: `expected an integer from 1 to ${SLOT_COUNT}` })
    .int({ message: `expected an integer from 1 to ${SLOT_COUNT}` })
    .min(1, { message: `expected an integer from 1 to ${SLOT_COUNT}` })
    .max(SLOT_COUNT, { message: `expected an integer from 1 to ${SLOT_COUNT}` })
    .optional(),
  prefix: z
    .string({ message: 'expected a non-empty string without { or }' })
    .regex(/^[^{}]+$/, { message: 'expected a non-empty string without { or }' })
    .optional(),
  markerMargin: duration.optional(),
  closeTimeout: duration.optional(),
  onError: z.custom((v) => isFn(v), { message: 'expected a function (error) => void' }).optional(),
});

/** Names of the store options, to point at them when they are given in the connection object. */
const STORE_OPTIONS: ReadonlySet<string> = new Set(Object.keys(redisStoreOptionsSchema.shape));

/** What a client of another library looks like, to name it in the error. */
function foreignClient(v: Obj): string | undefined {
  if (typeof v['status'] === 'string' && typeof v['isOpen'] !== 'boolean')
    return 'an ioredis client: the Redis stores run on node-redis. Pass createClient() / createCluster() from the `redis` package, or a URL';
  return undefined;
}

const isNodeRedisCluster = (v: Obj): boolean => Array.isArray(v['masters']) && isFn(v['nodeClient']);
const isNodeRedisClient = (v: Obj): boolean =>
  typeof v['isOpen'] === 'boolean' && isFn(v['sendCommand']) && isFn(v['connect']) && !isNodeRedisCluster(v);

function clientSchema(kind: 'client' | 'cluster') {
  return z.unknown().superRefine((v, ctx) => {
    const problem = !isObject(v)
      ? 'expected a node-redis client'
      : (foreignClient(v) ??
        (kind === 'client' && isNodeRedisCluster(v)
          ? 'a node-redis cluster client: use redisClusterStore({ client }) for a cluster'
          : kind === 'cluster' && isNodeRedisClient(v)
            ? 'a single-server node-redis client: use redisStore({ client }), or createCluster() here'
            : (kind === 'client' ? isNodeRedisClient(v) : isNodeRedisCluster(v))
              ? undefined
              : `expected a node-redis ${kind === 'client' ? 'client (createClient())' : 'cluster client (createCluster())'}`));
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

const urlConnection = z.strictObject({
  url: z.string({ message: 'expected redis://… or rediss://…' }).regex(/^rediss?:\/\//i, {
    message: 'expected redis://… or rediss://…',
  }),
  clientOptions: plainOptions.optional(),
});
const nodesConnection = z.strictObject({
  rootNodes: z.array(z.unknown(), { message: 'expected an array of nodes' }).min(1, {
    message: 'expected at least one node',
  }),
  clusterOptions: plainOptions.optional(),
});

/**
 * Checks the connection (first argument) of `redisStore` (`kind: 'client'`) or
 * `redisClusterStore` (`kind: 'cluster'`), throwing `InvalidOptionsError` naming the option.
 */
export function checkConnection(connection: unknown, kind: 'client' | 'cluster', where: string): void {
  if (!isObject(connection))
    throw new InvalidOptionsError(
      'connection',
      `${where} takes ${kind === 'client' ? '{ url } or { client }' : '{ rootNodes } or { client }'} as its first argument`,
    );
  for (const key of Object.keys(connection))
    if (STORE_OPTIONS.has(key))
      throw new InvalidOptionsError(
        key,
        `an option of ${where}'s second argument, not of the connection: ${where}(${kind === 'client' ? '{ url }' : '{ rootNodes }'}, { ${key} })`,
      );
  if ('client' in connection) {
    parseOptions(z.strictObject({ client: clientSchema(kind) }), connection, where);
    return;
  }
  parseOptions(kind === 'client' ? urlConnection : nodesConnection, connection, where);
}

/**
 * Checks the store options of `redisStore` / `redisClusterStore`.
 */
export function checkStoreOptions(options: unknown, where: string): void {
  parseOptions(redisStoreOptionsSchema, options, where);
}
