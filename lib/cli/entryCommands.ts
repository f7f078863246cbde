/**
 * `keys`, `get` and `inspect`: the entries of a namespace, one value, and the whole story of one
 * entry. Keys are those of the key-value API (`cache.get`): relative to `--version`.
 *
 * @packageDocumentation
 */
import type { ReadResult } from '../index.js';
import type { EntryReport } from '../stores/redis/inspect.js';
import { CliError, fields, formatMs, showValue, table, toJson, type CliIo } from './output.js';
import type { GlobalOptions, Target } from './target.js';

const BATCH = 200;

/** The store key of a CLI key (the cache's version prefix added, as `cache.get` does). */
const storeKey = (t: Target, key: string): string => `${t.cache.version}:${key}`;

async function readMany(t: Target, keys: readonly string[]): Promise<ReadResult<unknown>[]> {
  const { store, namespace } = t.cache;
  const fulls = keys.map((k) => storeKey(t, k));
  if (store.getMany !== undefined) return store.getMany(namespace, fulls);
  return Promise.all(fulls.map((k) => store.get(namespace, k)));
}

/** Decodes a payload with the cache's serializer; `{ ok: false }` when it cannot. */
function decode(t: Target, payload: unknown): { ok: true; value: unknown } | { ok: false; why: string } {
  if (t.cache.store.holdsValues) return { ok: true, value: payload };
  try {
    return { ok: true, value: t.cache.serializer.deserialize(payload as string) };
  } catch (e) {
    return { ok: false, why: `undecodable with the default serializer (${(e as Error).message})` };
  }
}

const stateOf = (r: ReadResult<unknown>): string =>
  r.hit ? (r.state === 'invalidated' ? 'stale' : r.state) : 'gone';

/**
 * `tagcache keys [pattern]`: the keys of the namespace matching a glob, with TTL left and tags.
 *
 * @example
 * ```ts
 * await keys(target, globals, io, 'user:*', 1000);
 * ```
 */
export async function keys(
  t: Target,
  g: GlobalOptions,
  io: CliIo,
  pattern: string,
  limit: number,
): Promise<void> {
  const found: string[] = [];
  let more = false;
  for await (const k of t.cache.keys(pattern)) {
    if (found.length === limit) {
      more = true;
      break;
    }
    found.push(k);
  }
  found.sort();
  const rows: { key: string; state: string; ttl?: number; tags: readonly string[] }[] = [];
  for (let i = 0; i < found.length; i += BATCH) {
    const part = found.slice(i, i + BATCH);
    const reads = await readMany(t, part);
    reads.forEach((r, j) =>
      rows.push({
        key: part[j] as string,
        state: stateOf(r),
        ...(r.hit ? { ttl: Math.round(r.ttl), tags: r.tags } : { tags: [] }),
      }),
    );
  }
  if (g.json) {
    io.out(toJson({ namespace: g.namespace, pattern, keys: rows, truncated: more }));
    return;
  }
  const cells = rows.map((r) => [
    r.key,
    r.state,
    r.ttl === undefined ? '-' : formatMs(r.ttl),
    r.tags.join(', '),
  ]);
  io.out(
    table(
      [{ header: 'KEY' }, { header: 'STATE' }, { header: 'TTL', numeric: true }, { header: 'TAGS' }],
      cells,
    ),
  );
  io.out(`${rows.length} key(s)${more ? ` shown, more match (raise --limit ${limit})` : ''}\n`);
}

/**
 * `tagcache get <key>`: the decoded value of a fresh entry (exit 1 when there is none).
 *
 * @example
 * ```ts
 * await get(target, globals, io, 'user:1');
 * ```
 */
export async function get(t: Target, g: GlobalOptions, io: CliIo, key: string): Promise<void> {
  const [r] = await readMany(t, [key]);
  if (r === undefined || !r.hit || r.state !== 'fresh')
    throw new CliError(
      `no fresh entry for ${JSON.stringify(key)} (tagcache inspect ${JSON.stringify(key)} tells why)`,
    );
  const d = decode(t, r.payload);
  if (!d.ok) throw new CliError(`the entry of ${JSON.stringify(key)} is ${d.why}`);
  if (g.json)
    io.out(
      toJson({
        key,
        value: d.value,
        error: r.error,
        ttl: Math.round(r.ttl),
        tags: r.tags,
        createdAt: r.createdAt,
      }),
    );
  else io.out(`${r.error ? '(cached error) ' : ''}${showValue(d.value)}\n`);
}

