/**
 * The JSON form of a {@link LogicalClock}, for stores that persist their clock (the file store).
 *
 * @packageDocumentation
 */
import { emptyClock, type LogicalClock } from './logicalClock.js';

/**
 * The JSON form of a clock (format 1: the file store's `state.json`).
 *
 * @example
 * ```ts
 * const text = encodeClock(clock);
 * ```
 */
export function encodeClock(clock: LogicalClock): string {
  return JSON.stringify({
    v: 1,
    epoch: clock.epoch,
    floor: clock.floor,
    maxLife: clock.maxLife,
    tags: [...clock.tags].map(([tag, m]) => [tag, m.drop, m.stale, m.at]),
    keys: [...clock.keys].map(([key, m]) => [key, m.epoch, m.at]),
  });
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

interface RawClock {
  v?: unknown;
  epoch?: unknown;
  floor?: unknown;
  maxLife?: unknown;
  tags?: unknown;
  keys?: unknown;
}

function parseRaw(text: string): RawClock | undefined {
  try {
    const raw = JSON.parse(text) as unknown;
    return typeof raw === 'object' && raw !== null ? (raw as RawClock) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a clock written by {@link encodeClock}; `undefined` when the text is not one.
 *
 * @example
 * ```ts
 * decodeClock(encodeClock(emptyClock()))?.epoch; // 0
 * ```
 */
export function decodeClock(text: string): LogicalClock | undefined {
  const r = parseRaw(text);
  if (r === undefined || r.v !== 1) return undefined;
  if (
    !isNum(r.epoch) ||
    !isNum(r.floor) ||
    !isNum(r.maxLife) ||
    !Array.isArray(r.tags) ||
    !Array.isArray(r.keys)
  )
    return undefined;
  const clock: LogicalClock = { ...emptyClock(), epoch: r.epoch, floor: r.floor, maxLife: r.maxLife };
  for (const t of r.tags as unknown[]) {
    if (!Array.isArray(t) || typeof t[0] !== 'string' || !isNum(t[1]) || !isNum(t[2]) || !isNum(t[3]))
      return undefined;
    clock.tags.set(t[0], { drop: t[1], stale: t[2], at: t[3] });
  }
  for (const k of r.keys as unknown[]) {
    if (!Array.isArray(k) || typeof k[0] !== 'string' || !isNum(k[1]) || !isNum(k[2])) return undefined;
    clock.keys.set(k[0], { epoch: k[1], at: k[2] });
  }
  return clock;
}
