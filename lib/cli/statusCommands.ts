/**
 * `ping`, `info` and `stats`: is the store there, what is it, what does it hold.
 *
 * @packageDocumentation
 */
import type { KeyCounts } from '../stores/redis/inspect.js';
import { fields, formatBytes, table, toJson, type CliIo } from './output.js';
import type { GlobalOptions, Target } from './target.js';

/**
 * `tagcache ping`: the round-trip time to the store.
 *
 * @example
 * ```ts
 * await ping(target, globals, io); // PONG 0.4ms (redis at redis://127.0.0.1:6379)
 * ```
 */
export async function ping(t: Target, g: GlobalOptions, io: CliIo): Promise<void> {
  const ms = await t.cache.ping();
  if (g.json) io.out(toJson({ ok: true, ms: Number(ms.toFixed(3)), store: t.cache.store.kind }));
  else io.out(`PONG ${ms.toFixed(1)}ms (${t.where})\n`);
}

const COUNT_COLUMNS = [
  { header: 'ENTRIES', numeric: true },
  { header: 'TAG MARKERS', numeric: true },
  { header: 'DELETE MARKERS', numeric: true },
  { header: 'LOCKS', numeric: true },
  { header: 'CLOCKS', numeric: true },
  { header: 'OTHER', numeric: true },
] as const;

const countCells = (c: KeyCounts): string[] =>
  [c.entries, c.tagMarkers, c.deleteMarkers, c.locks, c.clocks, c.other].map(String);

function serverLines(
  server: Readonly<Record<string, string>> | undefined,
  bytes: number | undefined,
): [string, string][] {
  const lines: [string, string][] = [];
  if (server?.['redis_version'] !== undefined)
    lines.push(['server', `Redis ${server['redis_version']}, ${server['masters'] ?? '1'} master(s)`]);
  if (bytes !== undefined) {
    const max = Number(server?.['maxmemory'] ?? 0);
    const policy = server?.['maxmemory_policy'];
    const limit =
      server === undefined ? '' : max > 0 ? ` of ${formatBytes(max)} maxmemory` : ' (no maxmemory)';
    lines.push(['memory', `${formatBytes(bytes)} used${limit}${policy ? `, policy ${policy}` : ''}`]);
  }
  return lines;
}

/**
 * `tagcache info`: store kind, server version and memory, and the entries of each namespace
 * (every namespace on Redis, found by SCAN; the `--namespace` one elsewhere).
 *
 * @example
 * ```ts
 * await info(target, globals, io);
 * ```
 */
export async function info(t: Target, g: GlobalOptions, io: CliIo): Promise<void> {
  const i = await t.cache.info();
  const census = t.inspector === undefined ? undefined : await t.inspector.census();
  const namespaces =
    census === undefined
      ? [{ namespace: g.namespace, entries: i.entries }]
      : [...census].sort(([a], [b]) => a.localeCompare(b)).map(([namespace, c]) => ({ namespace, ...c }));
  if (g.json) {
    io.out(toJson({ store: i.store, where: t.where, bytes: i.bytes, server: i.server, namespaces }));
    return;
  }
  io.out(fields([['store', t.where], ...serverLines(i.server, i.bytes)]));
  io.out('\n');
  io.out(
    table(
      [{ header: 'NAMESPACE' }, { header: 'ENTRIES', numeric: true }],
      namespaces.map((n) => [n.namespace, n.entries === undefined ? '?' : String(n.entries)]),
    ),
  );
}

/**
 * `tagcache stats`: the keys of the namespace per group on Redis (entries, tag and delete
 * markers, locks, the group clocks), with each group's slot and epoch; the entry count elsewhere.
 *
 * @example
 * ```ts
 * await stats(target, { ...globals, namespace: 'app' }, io);
 * ```
 */
export async function stats(t: Target, g: GlobalOptions, io: CliIo): Promise<void> {
  if (t.inspector === undefined) {
    const i = await t.cache.info();
    if (g.json) io.out(toJson({ namespace: g.namespace, store: i.store, entries: i.entries }));
    else
      io.out(
        fields([
          ['namespace', g.namespace],
          ['store', t.where],
          ['entries', i.entries === undefined ? '?' : String(i.entries)],
          ['markers', 'kept by the store with its clock (not listed for this store)'],
        ]),
      );
    return;
  }
  const groups = await t.inspector.groupStats(g.namespace);
  if (g.json) {
    io.out(
      toJson({
        namespace: g.namespace,
        groups: groups.map((x) => ({ ...x, ...x.counts, counts: undefined })),
      }),
    );
    return;
  }
  const total = groups.reduce<KeyCounts>(
    (s, x) => {
      for (const k of Object.keys(s) as (keyof KeyCounts)[]) s[k] += x.counts[k];
      return s;
    },
    { entries: 0, tagMarkers: 0, deleteMarkers: 0, locks: 0, clocks: 0, other: 0 },
  );
  const rows = groups.map((x) => [String(x.group), String(x.slot), String(x.epoch), ...countCells(x.counts)]);
  if (groups.length > 1) rows.push(['total', '', '', ...countCells(total)]);
  io.out(`namespace ${JSON.stringify(g.namespace)}, ${groups.length} group(s), ${t.where}\n\n`);
  io.out(
    table(
      [
        { header: 'GROUP' },
        { header: 'SLOT', numeric: true },
        { header: 'EPOCH', numeric: true },
        ...COUNT_COLUMNS,
      ],
      rows,
    ),
  );
}
