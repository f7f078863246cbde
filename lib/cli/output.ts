/**
 * Output of the `tagcache` CLI: aligned tables and key-value blocks for people, one JSON
 * document for `--json`, and the one-line errors.
 *
 * @packageDocumentation
 */
import { inspect } from 'node:util';

/**
 * An error the CLI reports as one line on stderr, with its exit code (1: failure, 2: usage).
 *
 * @example
 * ```ts
 * throw new CliError('no fresh entry for "user:1"', 1);
 * ```
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Where a command writes (tests and `main` pass process.stdout/stderr).
 *
 * @example
 * ```ts
 * const io: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), interactive: false };
 * ```
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** stdin or stdout is a terminal: destructive commands then want `--yes`. */
  readonly interactive: boolean;
}

/** A column of {@link table}: right-aligned when `numeric`. */
export interface Column {
  readonly header: string;
  readonly numeric?: boolean;
}

/**
 * An aligned text table, headers first, columns two spaces apart, no trailing spaces.
 *
 * @example
 * ```ts
 * table([{ header: 'KEY' }, { header: 'TTL', numeric: true }], [['user:1', '4m 59s']]);
 * // 'KEY        TTL\nuser:1  4m 59s\n'
 * ```
 */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const all = [columns.map((c) => c.header), ...rows];
  const widths = columns.map((_c, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    columns
      .map((c, i) => {
        const cell = r[i] ?? '';
        const w = widths[i] as number;
        return c.numeric ? cell.padStart(w) : i === columns.length - 1 ? cell : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return all.map(line).join('\n') + '\n';
}

/**
 * Label-value lines with the values aligned.
 *
 * @example
 * ```ts
 * fields([['store', 'redis'], ['entries', '12']]); // 'store    redis\nentries  12\n'
 * ```
 */
export function fields(pairs: readonly (readonly [string, string])[]): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  const indent = '\n' + ' '.repeat(w + 2);
  return pairs.map(([k, v]) => `${k.padEnd(w)}  ${v.replace(/\n/g, indent)}`.trimEnd()).join('\n') + '\n';
}

/**
 * A duration in ms for people: `850ms`, `12.3s`, `4m 12s`, `2h 5m`, `3d 4h`.
 *
 * @example
 * ```ts
 * formatMs(252_000); // '4m 12s'
 * ```
 */
export function formatMs(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${Math.round(a)}ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(1)}s`;
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ];
  const i = units.findIndex(([u]) => a >= u);
  const [big, bigName] = units[i] as [number, string];
  const [small, smallName] = units[i + 1] as [number, string];
  return `${sign}${Math.floor(a / big)}${bigName} ${Math.floor((a % big) / small)}${smallName}`;
}

/**
 * Bytes for people: `512 B`, `1.5 KB`, `12.0 MB`.
 *
 * @example
 * ```ts
 * formatBytes(1536); // '1.5 KB'
 * ```
 */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** JSON.stringify replacer for cached values: Map, Set, BigInt, undefined and non-finite numbers. */
function jsonSafe(_key: string, v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), x]));
  if (v instanceof Set) return [...v];
  if (typeof v === 'bigint') return v.toString();
  if (v === undefined) return null;
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

/**
 * The `--json` document of a command (one line, newline-terminated).
 *
 * @example
 * ```ts
 * io.out(toJson({ ok: true, ms: 0.4 }));
 * ```
 */
export function toJson(doc: unknown): string {
  return JSON.stringify(doc, jsonSafe) + '\n';
}

/**
 * A cached value for people (`util.inspect`, one line when it fits).
 *
 * @example
 * ```ts
 * showValue({ id: 1 }); // '{ id: 1 }'
 * ```
 */
export function showValue(v: unknown): string {
  return inspect(v, { depth: 6, breakLength: 100, maxArrayLength: 50, maxStringLength: 2000 });
}

/**
 * Makes any error one line: its message without line breaks (commander's hints included).
 *
 * @example
 * ```ts
 * oneLine("error: unknown command 'pnig'\n(Did you mean ping?)"); // "unknown command 'pnig' (Did you mean ping?)"
 * ```
 */
export function oneLine(message: string): string {
  return message
    .replace(/^error:\s*/i, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
