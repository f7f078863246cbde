import { parseOptions } from '../options/parseOptions.js';
import { entityOptionsSchema } from '../options/writeSideSchemas.js';
import { entityExtractor, type EntityExtractor, type EntityOptions } from '../entities/entity.js';

/**
 * Declares the entities a result holds, so that `invalidateEntity(type, id)` reaches every entry
 * that contains that entity. By default the result itself is the entity, or each element when
 * it is an array; `path` walks into it (`author`, `items[].product`), arrays met on the way are
 * walked element by element.
 *
 * @example
 * ```ts
 * const getOrder = withCache(fetchOrder, {
 *   entities: [entity('order'), entity('product', { path: 'items[].product', id: 'sku' })],
 * });
 * await invalidateEntity('product', 'SKU-1'); // drops every order holding that product
 * ```
 */
export function entity(type: string, opts: EntityOptions = {}): EntityExtractor {
  if (typeof type !== 'string' || type.length === 0)
    throw new TypeError('entity: type must be a non-empty string');
  parseOptions(entityOptionsSchema, opts, 'entity');
  return entityExtractor(type, opts);
}
