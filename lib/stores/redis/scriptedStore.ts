/**
 * The {@link Store} on Redis and Redis Cluster: every write, invalidation and delete is one Lua
 * script per group (one hash tag, one slot), sent with EVALSHA; reads are one `MGET` or one GET
 * script (see `reader.ts`). Shared by `redisStore` and `redisClusterStore`, which only differ in
 * their connection.
 *
 * Costs (commands the client sends): a hit or a miss is one command, shared by the concurrent
 * reads of the key made before it is sent (read coalescing, see `reader.ts`); a write one more;
 * invalidating tags is one `EVALSHA` per group, all of a node's in one pipelined batch, whatever
 * the number of entries carrying the tags.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import type {
  Epoch,
  InvalidationMode,
  ManyWrite,
  ReadResult,
  ReadTarget,
  Store,
  StoreLock,
  WriteEntry,
} from '../Store.js';
import { createLayout, type Layout } from './layout.js';
import type { RedisLink } from './link.js';
import { createReader, type Reader } from './reader.js';
import { encodeBody, parseWritten } from './replies.js';
import { luaScript, runScript, wrapError } from './scriptRunner.js';
import { DELETE_LUA, FENCE_LUA, GET_LUA, INVALIDATE_LUA, RELEASE_LUA, SET_LUA } from './scripts.js';
import { clearNamespace } from './clearNamespace.js';
import * as kv from './keyValueOps.js';

const GET = luaScript('get', GET_LUA);
const SET = luaScript('set', SET_LUA);
const INVALIDATE = luaScript('invalidate', INVALIDATE_LUA);
const DELETE = luaScript('delete', DELETE_LUA);
const FENCE = luaScript('clear', FENCE_LUA);
const RELEASE = luaScript('release', RELEASE_LUA);

/**
 * Configuration of {@link scriptedStore}.
 *
 * @example
 * ```ts
 * const config: ScriptedStoreConfig = { kind: 'redis', link, prefix: 'tc', groups: 1, markerMargin: 600_000 };
 * ```
 */
export interface ScriptedStoreConfig {
  readonly kind: string;
  readonly link: RedisLink;
  /** Key prefix (`tc`). */
  readonly prefix: string;
  /** Groups per namespace; every process sharing the data must use the same number. */
  readonly groups: number;
  /** Extra life of markers beyond the longest entry life seen, in ms. */
  readonly markerMargin: number;
}

function checkEntry(entry: WriteEntry<string>): void {
  if (typeof entry.payload !== 'string')
    throw new TypeError('Redis stores hold string payloads (holdsValues: false)');
  if (!(entry.ttl > 0) || !Number.isFinite(entry.ttl))
    throw new RangeError(`ttl must be a positive number of ms, got ${entry.ttl}`);
  if (!(entry.grace >= 0) || !Number.isFinite(entry.grace))
    throw new RangeError(`grace must be >= 0 ms, got ${entry.grace}`);
}

function setArgs(
  p: string,
  key: string,
  entry: WriteEntry<string>,
  tagsJson: string,
  epoch: Epoch | undefined,
  margin: string,
): string[] {
  const life = Math.max(1, Math.ceil(entry.ttl + entry.grace));
  const args = [p, key, encodeBody(entry, tagsJson, Date.now()), String(life)];
  args.push(epoch === undefined ? '' : String(epoch), margin);
  for (const t of entry.tags) args.push(t);
  return args;
}

function byGroup(layout: Layout, ns: string, keys: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const l = layout.forNamespace(ns);
  for (const key of keys) {
    const p = l.prefixOf(key);
    const list = groups.get(p);
    if (list) list.push(key);
    else groups.set(p, [key]);
  }
  return groups;
}

function lockOf(link: RedisLink, lockKey: string, token: string): StoreLock {
  let released: Promise<void> | undefined;
  return Object.freeze({
    release: () => (released ??= runScript(link, RELEASE, lockKey, [token]).then(() => undefined)),
  });
}

/**
 * A Redis-backed {@link Store}: string payloads, every method asynchronous, locks supported.
 *
 * @example
 * ```ts
 * const store: RedisStore = redisStore({ url: 'redis://localhost:6379' });
 * const r = await store.get('app', 'user:1');
 * ```
 */
export interface RedisStore extends Store<string> {
  get(ns: string, key: string): Promise<ReadResult<string>>;
  readInto(ns: string, key: string, target: ReadTarget<ReadResult<string>>): void;
  set(ns: string, key: string, entry: WriteEntry<string>, epoch?: Epoch): Promise<boolean>;
  delete(ns: string, keys: readonly string[]): Promise<void>;
  invalidate(ns: string, tags: readonly string[], mode: InvalidationMode): Promise<void>;
  clear(ns: string): Promise<void>;
  lock(ns: string, key: string, ttl: number): Promise<StoreLock | undefined>;
  ready(): Promise<void>;
  readonly ownsClient: boolean;
}

/** How many keys' entry keys a store remembers for its reads. */
const MAX_MEMO_KEYS = 10_000;

/** Where key `key` of namespace `ns` lives. */
interface EntryKey {
  readonly ns: string;
  readonly prefix: string;
  readonly entryKey: string;
}

interface Ctx {
  readonly link: RedisLink;
  readonly layout: Layout;
  readonly margin: string;
  readonly reader: Reader;
}

