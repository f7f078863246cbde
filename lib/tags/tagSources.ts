import { entityList, type EntitiesOption } from '../entities/entityList.js';

/** Tags given as a fixed iterable, or as a function of the arguments. */
export type TagSource<A extends unknown[]> =
  Iterable<string> | ((this: never, ...args: A) => Iterable<string>);

/** Tags of a value (and the arguments that produced it). */
export type ResultTagSource<R, A extends unknown[]> = (this: never, value: R, ...args: A) => Iterable<string>;

type Callable = (this: unknown, ...args: readonly unknown[]) => Iterable<string>;

const NO_TAGS: readonly string[] = Object.freeze([]);

/**
 * Prepares a {@link TagSource} once: a function of the arguments giving its tags. Fixed tags are
 * copied and frozen here, so a call only returns the same array.
 */
export function argTagsOf<A extends unknown[]>(
  source: TagSource<A> | undefined,
): (args: A, self?: unknown) => Iterable<string> {
  if (source === undefined) return () => NO_TAGS;
  if (typeof source === 'function') {
    const call = source as unknown as Callable;
    return (args, self) => call.apply(self, args);
  }
  const fixed = Object.freeze([...source]);
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

/**
 * The tags of a result: `resultTags` plus the entities found in it; undefined when there are
 * neither (so the caller can skip the work).
 */
export function valueTagsOf<R, A extends unknown[]>(
  resultTags: ResultTagSource<R, A> | undefined,
  entities: EntitiesOption,
): ((value: R, args: A, self?: unknown) => string[]) | undefined {
  const extractors = entityList(entities);
  if (resultTags === undefined && extractors.length === 0) return undefined;
  const call = resultTags as unknown as Callable | undefined;
  return (value, args, self) => {
    const out: string[] = call === undefined ? [] : [...call.apply(self, [value, ...args])];
    for (const x of extractors) out.push(...x.extract(value));
    return out;
  };
}

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
): (args: A, self?: unknown) => Iterable<string> {
  const own = functionTag(name);
  if (typeof source !== 'function') {
    const fixed = Object.freeze([own, ...(source ?? [])]);
    return () => fixed;
  }
  const call = source as unknown as Callable;
  return (args, self) => [own, ...call.apply(self, args)];
}
