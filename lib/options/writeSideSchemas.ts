/**
 * zod schemas of the options of `entity`, `resource` and `withInvalidation`: unknown keys and
 * bad values are rejected with InvalidOptionsError naming the option, like `withCache`'s.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { tagsOption } from './schemas.js';

const isFn = (v: unknown): boolean => typeof v === 'function';
const fn = (what: string) => z.custom<(...a: never[]) => unknown>(isFn, { message: `expected ${what}` });
const nonEmpty = z
  .string({ message: 'expected a non-empty string' })
  .min(1, { message: 'expected a non-empty string' });
const isHandle = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const cacheRef = z.union([nonEmpty, z.custom(isHandle)], {
  message: 'expected a cache handle or the name of a registered cache',
});
const extractor = z.custom(
  (v) => typeof v === 'object' && v !== null && isFn((v as { extract?: unknown }).extract),
  { message: "expected an entity extractor made by entity('type', …)" },
);

/** Checks the options of `entity(type, options)`. */
export const entityOptionsSchema = z.strictObject({
  id: z
    .union([nonEmpty, fn('a function')], {
      message: 'expected the id field name (a non-empty string) or a function (entity) => id',
    })
    .optional(),
  path: z
    .string({ message: "expected a path such as 'author' or 'items[].product'" })
    .regex(/^[^.\s]+(\.[^.\s]+)*$/, { message: "expected a path such as 'author' or 'items[].product'" })
    .optional(),
  when: fn('a predicate (entity) => boolean').optional(),
});

/** Checks the options of `resource(type, options)`. */
export const resourceOptionsSchema = z.strictObject({
  id: nonEmpty.optional(),
  cache: cacheRef.optional(),
});

const recache = z.strictObject({
  read: z.custom((v) => (isFn(v) || isHandle(v)) && isFn((v as { refresh?: unknown }).refresh), {
    message: 'expected a cached function (made by withCache)',
  }),
  args: fn('a function (result, ...args) => the read’s arguments'),
});

/** Checks the options of `withInvalidation(fn, options)`. */
export const invalidationOptionsSchema = z.strictObject({
  cache: z
    .union([cacheRef, z.array(cacheRef)], {
      message: 'expected a cache handle, a registered name, or an array of them',
    })
    .optional(),
  mode: z.enum(['drop', 'stale'], { message: "expected 'drop' or 'stale'" }).optional(),
  tags: tagsOption.optional(),
  resultTags: fn('a function (result, ...args) => tags').optional(),
  entities: z
    .union([extractor, z.array(extractor)], { message: "expected entity('type', …) or an array of them" })
    .optional(),
  when: z.enum(['after', 'before'], { message: "expected 'after' or 'before'" }).optional(),
  recache: z.array(recache, { message: 'expected an array of { read, args }' }).optional(),
  keys: z
    .union([z.array(z.string()), fn('a function of the arguments returning keys')], {
      message: 'expected an array of keys or a function of the arguments returning keys',
    })
    .optional(),
  resultKeys: fn('a function (result, ...args) => keys').optional(),
  patterns: z
    .union([z.array(z.string()), fn('a function of the arguments returning patterns')], {
      message: 'expected an array of glob patterns or a function of the arguments returning them',
    })
    .optional(),
});
