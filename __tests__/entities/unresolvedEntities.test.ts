import {
  withCache,
  entity,
  entityTag,
  invalidateEntity,
  resource,
  InvalidKeyError,
  type CacheEvent,
} from '../../lib/index.js';
import { STORES, cacheFactory } from '../helpers/bothStores.js';

const caches = cacheFactory();
afterAll(() => caches.closeAll());

type Unresolved = Extract<CacheEvent, { type: 'entity-unresolved' }>;

describe.each(STORES)('entities that resolve to nothing (%s)', (_label, store) => {
  it('an entity() whose path finds nothing in a non-empty result is an event and a rate-limited log line', async () => {
    const events: CacheEvent[] = [];
    const lines: string[] = [];
    const cache = caches.open(store, { onEvent: (e) => events.push(e), logger: (l) => lines.push(l) });
    const getPost = withCache(
      async function getPost(id: number) {
        return { id, author: { id: id * 10 } };
      },
      { cache, entities: [entity('post'), entity('user', { path: 'nope' })] },
    );
    await getPost(1);
    await getPost(2);
    const unresolved = events.filter((e): e is Unresolved => e.type === 'entity-unresolved');
    expect(unresolved).toHaveLength(2);
    expect(unresolved[0]).toMatchObject({ entity: 'user', reason: 'path', name: 'getPost' });
    expect(lines.filter((l) => l.includes("entity('user')"))).toHaveLength(1);
  });

  it('says so for objects without a usable id, and stays quiet for empty results or when() filters', async () => {
    const events: CacheEvent[] = [];
    const cache = caches.open(store, { onEvent: (e) => events.push(e) });
    const noId = withCache(
      async function noId() {
        return [{ userId: 1 }];
      },
      { cache, entities: entity('user') },
    );
    const empty = withCache(
      async function empty() {
        return [] as { id: number }[];
      },
      { cache, entities: entity('user') },
    );
    const filtered = withCache(
      async function filtered() {
        return [{ id: 1, active: false }];
      },
      { cache, entities: entity('user', { when: (o) => o.active === true }) },
    );
    const found = withCache(
      async function found() {
        return { author: { id: 3 } };
      },
      { cache, entities: entity('user', { path: 'author' }) },
    );
    await Promise.all([noId(), empty(), filtered(), found()]);
    const unresolved = events.filter((e): e is Unresolved => e.type === 'entity-unresolved');
    expect(unresolved.map((e) => [e.name, e.reason])).toEqual([['noId', 'id']]);
  });

  it('invalidateEntity with an undefined or object id rejects with InvalidKeyError', async () => {
    const cache = caches.open(store);
    await expect(invalidateEntity('user', undefined, { cache })).rejects.toThrow(InvalidKeyError);
    await expect(invalidateEntity('user', { id: 1 }, { cache })).rejects.toThrow(
      /entity 'user'.*got an object/,
    );
    await expect(invalidateEntity('user', '', { cache })).rejects.toThrow(InvalidKeyError);
    await expect(invalidateEntity('user', NaN, { cache })).rejects.toThrow(InvalidKeyError);
    await expect(resource('user', { cache }).invalidate(null)).rejects.toThrow(InvalidKeyError);
    expect(() => entityTag('user', undefined)).toThrow(InvalidKeyError);
    await expect(invalidateEntity('user', 1n, { cache })).resolves.toBeUndefined();
    expect(entityTag('user', 'a-1')).toBe('user:a-1');
  });
});
