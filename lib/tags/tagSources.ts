import { unresolvedIn, type EntityExtractor, type Unresolved } from '../entities/entity.js';
import { entityList, type EntitiesOption } from '../entities/entityList.js';

/**
 * Tags as every tagcache function takes them: one tag (a string is one tag, never split into
 * characters), or an iterable of tags (array, Set, generator).
 *
 * @example
 * ```ts
 * const one: TagList = 'users';
 * const several: TagList = ['users', 'user:1'];
 * ```
 */
export type TagList = string | Iterable<string>;

/** Tags given as a fixed list, or as a function of the arguments (called with the caller's `this`). */
export type TagSource<A extends unknown[]> = TagList | ((this: never, ...args: A) => TagList);

/** Tags of a value (and the arguments that produced it). */
export type ResultTagSource<R, A extends unknown[]> = (this: never, value: R, ...args: A) => TagList;

type Callable = (this: unknown, ...args: readonly unknown[]) => TagList;

const NO_TAGS: readonly string[] = Object.freeze([]);

function badTag(where: string, tag: unknown): TypeError {
  const shown = typeof tag === 'string' ? '""' : String(tag);
  return new TypeError(`${where}: tags must be non-empty strings, got ${shown}`);
}

/**
 * The one normalisation of a {@link TagList}: a string is one tag, an iterable gives its items;
 * `undefined`/`null` give none. Throws a TypeError naming `where` for anything that is not a
 * non-empty string.
 */
export function tagsOf(tags: TagList | null | undefined, where: string): string[] {
  if (tags === undefined || tags === null) return [];
  if (typeof tags === 'string') {
    if (tags.length === 0) throw badTag(where, tags);
    return [tags];
  }
  if (typeof (tags as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function')
    throw new TypeError(`${where}: expected a tag (string) or an iterable of tags, got ${String(tags)}`);
  const out: string[] = [];
  for (const t of tags as Iterable<unknown>) {
    if (typeof t !== 'string' || t.length === 0) throw badTag(where, t);
    out.push(t);
  }
  return out;
}

/**
 * Prepares a {@link TagSource} once: a function of the arguments giving its tags. Fixed tags are
 * checked, copied and frozen here, so a call only returns the same array.
 */
export function argTagsOf<A extends unknown[]>(
  source: TagSource<A> | undefined,
  where = 'tags',
): (args: A, self?: unknown) => readonly string[] {
  if (source === undefined) return () => NO_TAGS;
  if (typeof source === 'function') {
    const call = source as unknown as Callable;
    return (args, self) => tagsOf(call.apply(self, args), where);
  }
  const fixed = Object.freeze(tagsOf(source, where));
  return () => fixed;
}

/** One tag source giving the tags of every source given, in order (undefined ones are skipped). */
export function mergeTagSources<A extends unknown[]>(
  ...sources: ReadonlyArray<TagSource<A> | undefined>
): (this: unknown, ...args: A) => string[] {
  const prepared = sources.filter((s) => s !== undefined).map((s) => argTagsOf(s));
  return function merged(this: unknown, ...args: A): string[] {
    const out: string[] = [];
    for (const tagsOf of prepared) for (const t of tagsOf(args, this)) out.push(t);
    return out;
  };
}

/** One result-tag source giving the tags of both, in order (for `withResultTags`). */
export function mergeResultTagSources<R, A extends unknown[]>(
  first: ResultTagSource<R, A> | undefined,
  second: ResultTagSource<R, A>,
): ResultTagSource<R, A> {
  const one = first as unknown as Callable | undefined;
  const two = second as unknown as Callable;
  return function merged(this: unknown, value: R, ...args: A): string[] {
    return [
      ...(one === undefined ? NO_TAGS : tagsOf(one.apply(this, [value, ...args]), 'resultTags')),
      ...tagsOf(two.apply(this, [value, ...args]), 'resultTags'),
    ];
  } as ResultTagSource<R, A>;
}

/**
 * The tags of a result: `resultTags` plus the entities found in it; undefined when there are
 * neither (so the caller can skip the work).
 */
export function valueTagsOf<R, A extends unknown[]>(
  resultTags: ResultTagSource<R, A> | undefined,
  entities: EntitiesOption,
): ValueTags<R, A> | undefined {
  const extractors = entityList(entities);
  if (resultTags === undefined && extractors.length === 0) return undefined;
  const call = resultTags as unknown as Callable | undefined;
  return (value, args, self, report) => {
    const out = call === undefined ? [] : tagsOf(call.apply(self, [value, ...args]), 'resultTags');
    for (const x of extractors) {
      const tags = tagsOf(x.extract(value), `entity('${x.type}')`);
      for (const t of tags) out.push(t);
      if (tags.length === 0 && report !== undefined) {
        const why = (x as Partial<Record<typeof unresolvedIn, (v: unknown) => Unresolved | undefined>>)[
          unresolvedIn
        ]?.(value);
        if (why !== undefined) report(x, why);
      }
    }
    return out;
  };
}

/**
 * The tags of a value; `report` hears of each extractor made by `entity()` that found nothing
 * in a non-empty value (a `path` leading nowhere, objects without a usable id).
 */
export type ValueTags<R, A extends unknown[]> = (
  value: R,
  args: A,
  self?: unknown,
  report?: (extractor: EntityExtractor, why: Unresolved) => void,
) => string[];

/**
 * The tag every entry of the function named `name` carries: `invalidateAll()` invalidates it.
 * Tags starting with `@fn:` are reserved for it.
 */
export function functionTag(name: string): string {
  return '@fn:' + name;
}

/** {@link argTagsOf} with the function's own tag ({@link functionTag}) first. */
export function argTagsWithFunctionTag<A extends unknown[]>(
  name: string,
  source: TagSource<A> | undefined,
): (args: A, self?: unknown) => readonly string[] {
  const own = functionTag(name);
  const rest = argTagsOf(source);
  if (typeof source !== 'function') {
    const fixed = Object.freeze([own, ...rest([] as unknown as A)]);
    return () => fixed;
  }
  return (args, self) => [own, ...rest(args, self)];
}
