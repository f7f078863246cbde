import type { EntityExtractor } from './entity.js';

/** The `entities` option as given: one extractor or several. */
export type EntitiesOption = EntityExtractor | readonly EntityExtractor[] | undefined;

const NONE: readonly EntityExtractor[] = Object.freeze([]);

/** The `entities` option as a list (empty when absent). */
export function entityList(entities: EntitiesOption): readonly EntityExtractor[] {
  if (entities === undefined) return NONE;
  return Array.isArray(entities) ? entities : [entities as EntityExtractor];
}
