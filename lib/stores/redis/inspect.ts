/**
 * Read-only inspection of the Redis key layout (`layout.ts`), for the `tagcache` CLI: a census of
 * the keys of every namespace and group (entries, markers, bookkeeping), and the full story of
 * one entry (its header, its tags' markers, and whether a read would serve it now, and if not,
 * why). It only reads (`SCAN`, `MGET`, `PTTL`): inspecting never changes what it looks at.
 *
 * All knowledge of key names, the entry header and the marker format outside the store's own
 * scripts is here (entries are decoded with `parseEntry` of `replies.ts`), so a change of the
 * format is ported in this one file.
 *
 * @packageDocumentation
 */
import { StoreError } from '../../errors.js';
import { DEFAULT_CLUSTER_GROUPS } from '../redisClusterStore.js';
import type { RedisUrlTarget } from '../storeFromUrl.js';
import { urlClient, nodesCluster } from './connectors.js';
import { createLayout, type Layout } from './layout.js';
import { clientLink, clusterLink, type RedisLink } from './link.js';
import { resolveOptions } from './options.js';
import { malformed, parseEntry } from './replies.js';
import { epochOf, genOf, markerCheck } from './reader.js';
import { keySlot } from './slots.js';

/**
 * Keys of one group (or namespace) by role.
 *
 * @example
 * ```ts
 * const c: KeyCounts = { entries: 3, tagMarkers: 2, deleteMarkers: 0, locks: 0, clocks: 2, other: 0 };
 * ```
 */
export interface KeyCounts {
  entries: number;
  tagMarkers: number;
  deleteMarkers: number;
  locks: number;
  /** The group's epoch counter and control hash. */
  clocks: number;
  other: number;
}

/**
 * One group of a namespace, as `stats` shows it.
 *
 * @example
 * ```ts
 * const g: GroupStats = { group: 0, prefix: 'tc:{app|0}:', slot: 1234, epoch: 7, counts };
 * ```
 */
export interface GroupStats {
  readonly group: number;
  readonly prefix: string;
  readonly slot: number;
  readonly epoch: number;
  readonly counts: KeyCounts;
}

/**
 * A tag of an inspected entry and its marker (`<hard>:<soft>` epochs).
 *
 * @example
 * ```ts
 * const t: TagMarker = { tag: 'user:1', hard: 9, newer: 'hard' };
 * ```
 */
export interface TagMarker {
  readonly tag: string;
  readonly hard?: number;
  readonly soft?: number;
  /** Which part of the marker is newer than the entry: it was invalidated (hard) or marked stale (soft). */
  readonly newer?: 'hard' | 'soft' | 'unknown';
}

/**
 * What `inspect` finds about one key.
 *
 * @example
 * ```ts
 * const r = await inspector.inspectEntry('app', '1:user:1');
 * if (r.found && !r.served) console.log(r.reason);
 * ```
 */
export interface EntryReport {
  readonly key: string;
  readonly group: number;
  readonly slot: number;
  /** The group's current epoch. */
  readonly epoch: number;
  readonly found: boolean;
  /** Whether a read now returns it as a fresh hit. */
  readonly served: boolean;
  /** `fresh`, `expired` (past its TTL, kept for stale serving), `invalidated`, `stale` (soft) or `absent`. */
  readonly state: 'fresh' | 'expired' | 'invalidated' | 'stale' | 'absent';
  readonly reason: string;
  readonly writtenAtEpoch?: number;
  readonly createdAt?: number;
  /** Freshness left in ms (negative once expired). */
  readonly ttl?: number;
  /** How long Redis keeps the key (TTL plus the stale-serving grace), ms. */
  readonly keptFor?: number;
  readonly cachedError?: boolean;
  readonly tags?: readonly TagMarker[];
  readonly payload?: string;
  /** Epoch of the last delete of the key (its delete marker), when one is live. */
  readonly deletedAtEpoch?: number;
}

/**
 * Inspection of the Redis or Redis Cluster a URL names (its own connection).
 *
 * @example
 * ```ts
 * const inspector = redisInspector(redisUrlTarget('redis://localhost:6379')!);
 * console.log(await inspector.census());
 * await inspector.close();
 * ```
 */
export interface RedisInspector {
  /** Keys by namespace (a full SCAN of every master, in batches). */
  census(): Promise<Map<string, KeyCounts>>;
  /** Every group of `ns` with its key counts and epoch. */
  groupStats(ns: string): Promise<GroupStats[]>;
  /** One entry: `fullKey` with the cache version, as the store sees it (`1:user:1`). */
  inspectEntry(ns: string, fullKey: string): Promise<EntryReport>;
  close(): Promise<void>;
}

