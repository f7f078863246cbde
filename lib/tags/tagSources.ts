import { entityList, type EntitiesOption } from '../entities/entityList.js';

/** Tags given as a fixed iterable, or as a function of the arguments. */
export type TagSource<A extends unknown[]> = Iterable<string> | ((...args: A) => Iterable<string>);

/** Tags of a value (and the arguments that produced it). */
export type ResultTagSource<R, A extends unknown[]> = (value: R, ...args: A) => Iterable<string>;

const NO_TAGS: readonly string[] = Object.freeze([]);

/**
 * Prepares a {@link TagSource} once: a function of the arguments giving its tags. Fixed tags are
 * copied and frozen here, so a call only returns the same array.
 */
export function argTagsOf<A extends unknown[]>(
  source: TagSource<A> | undefined,
): (args: A) => Iterable<string> {
  if (source === undefined) return () => NO_TAGS;
  if (typeof source === 'function') return (args) => source(...args);
  const fixed = Object.freeze([...source]);
  return () => fixed;
}

/** One tag source giving the tags of every source given, in order (undefined ones are skipped). */
export function mergeTagSources<A extends unknown[]>(
  ...sources: ReadonlyArray<TagSource<A> | undefined>
): (...args: A) => string[] {
  const prepared = sources.filter((s) => s !== undefined).map((s) => argTagsOf(s));
  return (...args) => {
    const out: string[] = [];
    for (const tagsOf of prepared) for (const t of tagsOf(args)) out.push(t);
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
): ((value: R, args: A) => string[]) | undefined {
  const extractors = entityList(entities);
  if (resultTags === undefined && extractors.length === 0) return undefined;
  return (value, args) => {
    const out: string[] = resultTags === undefined ? [] : [...resultTags(value, ...args)];
    for (const x of extractors) out.push(...x.extract(value));
    return out;
  };
}
