/**
 * What a CLI command works on: a cache handle on the store the URL names (so every action goes
 * through the library's own functions), and for Redis URLs a read-only inspector of the layout.
 *
 * @packageDocumentation
 */
import { createCache, parseDuration, storeFromUrl, type Cache } from '../index.js';
import { redisUrlTarget } from '../stores/storeFromUrl.js';
import { redisInspector, type RedisInspector } from '../stores/redis/inspect.js';
import { CliError } from './output.js';

/**
 * The options every command takes.
 *
 * @example
 * ```ts
 * const g: GlobalOptions = { url: 'redis://localhost:6379', namespace: 'tc', version: '1', json: false, timeout: '5s' };
 * ```
 */
export interface GlobalOptions {
  readonly url?: string;
  readonly namespace: string;
  readonly version: string;
  readonly json: boolean;
  readonly timeout: string;
}

/**
 * An opened target.
 *
 * @example
 * ```ts
 * const t = await openTarget(g);
 * try { console.log(await t.cache.ping()); } finally { await t.close(); }
 * ```
 */
export interface Target {
  readonly cache: Cache;
  /** The URL with its password hidden. */
  readonly where: string;
  /** Set for `redis://`, `rediss://` and `redis-cluster://` URLs. */
  readonly inspector: RedisInspector | undefined;
  close(): Promise<void>;
}

/**
 * Hides the password of a URL.
 *
 * @example
 * ```ts
 * redactUrl('redis://user:secret@host:6379'); // 'redis://user:***@host:6379'
 * ```
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z+-]+:\/\/[^:@/]*:)[^@]*@/i, '$1***@');
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new CliError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

function timeoutOf(raw: string): number {
  const ms = parseDuration(/^\d+$/.test(raw) ? Number(raw) : raw);
  if (!(ms !== undefined && ms > 0))
    throw new CliError(`--timeout: expected a duration (5s, 500ms), got "${raw}"`, 2);
  return ms;
}

/**
 * Opens the store of `--url` (or `TAGCACHE_URL`), connects (within `--timeout`) and returns a
 * cache on `--namespace` and `--version`.
 *
 * @example
 * ```ts
 * const t = await openTarget({ url: 'file:///var/cache/app', namespace: 'tc', version: '1', json: false, timeout: '5s' });
 * ```
 */
export async function openTarget(g: GlobalOptions): Promise<Target> {
  const url = g.url ?? process.env['TAGCACHE_URL'];
  if (url === undefined || url.trim() === '')
    throw new CliError('no store URL: pass --url <url> or set TAGCACHE_URL', 2);
  const timeout = timeoutOf(g.timeout);
  const store = storeFromUrl(url);
  const cache = createCache({
    store,
    namespace: g.namespace,
    version: g.version,
    timeout,
    logger: false,
    breaker: false,
  });
  const where = `${store.kind} at ${redactUrl(url.trim())}`;
  const redis = redisUrlTarget(url);
  const inspector = redis === undefined ? undefined : redisInspector(redis);
  const close = async (): Promise<void> => {
    await Promise.allSettled([cache.close(), inspector?.close()]);
  };
  try {
    if (store.ready !== undefined) await within(store.ready(), timeout, `cannot connect to ${where}`);
  } catch (e) {
    await close();
    const why = e instanceof Error ? e.message : String(e);
    throw e instanceof CliError ? e : new CliError(`cannot connect to ${where}: ${why}`);
  }
  return { cache, where, inspector, close };
}
