/**
 * tagcache of an older revision (BENCH_BASELINE, exported by bench/lib/baseline.ts), written as
 * bench/peers/tagcache.ts writes the current one: `createCache` + `withCache` on the memory store
 * or on `redisStore({ url })`. The revision's entry is loaded by dynamic import from its folder,
 * and only what it has is used: a missing export is an error naming it, and an option that its
 * schemas refuse is left out (the subject's name then says so).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { baselineDir, baselineRevision } from '../lib/baseline.js';
import { tagsOf, type Loader } from '../lib/fixtures.js';
import { TTL_MS, type Subject } from '../lib/subject.js';

type Options = Record<string, unknown>;

/** The part of tagcache's public API these subjects use, as any revision may offer it. */
interface RevisionApi {
  createCache(config: Options): { close(): Promise<void> };
  withCache(fn: Loader, options: Options): (key: string) => Promise<unknown>;
  memoryStore(options?: Options): unknown;
  redisStore(connection: { readonly url: string }, options?: Options): unknown;
}

async function load(commit: string): Promise<RevisionApi> {
  const lib = join(baselineDir(commit), 'lib');
  if (!existsSync(join(lib, 'index.ts')))
    throw new Error(
      `tagcache@${commit}: ${lib} is missing (bench/run.ts exports it when BENCH_BASELINE is set)`,
    );
  const entry = (await import(pathToFileURL(join(lib, 'index.ts')).href)) as Record<string, unknown>;
  const redisEntry = existsSync(join(lib, 'redis.ts'))
    ? ((await import(pathToFileURL(join(lib, 'redis.ts')).href)) as Record<string, unknown>)
    : {};
  const api: Record<string, unknown> = {};
  for (const name of ['createCache', 'withCache', 'memoryStore', 'redisStore']) {
    const f = entry[name] ?? redisEntry[name];
    if (typeof f !== 'function') throw new Error(`tagcache@${commit} exports no ${name}`);
    api[name] = f;
  }
  return api as unknown as RevisionApi;
}

/**
 * Calls `make` with `required` and `optional`; when it throws and the message names an optional
 * key (an option this revision's schemas do not know), calls it again without that key.
 */
function supported<T>(
  make: (options: Options) => T,
  required: Options,
  optional: Options,
  dropped: string[],
): T {
  const rest = { ...optional };
  for (;;) {
    try {
      return make({ ...required, ...rest });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const refused = Object.keys(rest).find((k) => message.includes(k));
      if (refused === undefined) throw e;
      delete rest[refused];
      dropped.push(refused);
    }
  }
}

/** Which store and tags a revision subject uses. */
export interface RevisionSetup {
  readonly store: 'memory' | 'redis';
  readonly tags: boolean;
  /** Redis only. */
  readonly url?: string;
  readonly namespace: string;
}

/**
 * tagcache@<BENCH_BASELINE> on its memory store (`maxEntries: 10_000`) or `redisStore({ url })`.
 *
 * @example
 * ```ts
 * const s = await tagcacheRevision({ store: 'memory', tags: true, namespace: 'bench' }, countingLoader());
 * ```
 */
export async function tagcacheRevision(setup: RevisionSetup, loader: Loader): Promise<Subject> {
  const commit = baselineRevision();
  if (commit === undefined) throw new Error('tagcache revision subjects need BENCH_BASELINE');
  const api = await load(commit);
  const dropped: string[] = [];
  const store =
    setup.store === 'memory'
      ? supported((o) => api.memoryStore(o), {}, { maxEntries: 10_000 }, dropped)
      : api.redisStore({ url: setup.url ?? '' });
  const cache = supported(
    (o) => api.createCache(o),
    { store },
    { namespace: setup.namespace, ttl: TTL_MS },
    dropped,
  );
  const cached = supported(
    (o) => api.withCache(loader, o),
    { cache, name: 'item' },
    setup.tags ? { tags: (key: string) => tagsOf(key) } : {},
    dropped,
  );
  const without = dropped.length > 0 ? ` (without ${dropped.join(', ')})` : '';
  return {
    name: `tagcache@${commit} ${setup.store}${setup.tags ? ', 3 tags' : ', no tags'}${without}`,
    role: 'revision',
    get: (key) => cached(key),
    close: () => cache.close(),
  };
}
