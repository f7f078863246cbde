/**
 * The key-value methods of a cache handle (see {@link KeyValueCache}), on its store, serializer,
 * guard and clocks. Keys are relative to the cache's version, as `keyOf` gives them.
 *
 * @packageDocumentation
 */
import { newStats } from '../events/CacheStats.js';
import { recordDelete, recordWrite, startTimer } from '../events/record.js';
import { ttlMs } from '../core/ttlPresets.js';
import { deferKeys, deferPattern } from '../core/deferral.js';
import { encodePayload } from '../core/payload.js';
import { FAILED } from '../core/storeGuard.js';
import { StoreError } from '../errors.js';
import { checkKey, getOrSet } from './getOrSet.js';
import { globEscape } from '../keys/glob.js';
import { entryOf, readEntry } from './readEntry.js';
import { derivedOps } from '../stores/storeOps.js';
import type { Cache } from '../core/createCache.js';
import type { Runtime } from '../core/runtime.js';
import type { ManyWrite, ReadResult, Store, WriteEntry } from '../stores/Store.js';
import type { KeyValueCache, SetManyItem, SetOptions } from './types.js';

function tagList(tags: Iterable<string> | undefined): string[] {
  if (tags === undefined) return [];
  if (typeof tags === 'string')
    throw new TypeError('tags: expected an iterable of tags, got one string (wrap it in an array)');
  const list = [...new Set(tags)];
  for (const t of list)
    if (typeof t !== 'string' || t.length === 0)
      throw new TypeError(`tags must be non-empty strings, got ${String(t)}`);
  return list;
}

function writeOf(
  rt: Runtime,
  item: SetManyItem | (SetOptions & { key: string; value: unknown }),
): ManyWrite<unknown> {
  checkKey(item.key);
  const asked = item.ttl === undefined ? rt.ttl : ttlMs(item.ttl, rt.ttlPresets, 'ttl');
  const ttl = Math.min(asked, rt.maxTtl);
  if (!(ttl > 0)) throw new RangeError(`ttl must be positive, got ${String(item.ttl)}`);
  const entry: WriteEntry<unknown> = {
    payload: encodePayload(rt, item.value, false),
    tags: tagList(item.tags),
    createdAt: Date.now(),
    ttl,
    grace: 0,
    error: false,
  };
  return { key: rt.keyPrefix + item.key, entry };
}

/** The store's many-key operations, or ones built from its basic operations. */
function opsOf(store: Store): Required<Pick<Store, 'getMany' | 'setMany' | 'remove'>> {
  const derived = derivedOps(store);
  return {
    getMany: store.getMany?.bind(store) ?? derived.getMany,
    setMany: store.setMany?.bind(store) ?? derived.setMany,
    remove: store.remove?.bind(store) ?? derived.remove,
  };
}

async function expireEntry(rt: Runtime, key: string, ttl: number): Promise<boolean> {
  const { store, namespace: ns } = rt;
  if (store.expire !== undefined) return store.expire(ns, key, ttl);
  const r = await store.get(ns, key);
  if (!r.hit || r.state === 'invalidated') return false;
  return store.set(
    ns,
    key,
    { payload: r.payload, tags: r.tags, createdAt: r.createdAt, ttl, grace: 0, error: r.error },
    r.epoch,
  );
}

/** Batches of full keys (with the version prefix) matching `pattern`. */
function scanFull(rt: Runtime, pattern: string): AsyncIterable<readonly string[]> {
  const scan = rt.store.scan;
  if (scan === undefined)
    throw new StoreError('ERR_STORE', `store ${rt.store.kind} cannot list its keys (no scan)`);
  return scan.call(rt.store, rt.namespace, globEscape(rt.keyPrefix) + pattern);
}

async function* scanKeys(rt: Runtime, pattern: string): AsyncGenerator<string> {
  const cut = rt.keyPrefix.length;
  for await (const batch of scanFull(rt, pattern)) for (const k of batch) yield k.slice(cut);
}

/**
 * Builds the key-value methods of the handle `cache()` with runtime `rt`.
 */
export function keyValueMethods(cache: () => Cache, rt: Runtime): KeyValueCache {
  const { store, namespace: ns, guard } = rt;
  const ops = opsOf(store);
  const stats = newStats();
  const full = (key: string): string => (checkKey(key), rt.keyPrefix + key);
  const remove = async (keys: readonly string[]): Promise<number> => {
    if (keys.length === 0) return 0;
    const t0 = startTimer(rt.events);
    const n = await guard.strict('delete', () => ops.remove(ns, keys));
    recordDelete(rt.events, keys, undefined, t0);
    return n;
  };
  const methods: KeyValueCache = {
    get<T>(key: string) {
      let k: string;
      try {
        k = full(key);
      } catch (e) {
        return Promise.reject(e);
      }
      return readEntry<T>(rt, k).then((e) => e?.value);
    },
    getEntry: <T>(key: string) => readEntry<T>(rt, full(key)),
    async set(key, value, options = {}) {
      const w = writeOf(rt, { ...options, key, value });
      const written = await guard.run('set', w.key, () => store.set(ns, w.key, w.entry));
      if (written === true) recordWrite(rt.events, stats, '', w.key, true, w.entry.ttl, w.entry.tags, 0);
    },
    getOrSet: (key, fn, options) => getOrSet(cache(), stats, key, fn, options),
    delete(keys) {
      const list = typeof keys === 'string' ? [keys] : [...keys];
      const fulls = list.map(full);
      return deferKeys(cache(), list) ? Promise.resolve(0) : remove(fulls);
    },
    has: async (key) => (await readEntry(rt, full(key))) !== undefined,
    ttl: async (key) => (await readEntry(rt, full(key)))?.ttl,
    async expire(key, ttl) {
      const k = full(key);
      const r = await guard.run('set', k, () =>
        expireEntry(rt, k, Math.min(ttlMs(ttl, rt.ttlPresets, 'ttl'), rt.maxTtl)),
      );
      return r === true;
    },
    keys: (pattern = '*') => scanKeys(rt, pattern),
    async deletePattern(pattern) {
      if (deferPattern(cache(), pattern)) return 0;
      let n = 0;
      for await (const batch of scanFull(rt, pattern)) n += await remove(batch);
      return n;
    },
    async getMany<T>(keys: readonly string[]) {
      const fulls = keys.map(full);
      const reads = await guard.run('get', undefined, () => ops.getMany(ns, fulls));
      if (reads === FAILED) return keys.map(() => undefined);
      return Promise.all(
        (reads as ReadResult<unknown>[]).map(
          async (r, i) => (await entryOf<T>(rt, fulls[i] as string, r))?.value,
        ),
      );
    },
    async setMany(items) {
      const writes = items.map((item) => writeOf(rt, item));
      if (writes.length > 0) await guard.run('set', undefined, () => ops.setMany(ns, writes));
    },
    async ping() {
      const start = performance.now();
      await guard.strict('get', () =>
        store.ping === undefined ? store.get(ns, rt.keyPrefix + '@ping') : store.ping(),
      );
      return performance.now() - start;
    },
    async info() {
      const i =
        store.info === undefined
          ? {}
          : await guard.strict('get', () => (store.info as NonNullable<Store['info']>)(ns));
      return { store: store.kind, ...i };
    },
  };
  return methods;
}
