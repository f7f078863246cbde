import { z } from 'zod';
import { withCache, jsonSerializer } from '../../lib/index.js';
import { STORES, cacheFactory } from '../helpers/bothStores.js';

const caches = cacheFactory();
afterAll(() => caches.closeAll());

describe.each(STORES)('a hit with schema returns the parsed output (%s)', (_label, store) => {
  it('z.coerce.date() turns jsonSerializer’s string back into a Date', async () => {
    const cache = caches.open(store, { serializer: jsonSerializer });
    const getEvent = withCache(
      async function getEvent(id: number) {
        return { id, at: new Date(Date.UTC(2024, 0, id)) };
      },
      { cache, schema: z.object({ id: z.number(), at: z.coerce.date() }) },
    );
    const miss = await getEvent(1);
    const hit = await getEvent(1);
    expect(getEvent.stats().hits).toBe(1);
    expect(hit.at).toBeInstanceOf(Date);
    expect(hit).toEqual(miss);
    const peeked = await getEvent.peek(1);
    expect(peeked?.at).toBeInstanceOf(Date);
  });

  it('a transforming schema gives its output on a hit', async () => {
    const cache = caches.open(store);
    const getName = withCache(
      async function getName(id: number) {
        return ` user ${id} `;
      },
      { cache, schema: z.string().transform((s) => s.trim()) },
    );
    expect(await getName(2)).toBe(' user 2 '); // a miss returns the function's own value
    expect(await getName(2)).toBe('user 2');
  });
});
