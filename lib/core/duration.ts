/**
 * A duration: milliseconds, or a string such as `'250ms'`, `'30s'`, `'5m'`, `'2h'`, `'7d'`.
 *
 * @example
 * ```ts
 * const ttl: Duration = '5m';
 * ```
 */
export type Duration = number | string;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

/**
 * Converts a {@link Duration} to milliseconds; `undefined` when it is not a valid duration.
 *
 * @example
 * ```ts
 * parseDuration('2h'); // 7_200_000
 * parseDuration(250);  // 250
 * parseDuration('banana'); // undefined
 * ```
 */
export function parseDuration(d: unknown): number | undefined {
  if (typeof d === 'number') return Number.isFinite(d) && d >= 0 ? d : undefined;
  if (typeof d !== 'string') return undefined;
  const m = PATTERN.exec(d);
  if (!m) return undefined;
  const unit = UNIT_MS[m[2] as string] as number;
  return Number(m[1]) * unit;
}

/**
 * Like {@link parseDuration}, but throws a `TypeError` naming `what` on bad input.
 */
export function toMs(d: Duration, what: string): number {
  const ms = parseDuration(d);
  if (ms === undefined)
    throw new TypeError(
      `${what}: expected milliseconds or a string like '30s', '5m', '2h', '7d'; got ${JSON.stringify(d)}`,
    );
  return ms;
}
