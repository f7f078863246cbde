/**
 * The key-value operations of the Redis stores (`getMany`, `setMany`, `remove`, `expire`, `scan`,
 * `ping`, `info`). The many-key scripts run the store's own GET, SET and DELETE scripts once per
 * key inside one script, so they follow exactly the same clock rules; on a single server every
 * group goes into one command, on a cluster one command per group, sent together (node-redis
 * pipelines the commands of one tick on each master's connection). `scan` uses `SCAN` with a
 * bounded `COUNT` on every master, never `KEYS`.
 *
 * @packageDocumentation
 */
import type { ManyWrite, ReadResult, StoreInfo, WriteEntry } from '../Store.js';
import type { Layout } from './layout.js';
import type { RedisLink } from './link.js';
import { encodeBody, malformed, parseScriptRead } from './replies.js';
import { luaScript, runScript, wrapError } from './scriptRunner.js';
import { DELETE_LUA, EXPIRE_LUA, GET_LUA, SET_LUA } from './scripts.js';

/** Keys per `SCAN` step: bounded work per command, so the server never blocks. */
export const SCAN_COUNT = 500;

/** ARGV: prefix, entry key, prefix, entry key, … Returns one GET reply per key. */
const GET_MANY = luaScript(
  'getMany',
  `local function get_one(KEYS, ARGV)
${GET_LUA}
end
local out = {}
for i = 1, #ARGV, 2 do out[#out + 1] = get_one({ARGV[i + 1]}, {ARGV[i]}) end
return out
`,
);

/** ARGV: per item `n, entry key, <n - 1 SET arguments>`. Returns one 0/1 per item. */
const SET_MANY = luaScript(
  'setMany',
  `local function set_one(KEYS, ARGV)
${SET_LUA}
end
local out = {}
local j = 1
while j <= #ARGV do
  local n = tonumber(ARGV[j])
  local a = {}
  for x = 2, n do a[#a + 1] = ARGV[j + x] end
  out[#out + 1] = set_one({ARGV[j + 1]}, a)
  j = j + n + 1
end
return out
`,
);

/** ARGV: margin, then per group `n, prefix, key × n`. Deletes (with markers); returns how many entries existed. */
const REMOVE = luaScript(
  'remove',
  `local function delete_group(KEYS, ARGV)
${DELETE_LUA}
end
local found = 0
local j = 2
while j <= #ARGV do
  local n = tonumber(ARGV[j])
  local p = ARGV[j + 1]
  local a = {p, ARGV[1]}
  for x = 1, n do
    a[#a + 1] = ARGV[j + 1 + x]
    found = found + redis.call('EXISTS', p .. 'k:' .. ARGV[j + 1 + x])
  end
  delete_group({p .. 'e'}, a)
  j = j + n + 2
end
return found
`,
);

/** KEYS: entry. ARGV: prefix, key, new freshUntil (ms), ttl (ms), marker margin (ms). See `EXPIRE_LUA`. */
const EXPIRE = luaScript('expire', EXPIRE_LUA);

/** What the operations need of the scripted store. */
export interface KeyValueContext {
  readonly link: RedisLink;
  readonly layout: Layout;
  /** Marker margin, ms, as a string (the DELETE script's argument). */
  readonly margin: string;
  /** A single server: every group's keys go in one command. */
  readonly singleNode: boolean;
  /** Records the tags of an entry read or written (the reader's fast path). */
  readonly remember: (prefix: string, entryKey: string, tagsJson: string, tags: readonly string[]) => void;
}

/** Items grouped by the command that carries them: one group per hash tag, or all on a single server. */
function batches<T>(
  c: KeyValueContext,
  ns: string,
  items: readonly T[],
  keyOf: (t: T) => string,
): Map<string, { prefix: string; item: T; index: number }[]> {
  const l = c.layout.forNamespace(ns);
  const out = new Map<string, { prefix: string; item: T; index: number }[]>();
  items.forEach((item, index) => {
    const prefix = l.prefixOf(keyOf(item));
    const slot = c.singleNode ? '' : prefix;
    const list = out.get(slot);
    if (list) list.push({ prefix, item, index });
    else out.set(slot, [{ prefix, item, index }]);
  });
  return out;
}

