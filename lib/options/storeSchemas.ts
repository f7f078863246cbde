/**
 * Schemas of the options of the in-process store factories (`memoryStore`, `fileStore`,
 * `nullStore`), checked with {@link parseOptions} at construction.
 *
 * @packageDocumentation
 */
import { z } from 'zod';

const positiveInteger = z
  .number({ message: 'expected a positive integer' })
  .int({ message: 'expected a positive integer' })
  .min(1, { message: 'expected a positive integer' });
const positiveNumber = z
  .number({ message: 'expected a positive number of bytes' })
  .positive({ message: 'expected a positive number of bytes' });
const fn = (what: string) =>
  z.custom<(...a: never[]) => unknown>((v) => typeof v === 'function', { message: `expected ${what}` });
const clockFn = fn('a function () => milliseconds since 1970');

/** Checks the options of `memoryStore`. */
export const memoryStoreOptionsSchema = z.strictObject({
  maxEntries: positiveInteger.optional(),
  maxBytes: positiveNumber.optional(),
  sizeOf: fn('a function (value) => bytes').optional(),
  now: clockFn.optional(),
  liveValues: z.boolean({ message: 'expected a boolean' }).optional(),
});

/** Checks the options of `fileStore`. */
export const fileStoreOptionsSchema = z.strictObject({
  dir: z
    .string({ message: 'expected the path of a directory (a non-empty string)' })
    .min(1, { message: 'expected the path of a directory (a non-empty string)' }),
  maxEntries: positiveInteger.optional(),
  now: clockFn.optional(),
});

/** Checks the options of `nullStore` (it takes none). */
export const nullStoreOptionsSchema = z.strictObject({});