const SCAN_COUNT = '1000';
const emptyCounts = (): KeyCounts => ({
  entries: 0,
  tagMarkers: 0,
  deleteMarkers: 0,
  locks: 0,
  clocks: 0,
  other: 0,
});
const ROLES: Readonly<Record<string, keyof KeyCounts>> = {
  k: 'entries',
  t: 'tagMarkers',
  d: 'deleteMarkers',
  l: 'locks',
};
const unescapeNs = (s: string): string =>
  s.replace(/%([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
const num = (v: unknown): number | undefined =>
  v === null || v === undefined || v === '' ? undefined : Number(v);

/** `<prefix>:{<ns>|<n>}:<role>[:<rest>]` → the hash tag, namespace and role; `undefined` for foreign keys. */
function parseKeyName(
  prefix: string,
  key: string,
): { tag: string; ns: string; role: keyof KeyCounts } | undefined {
  const head = prefix + ':{';
  const close = key.indexOf('}:', head.length);
  if (!key.startsWith(head) || close < 0) return undefined;
  const tag = key.slice(head.length, close);
  const bar = tag.lastIndexOf('|');
  if (bar < 0) return undefined;
  const rest = key.slice(close + 2);
  const role = rest === 'e' || rest === 'c' ? 'clocks' : (ROLES[rest.slice(0, rest.indexOf(':'))] ?? 'other');
  return { tag, ns: unescapeNs(tag.slice(0, bar)), role };
}

async function scanAll(link: RedisLink, pattern: string, onKey: (key: string) => void): Promise<void> {
  for (const send of await link.masters()) {
    let cursor = '0';
    do {
      const reply = await send(['SCAN', cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT]);
      if (!Array.isArray(reply) || typeof reply[0] !== 'string' || !Array.isArray(reply[1]))
        throw malformed('SCAN', reply);
      cursor = reply[0];
      for (const k of reply[1]) if (typeof k === 'string') onKey(k);
    } while (cursor !== '0');
  }
}

/** A marker `<hard>:<soft>:<born>` (hard and soft may be empty). */
function parseMarker(v: unknown): { hard?: number; soft?: number } {
  if (typeof v !== 'string') return {};
  const [h, sft] = v.split(':');
  const hard = num(h ?? '');
  const soft = num(sft ?? '');
  return { ...(hard === undefined ? {} : { hard }), ...(soft === undefined ? {} : { soft }) };
}

/** Each tag's marker, judged as the read path judges it (reader.ts `markerCheck`). */
function tagMarkers(
  tags: readonly string[],
  markers: readonly unknown[],
  at: number,
  epoch: number,
): TagMarker[] {
  return tags.map((tag, i) => {
    const m = parseMarker(markers[i]);
    // As the read path: markers matter only once the group epoch moved past the entry's.
    const check = at >= epoch ? 0 : markerCheck(markers[i], at);
    const newer = check === 2 ? 'hard' : check === 1 ? 'soft' : check === 3 ? 'unknown' : undefined;
    return { tag, ...m, ...(newer === undefined ? {} : { newer }) };
  });
}

function verdict(
  tags: readonly TagMarker[],
  ttl: number,
  keptFor: number,
): Pick<EntryReport, 'served' | 'state' | 'reason'> {
  const hard = tags.find((t) => t.newer === 'hard');
  if (hard)
    return {
      served: false,
      state: 'invalidated',
      reason: `invalidated by tag "${hard.tag}" (marker epoch ${hard.hard})`,
    };
  const unknown = tags.find((t) => t.newer === 'unknown');
  if (unknown)
    return {
      served: false,
      state: 'invalidated',
      reason: `the marker of tag "${unknown.tag}" is missing or was reborn (eviction or reset): a read is a miss`,
    };
  const soft = tags.find((t) => t.newer === 'soft');
  if (soft)
    return {
      served: false,
      state: 'stale',
      reason: `marked stale by tag "${soft.tag}" (epoch ${soft.soft}): served only by stale-serving policies`,
    };
  if (ttl <= 0)
    return {
      served: false,
      state: 'expired',
      reason: `expired ${Math.round(-ttl)} ms ago (kept ${keptFor} ms more for stale serving)`,
    };
  return { served: true, state: 'fresh', reason: 'fresh, a read serves it' };
}

async function inspectEntry(link: RedisLink, layout: Layout, ns: string, key: string): Promise<EntryReport> {
  const l = layout.forNamespace(ns);
  const p = l.prefixOf(key);
  const ek = p + 'k:' + key;
  const [raw, rawEpoch, rawDeleted] = (await link.send(ek, [
    'MGET',
    ek,
    p + 'e',
    p + 'd:' + key,
  ])) as unknown[];
  const epoch = num(rawEpoch) ?? 0;
  const where = { key, group: l.prefixes.indexOf(p), slot: keySlot(ek), epoch };
  if (raw === null || raw === undefined) {
    const deleted = num(rawDeleted);
    const why =
      deleted === undefined
        ? 'absent: never written, expired, evicted or removed'
        : `absent: deleted at epoch ${deleted}`;
    return {
      ...where,
      found: false,
      served: false,
      state: 'absent',
      reason: why,
      ...(deleted === undefined ? {} : { deletedAtEpoch: deleted }),
    };
  }
  const e = parseEntry(raw);
  const now = epochOf(rawEpoch);
  if (e === undefined || now === undefined || genOf(e.at) !== genOf(now) || e.at > now)
    return {
      ...where,
      found: true,
      served: false,
      state: 'absent',
      reason:
        e === undefined
          ? 'undecodable entry: a read is a miss and removes it'
          : now === undefined
            ? 'the group clock is missing (FLUSHALL, restart or eviction): a read is a miss'
            : 'written in another clock generation (reset or failover): a read is a miss',
    };
  const tagList = e.tags;
  const markers =
    tagList.length === 0
      ? []
      : ((await link.send(ek, ['MGET', ...tagList.map((t) => p + 't:' + t)])) as unknown[]);
  const keptFor = Number(await link.send(ek, ['PTTL', ek]));
  const tags = tagMarkers(tagList, markers, e.at, epoch);
  const ttl = e.freshUntil - Date.now();
  return {
    ...where,
    found: true,
    ...verdict(tags, ttl, keptFor),
    writtenAtEpoch: e.at,
    createdAt: e.createdAt,
    ttl,
    keptFor,
    cachedError: e.error,
    tags,
    payload: e.payload,
  };
}

async function groupStats(
  link: RedisLink,
  layout: Layout,
  prefix: string,
  ns: string,
): Promise<GroupStats[]> {
  const { prefixes } = layout.forNamespace(ns);
  const counts = prefixes.map(() => emptyCounts());
  const index = new Map(prefixes.map((p, i) => [p.slice(prefix.length + 2, -2), i]));
  await scanAll(link, layout.scanPattern(ns), (key) => {
    const k = parseKeyName(prefix, key);
    const i = k === undefined || k.ns !== ns ? undefined : index.get(k.tag);
    if (k !== undefined && i !== undefined) (counts[i] as KeyCounts)[k.role] += 1;
  });
  const epochs = await Promise.all(prefixes.map((p) => link.send(p + 'e', ['GET', p + 'e'])));
  return prefixes.map((p, i) => ({
    group: i,
    prefix: p,
    slot: keySlot(p + 'e'),
    epoch: num(epochs[i]) ?? 0,
    counts: counts[i] as KeyCounts,
  }));
}

/**
 * Opens an inspector on the server(s) of a Redis URL, with the URL's `groups` and `prefix` (the
 * same defaults as the stores: 1 group on a server, 64 on a cluster).
 *
 * @example
 * ```ts
 * const inspector = redisInspector({ cluster: false, url: 'redis://localhost:6379', options: {} });
 * ```
 */
export function redisInspector(target: RedisUrlTarget): RedisInspector {
  const settings = resolveOptions(target.options, target.cluster ? DEFAULT_CLUSTER_GROUPS : 1, 'tagcache');
  const link = target.cluster
    ? clusterLink(nodesCluster(target.rootNodes, {}, settings))
    : clientLink(urlClient(target.url, {}, settings));
  const layout = createLayout(settings.prefix, settings.groups);
  const wrap = <T>(what: string, p: Promise<T>): Promise<T> =>
    p.catch((e: unknown) => {
      throw e instanceof StoreError
        ? e
        : new StoreError('ERR_STORE', `${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    });
  return Object.freeze({
    async census() {
      const byNs = new Map<string, KeyCounts>();
      const pattern = settings.prefix.replace(/[*?[\]\\]/g, (c) => '\\' + c) + ':{*';
      await wrap(
        'census',
        scanAll(link, pattern, (key) => {
          const k = parseKeyName(settings.prefix, key);
          if (k === undefined) return;
          const c = byNs.get(k.ns) ?? emptyCounts();
          c[k.role] += 1;
          byNs.set(k.ns, c);
        }),
      );
      return byNs;
    },
    groupStats: (ns: string) => wrap('stats', groupStats(link, layout, settings.prefix, ns)),
    inspectEntry: (ns: string, fullKey: string) => wrap('inspect', inspectEntry(link, layout, ns, fullKey)),
    close: () => link.close(),
  });
}