/** One `EVALSHA` of the SET script; the reply is decoded in the same reaction (no `await` hop). */
function write(c: Ctx, ns: string, key: string, entry: WriteEntry<string>, epoch?: Epoch): Promise<boolean> {
  try {
    checkEntry(entry);
  } catch (e) {
    return Promise.reject(e);
  }
  const p = c.layout.forNamespace(ns).prefixOf(key);
  const entryKey = p + 'k:' + key;
  const tagsJson = JSON.stringify(entry.tags);
  return runScript(c.link, SET, entryKey, setArgs(p, key, entry, tagsJson, epoch, c.margin), (reply) => {
    const written = parseWritten(reply);
    if (written) c.reader.remember(p, entryKey, tagsJson, entry.tags);
    return written;
  });
}

async function invalidate(
  c: Ctx,
  ns: string,
  tags: readonly string[],
  mode: InvalidationMode,
): Promise<void> {
  if (tags.length === 0) return;
  const { prefixes } = c.layout.forNamespace(ns);
  await Promise.all(
    prefixes.map((p) =>
      runScript(c.link, INVALIDATE, p + 'e', [p, mode, c.margin, ...tags]).then((e) => c.reader.saw(p, e)),
    ),
  );
}

async function remove(c: Ctx, ns: string, keys: readonly string[]): Promise<void> {
  const groups = byGroup(c.layout, ns, keys);
  await Promise.all(
    [...groups].map(([p, ks]) =>
      runScript(c.link, DELETE, p + 'e', [p, c.margin, ...ks]).then((e) => c.reader.saw(p, e)),
    ),
  );
}

async function clear(c: Ctx, ns: string): Promise<void> {
  const { prefixes } = c.layout.forNamespace(ns);
  await Promise.all(
    prefixes.map((p) => runScript(c.link, FENCE, p + 'e', [p]).then((e) => c.reader.saw(p, e))),
  );
  await clearNamespace(c.link, c.layout.scanPattern(ns), new Set(prefixes));
}

async function lock(c: Ctx, ns: string, key: string, ttl: number): Promise<StoreLock | undefined> {
  const lockKey = c.layout.forNamespace(ns).prefixOf(key) + 'l:' + key;
  const token = randomUUID();
  const px = String(Math.max(1, Math.ceil(ttl)));
  const reply = await c.link.send(lockKey, ['SET', lockKey, token, 'NX', 'PX', px]).catch((e: unknown) => {
    throw wrapError('lock', e);
  });
  return reply === 'OK' ? lockOf(c.link, lockKey, token) : undefined;
}

/**
 * Builds the store over a connection.
 *
 * @example
 * ```ts
 * const store = scriptedStore({ kind: 'redis', link: clientLink(injectedClient(client)), prefix: 'tc', groups: 1, markerMargin: 600_000 });
 * ```
 */
export function scriptedStore(config: ScriptedStoreConfig): RedisStore {
  const { link } = config;
  const layout = createLayout(config.prefix, config.groups);
  const reader = createReader(link, GET);
  const c: Ctx = { link, layout, margin: String(Math.ceil(config.markerMargin)), reader };
  const kvc: kv.KeyValueContext = {
    ...c,
    singleNode: config.kind !== 'redis-cluster',
    remember: reader.remember,
  };
  /**
   * The group prefix and entry key of the keys read lately (at most {@link MAX_MEMO_KEYS}): a hit
   * reuses the same entry key string (its hash computed once) instead of concatenating one.
   */
  const entryKeys = new Map<string, EntryKey>();
  const entryKeyOf = (ns: string, key: string): EntryKey => {
    let k = entryKeys.get(key);
    if (k === undefined || k.ns !== ns) {
      const prefix = layout.forNamespace(ns).prefixOf(key);
      k = { ns, prefix, entryKey: prefix + 'k:' + key };
      if (entryKeys.size >= MAX_MEMO_KEYS) entryKeys.clear();
      entryKeys.set(key, k);
    }
    return k;
  };
  /**
   * `change`, closing the open read batch first (see `reader.ts`): a read that starts after a
   * change was issued never joins a read queued before it.
   */
  const changing =
    <A extends unknown[], T>(change: (...args: A) => T) =>
    (...args: A): T => {
      reader.close();
      return change(...args);
    };
  return Object.freeze({
    kind: config.kind,
    holdsValues: false,
    get: (ns: string, key: string): Promise<ReadResult<string>> => {
      const k = entryKeyOf(ns, key);
      return reader.read(k.prefix, k.entryKey);
    },
    readInto: (ns: string, key: string, target: ReadTarget<ReadResult<string>>): void => {
      const k = entryKeyOf(ns, key);
      reader.readInto(k.prefix, k.entryKey, target);
    },
    set: changing((ns: string, key: string, entry: WriteEntry<string>, epoch?: Epoch) =>
      write(c, ns, key, entry, epoch),
    ),
    delete: changing((ns: string, keys: readonly string[]) => remove(c, ns, keys)),
    invalidate: changing((ns: string, tags: readonly string[], mode: InvalidationMode) =>
      invalidate(c, ns, tags, mode),
    ),
    clear: changing((ns: string) => clear(c, ns)),
    lock: (ns: string, key: string, ttl: number) => lock(c, ns, key, ttl),
    ready: () => link.ready(),
    ownsClient: link.ownsClient,
    getMany: (ns: string, keys: readonly string[]) => kv.getMany(kvc, ns, keys),
    setMany: changing((ns: string, items: readonly ManyWrite<string>[]) => kv.setMany(kvc, ns, items)),
    remove: changing((ns: string, keys: readonly string[]) => kv.remove(kvc, ns, keys)),
    expire: changing((ns: string, key: string, ttl: number) => kv.expire(kvc, ns, key, ttl)),
    scan: (ns: string, pattern: string) => kv.scan(kvc, ns, pattern),
    ping: () => kv.ping(kvc),
    info: () => kv.info(kvc),
    close: () => link.close(),
  });
}
