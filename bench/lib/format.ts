/**
 * Number formatting and tables, as aligned text for the console and as Markdown.
 */

/** `1,234,567` */
export const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

/** Three significant digits: `12.3`, `0.456`, `1,234`. */
export function num(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 100) return int(n);
  return n.toPrecision(3);
}

/** `2.35×` */
export const ratio = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–');

/** `12.3 MB` */
export function bytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a >= 2 ** 20) return `${sign}${(a / 2 ** 20).toFixed(1)} MiB`;
  if (a >= 1024) return `${sign}${(a / 1024).toFixed(1)} KiB`;
  return `${sign}${a} B`;
}

/** A table: header and rows of cells. */
export interface Table {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  /** Columns aligned right (numbers). */
  readonly right?: ReadonlySet<number>;
}

/** Aligned plain text. */
export function textTable(t: Table): string {
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (t.right?.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(t.header), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)].join('\n');
}

/** A GitHub Markdown table. */
export function markdownTable(t: Table): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  const sep = t.header.map((_, i) => (t.right?.has(i) ? '---:' : '---'));
  return [t.header, sep, ...t.rows].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n');
}