function asArray(reply: unknown, what: string, length: number): unknown[] {
  if (!Array.isArray(reply) || reply.length !== length) throw malformed(what, reply);
  return reply;
}

/**
 * Reads `keys` with the GET script's rules, one command per batch.
 *
 * @example
 * ```ts
 * const reads = await getMany(ctx, 'app', ['user:1', 'user:2']);
 * ```
 */
export async function getMany(
  c: KeyValueContext,
  ns: string,
  keys: readonly string[],
): Promise<ReadResult<string>[]> {
  const out = new Array<ReadResult<string>>(keys.length);
  await Promise.all(
    [...batches(c, ns, keys, (k) => k).values()].map(async (list) => {
      const args: string[] = [];
      for (const { prefix, item } of list) args.push(prefix, prefix + 'k:' + item);
      const replies = asArray(
        await runScript(c.link, GET_MANY, args[1] as string, args),
        'getMany',
        list.length,
      );
      list.forEach(({ prefix, item, index }, i) => {
        const { read, entry } = parseScriptRead(replies[i]);
        if (read.hit && entry) c.remember(prefix, prefix + 'k:' + item, entry.tagsJson, read.tags);
        out[index] = read;
      });
    }),
  );
  return out;
}

function checkEntry(entry: WriteEntry<string>): void {
  if (typeof entry.payload !== 'string')
    throw new TypeError('Redis stores hold string payloads (holdsValues: false)');
  if (!(entry.ttl > 0) || !Number.isFinite(entry.ttl))
    throw new RangeError(`ttl must be a positive number of ms, got ${entry.ttl}`);
  if (!(entry.grace >= 0) || !Number.isFinite(entry.grace))
    throw new RangeError(`grace must be >= 0 ms, got ${entry.grace}`);
}

/**
 * Writes `items` with the SET script's rules, one command per batch.
 *
 * @example
 * ```ts
 * const written = await setMany(ctx, 'app', [{ key: 'user:1', entry }]);
 * ```
 */
export async function setMany(
  c: KeyValueContext,
  ns: string,
  items: readonly ManyWrite<string>[],
): Promise<boolean[]> {
  for (const w of items) checkEntry(w.entry);
  const out = new Array<boolean>(items.length).fill(false);
  const now = Date.now();
  await Promise.all(
    [...batches(c, ns, items, (w) => w.key).values()].map(async (list) => {
      const args: string[] = [];
      const tagJsons: string[] = [];
      for (const { prefix, item: w } of list) {
        const tagsJson = JSON.stringify(w.entry.tags);
        tagJsons.push(tagsJson);
        const life = String(Math.max(1, Math.ceil(w.entry.ttl + w.entry.grace)));
        const setArgs = [
          prefix,
          w.key,
          encodeBody(w.entry, tagsJson, now),
          life,
          w.epoch === undefined ? '' : String(w.epoch),
          c.margin,
          ...w.entry.tags,
        ];
        args.push(String(setArgs.length + 1), prefix + 'k:' + w.key, ...setArgs);
      }
      const replies = asArray(
        await runScript(c.link, SET_MANY, args[1] as string, args),
        'setMany',
        list.length,
      );
      list.forEach(({ prefix, item: w, index }, i) => {
        out[index] = replies[i] === 1;
        if (out[index]) c.remember(prefix, prefix + 'k:' + w.key, tagJsons[i] as string, w.entry.tags);
      });
    }),
  );
  return out;
}

/**
 * Deletes `keys` with the DELETE script's rules (writes of computations already running are
 * refused) and counts the entries that existed, one command per batch.
 *
 * @example
 * ```ts
 * const n = await remove(ctx, 'app', ['user:1', 'user:2']);
 * ```
 */
