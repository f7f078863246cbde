/**
 * Loads the optional `redis` peer dependency (node-redis) on demand, so that the core entry never
 * requires it, and turns "module not found" into an error that says what to install.
 *
 * @packageDocumentation
 */
import { StoreError } from '../../errors.js';

/**
 * The parts of the `redis` module the stores use.
 *
 * @example
 * ```ts
 * const { createClient } = await loadRedis();
 * ```
 */
export interface RedisModule {
  createClient(options?: unknown): unknown;
  createCluster(options: unknown): unknown;
}

/** The message of the error a missing `redis` package gives. */
export const MISSING_REDIS =
  'The Redis stores need the `redis` package (node-redis 6), which is not installed: run `npm install redis`';

const isNotFound = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
};

/**
 * Imports `redis` with `importer` (the real `import('redis')` by default). A missing package
 * rejects with a `StoreError` naming it; other failures keep their cause.
 *
 * @example
 * ```ts
 * const redis = await loadRedis(); // or rejects: The Redis stores need the `redis` package …
 * ```
 */
export function loadRedis(importer: () => Promise<unknown> = () => import('redis')): Promise<RedisModule> {
  return importer().then(
    (m) => m as RedisModule,
    (e: unknown) => {
      if (isNotFound(e)) throw new StoreError('ERR_STORE', MISSING_REDIS, { cause: e });
      throw new StoreError('ERR_STORE', `Cannot load the \`redis\` package: ${String(e)}`, { cause: e });
    },
  );
}
