/**
 * Small Redis admin helpers: memory, version, flush.
 */
import { createClient } from 'redis';

/** An admin connection. */
export interface RedisAdmin {
  /** `INFO memory` → `used_memory`, in bytes. */
  usedMemory(): Promise<number>;
  /** `INFO server` → `redis_version`. */
  version(): Promise<string>;
  flushAll(): Promise<void>;
  close(): Promise<void>;
}

function field(info: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  return m?.[1]?.trim();
}

/**
 * Connects an admin client to `url`.
 *
 * @example
 * ```ts
 * const admin = await redisAdmin(url);
 * console.log(await admin.usedMemory());
 * ```
 */
export async function redisAdmin(url: string): Promise<RedisAdmin> {
  const client = createClient({ url, commandOptions: { timeout: 0 } });
  client.on('error', () => undefined);
  await client.connect();
  return {
    async usedMemory() {
      return Number(field(await client.info('memory'), 'used_memory') ?? NaN);
    },
    async version() {
      return field(await client.info('server'), 'redis_version') ?? 'unknown';
    },
    async flushAll() {
      await client.flushAll();
    },
    close: () => client.close(),
  };
}