export async function remove(c: KeyValueContext, ns: string, keys: readonly string[]): Promise<number> {
  const unique = [...new Set(keys)];
  const counts = await Promise.all(
    [...batches(c, ns, unique, (k) => k).values()].map(async (list) => {
      const byPrefix = new Map<string, string[]>();
      for (const { prefix, item } of list) byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), item]);
      const args = [c.margin];
      for (const [prefix, ks] of byPrefix) args.push(String(ks.length), prefix, ...ks);
      const first = [...byPrefix.keys()][0] as string;
      const reply = await runScript(c.link, REMOVE, first + 'e', args);
      if (typeof reply !== 'number') throw malformed('remove', reply);
      return reply;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Gives the entry `ttl` more ms of freshness, unless it is gone or was invalidated.
 *
 * @example
 * ```ts
 * await expire(ctx, 'app', 'user:1', 60_000); // true
 * ```
 */
export async function expire(c: KeyValueContext, ns: string, key: string, ttl: number): Promise<boolean> {
  const ms = Math.max(1, Math.ceil(ttl));
  const prefix = c.layout.forNamespace(ns).prefixOf(key);
  const reply = await runScript(c.link, EXPIRE, prefix + 'k:' + key, [
    prefix,
    key,
    String(Date.now() + ms),
    String(ms),
    c.margin,
  ]);
  return reply === 1;
}

function parseScan(reply: unknown): [string, string[]] {
  if (Array.isArray(reply) && typeof reply[0] === 'string' && Array.isArray(reply[1]))
    return [reply[0], reply[1].filter((k): k is string => typeof k === 'string')];
  throw malformed('SCAN', reply);
}

/**
 * Yields the keys of the namespace's entries matching `pattern`, one batch per `SCAN` step, on
 * every master in turn.
 *
 * @example
 * ```ts
 * for await (const keys of scan(ctx, 'app', 'user:*')) console.log(keys);
 * ```
 */
export async function* scan(
  c: KeyValueContext,
  ns: string,
  pattern: string,
): AsyncGenerator<readonly string[]> {
  const prefixes = new Set(c.layout.forNamespace(ns).prefixes);
  const match = c.layout.scanPattern(ns) + '}:k:' + pattern;
  const masters = await c.link.masters().catch((e: unknown) => {
    throw wrapError('scan', e);
  });
  for (const send of masters) {
    let cursor = '0';
    do {
      const reply = await send(['SCAN', cursor, 'MATCH', match, 'COUNT', String(SCAN_COUNT)]).catch(
        (e: unknown) => {
          throw wrapError('scan', e);
        },
      );
      const [next, found] = parseScan(reply);
      cursor = next;
      const keys: string[] = [];
      for (const k of found) {
        const prefix = k.slice(0, k.indexOf('}:') + 2);
        if (prefixes.has(prefix) && k.startsWith('k:', prefix.length)) keys.push(k.slice(prefix.length + 2));
      }
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}

/**
 * `PING` on every master.
 *
 * @example
 * ```ts
 * await ping(ctx);
 * ```
 */
export async function ping(c: KeyValueContext): Promise<void> {
  try {
    const masters = await c.link.masters();
    await Promise.all(masters.map((send) => send(['PING'])));
  } catch (e) {
    throw wrapError('ping', e);
  }
}

function parseInfo(text: unknown): Record<string, string> {
  if (typeof text !== 'string') throw malformed('INFO', text);
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/**
 * `INFO` of every master: the first one's fields (plus `masters`), and the memory of all.
 *
 * @example
 * ```ts
 * const { server, bytes } = await info(ctx);
 * ```
 */
export async function info(c: KeyValueContext): Promise<StoreInfo> {
  let nodes: Record<string, string>[];
  try {
    const masters = await c.link.masters();
    nodes = (await Promise.all(masters.map((send) => send(['INFO'])))).map(parseInfo);
  } catch (e) {
    throw wrapError('info', e);
  }
  const bytes = nodes.reduce((n, f) => n + (Number(f['used_memory']) || 0), 0);
  return { bytes, server: { ...nodes[0], masters: String(nodes.length) } };
}
