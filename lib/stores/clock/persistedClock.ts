/**
 * A {@link LogicalClock} written through to durable storage after each change, with the epoch
 * that storage is known to hold. The storage is pluggable: a function that saves the clock's
 * text (the file store passes an atomic file write).
 *
 * @packageDocumentation
 */
import type { Epoch } from '../Store.js';
import { encodeClock } from './clockCodec.js';
import type { LogicalClock } from './logicalClock.js';

/**
 * A clock and its write-through.
 *
 * @example
 * ```ts
 * const pc = persistedClock(emptyClock(), (text) => writeAtomic(path, text));
 * markTags(pc.clock, ['user:1'], 'drop', Date.now());
 * await pc.save(); // resolves once a write holding this change completed
 * ```
 */
export interface PersistedClock {
  readonly clock: LogicalClock;
  /**
   * The epoch of the last save that completed: entries stamped with it are judged against no
   * more than what storage holds, so a crash before a save can only cost misses.
   */
  durable(): Epoch;
  /** Saves the clock; resolves once a save including every change made so far has completed. */
  save(): Promise<void>;
  /** Resolves when no save is running. */
  idle(): Promise<void>;
}

/**
 * Wraps `clock` (as loaded, already saved) with a write-through to `write`. Saves run one after
 * the other; a save that a later one already covers is skipped.
 *
 * @example
 * ```ts
 * const pc = persistedClock(clock, (text) => writeFile(path, text));
 * ```
 */
export function persistedClock(clock: LogicalClock, write: (text: string) => Promise<void>): PersistedClock {
  let durable = clock.epoch;
  let version = 0;
  let written = 0;
  let chain: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    const target = ++version;
    const run = chain.then(async () => {
      if (written >= target) return; // a later save already carried this change
      const v = version;
      const epoch = clock.epoch;
      await write(encodeClock(clock));
      written = v;
      if (epoch > durable) durable = epoch;
    });
    chain = run.catch(() => undefined);
    return run;
  };
  return Object.freeze({ clock, durable: () => durable, save, idle: () => chain });
}
