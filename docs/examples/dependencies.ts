// Tags, entities and collected dependencies (docs/tags.md).
import { createCache, withCache, entity, addTags, invalidateEntity, invalidateTag, memoryStore } from '../../lib/index.js';

const cache = createCache({ store: memoryStore(), logger: false });
let queries = 0;

const getUser = withCache(async function getUser(id: number) {
  queries += 1;
  return { id, name: `user ${id}` };
}, { cache, entities: entity('user') });

const getOrder = withCache(async function getOrder(id: string) {
  queries += 1;
  addTags('orders'); // collected while it runs
  return { id, buyer: await getUser(7), items: [{ product: { id: 'p1' } }, { product: { id: 'p2' } }] };
}, { cache, entities: [entity('order'), entity('product', { path: 'items[].product' })] });

export async function main(): Promise<string[]> {
  await getOrder('o1'); // 2 queries: the order and, nested, the user
  await getOrder('o1'); // 0 queries
  await invalidateEntity('product', 'p2', { cache }); // a product inside the order changed
  await getOrder('o1'); // 1 query: the order (the user is still cached)
  await invalidateEntity('user', 7, { cache }); // the nested user changed: the order carries user:7 too
  await getOrder('o1'); // 2 queries
  await invalidateTag('orders', { cache }); // a tag added with addTags
  await getOrder('o1'); // 1 query
  return [`queries: ${queries}`];
}