/** The inspection of a store without a Redis layout: what its `get` tells. */
async function genericReport(t: Target, key: string): Promise<{ report: EntryReport; payload?: unknown }> {
  const [r] = await readMany(t, [key]);
  const base = { key: storeKey(t, key), group: 0, slot: 0, epoch: r?.epoch ?? 0 };
  if (r === undefined || !r.hit) {
    const reason = 'absent: never written, expired, removed or invalidated';
    return { report: { ...base, found: false, served: false, state: 'absent', reason } };
  }
  const state = r.state === 'invalidated' ? 'stale' : r.state;
  const reason =
    state === 'fresh'
      ? 'fresh, a read serves it'
      : state === 'stale'
        ? 'marked stale by an invalidation: served only by stale-serving policies'
        : `expired ${formatMs(-r.ttl)} ago (kept for stale serving)`;
  const tags = r.tags.map((tag) => ({ tag }));
  const raw = typeof r.payload === 'string' ? { payload: r.payload } : {};
  const report: EntryReport = {
    ...base,
    found: true,
    served: state === 'fresh',
    state,
    reason,
    createdAt: r.createdAt,
    ttl: r.ttl,
    cachedError: r.error,
    tags,
    ...raw,
  };
  return { report, payload: r.payload };
}

function tagCell(m: NonNullable<EntryReport['tags']>[number]): string {
  const marker =
    m.hard === undefined && m.soft === undefined ? '' : ` [marker ${m.hard ?? ''}:${m.soft ?? ''}]`;
  return `${m.tag}${marker}${m.newer === 'hard' ? ' INVALIDATED' : m.newer === 'soft' ? ' STALE' : ''}`;
}

function reportLines(key: string, r: EntryReport, value: string | undefined): [string, string][] {
  const lines: [string, string][] = [
    ['key', key === r.key ? key : `${key} (store key ${r.key})`],
    ['served', `${r.served ? 'yes' : 'no'}: ${r.reason}`],
  ];
  if (value !== undefined) lines.push(['value', value]);
  if (r.tags !== undefined)
    lines.push(['tags', r.tags.length === 0 ? '(none)' : r.tags.map(tagCell).join(', ')]);
  if (r.createdAt !== undefined)
    lines.push([
      'created at',
      `${new Date(r.createdAt).toISOString()} (${formatMs(Date.now() - r.createdAt)} ago)`,
    ]);
  if (r.ttl !== undefined)
    lines.push([
      'ttl left',
      `${r.ttl > 0 ? formatMs(r.ttl) : 'none (expired)'}${r.keptFor === undefined ? '' : `, key kept ${formatMs(r.keptFor)}`}`,
    ]);
  const written = r.writtenAtEpoch === undefined ? '' : `written at ${r.writtenAtEpoch}, `;
  lines.push(['epoch', `${written}group ${r.group} now at ${r.epoch}${r.slot ? ` (slot ${r.slot})` : ''}`]);
  return lines;
}

/**
 * `tagcache inspect <key>`: decoded value, tags (with their markers on Redis), created at, TTL
 * left, epoch, and whether a read would serve it now, and if not why.
 *
 * @example
 * ```ts
 * await inspectKey(target, globals, io, 'user:1');
 * ```
 */
export async function inspectKey(t: Target, g: GlobalOptions, io: CliIo, key: string): Promise<void> {
  const full = storeKey(t, key);
  const { report: r, payload: raw } =
    t.inspector === undefined
      ? await genericReport(t, key)
      : { report: await t.inspector.inspectEntry(t.cache.namespace, full), payload: undefined };
  const d = r.found ? decode(t, raw ?? r.payload) : undefined;
  const value = d === undefined ? undefined : d.ok ? d.value : undefined;
  if (g.json) {
    const { payload, ...rest } = r;
    io.out(
      toJson({
        ...rest,
        key,
        storeKey: full,
        namespace: g.namespace,
        ...(d?.ok ? { value } : d ? { undecodable: d.why, payload } : {}),
      }),
    );
    return;
  }
  const shown =
    d === undefined
      ? undefined
      : d.ok
        ? `${r.cachedError ? '(cached error) ' : ''}${showValue(value)}`
        : `<${d.why}> ${(r.payload ?? '').slice(0, 200)}`;
  io.out(fields(reportLines(key, r, shown)));
}
