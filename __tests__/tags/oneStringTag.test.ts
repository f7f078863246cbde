import { pipe } from 'fp-ts/function';
import {
  withCache,
  withTags,
  withResultTags,
  addTags,
  invalidateTag,
  invalidateTags,
  withInvalidation,
  resource,
  InvalidOptionsError,
  type EntityExtractor,
  type TagList,
} from '../../lib/index.js';
import { STORES, cacheFactory } from '../helpers/bothStores.js';

const caches = cacheFactory();
afterAll(() => caches.closeAll());

describe.each(STORES)('a tag given as one string is one tag (%s)', (_label, store) => {
  /** A counted function whose entries carry the tags `options` give it. */
  const counted = () => {
    let runs = 0;
    return {
      fn: async function counted(id: number) {
        return { id, run: ++runs };
      },
      runs: () => runs,
    };
  };

  it('withCache tags: a string, and a function returning a string', async () => {
    const cache = caches.open(store);
    const a = counted();
    const b = counted();
    const all = withCache(a.fn, { cache, name: 'all', tags: 'users' });
    const one = withCache(b.fn, { cache, name: 'one', tags: (id) => `user:${id}` });
    await all(1);
    await one(1);
    await cache.invalidateTags('users');
    await invalidateTags('user:1', { cache });
    await all(1);
    await one(1);
    expect([a.runs(), b.runs()]).toEqual([2, 2]);
  });

  it('combinators, addTags and resultTags take one string', async () => {
    const cache = caches.open(store);
    let runs = 0;
    const inner = async function tagged(id: number) {
      addTags(`inner:${id}`);
      addTags(['list-a', 'list-b']);
      return { id, run: ++runs };
    };
    const f = pipe(
      withCache(inner, { cache, resultTags: (v) => `result:${v.id}` }),
      withTags('static'),
      withTags((id: number) => `arg:${id}`),
      withResultTags((v: { id: number; run: number }) => `combined:${v.id}`),
    );
    for (const tag of ['static', 'arg:1', 'inner:1', 'list-b', 'result:1', 'combined:1']) {
      await f(1);
      await invalidateTag(tag, { cache });
    }
    await f(1);
    expect(runs).toBe(7);
  });

  it('withInvalidation, resource and entity extractors take one string', async () => {
    const cache = caches.open(store);
    const a = counted();
    const read = withCache(a.fn, { cache, name: 'read', tags: (id) => [`user:${id}`, 'users'] });
    const write = withInvalidation(async (id: number) => id, { cache, tags: (id) => `user:${id}` });
    const writeAll = withInvalidation(async () => 0, { cache, tags: 'users', resultTags: () => 'users' });
    await read(1);
    await write(1);
    await read(1);
    await writeAll();
    await read(1);
    expect(a.runs()).toBe(3);

    const user = resource('user', { cache });
    const b = counted();
    const getUser = user.read(b.fn, { name: 'getUser', tags: 'profiles' });
    await getUser(2);
    await invalidateTag('profiles', { cache });
    await getUser(2);
    expect(b.runs()).toBe(2);

    const custom: EntityExtractor = { type: 'doc', extract: () => 'doc:7' as unknown as string[] };
    const c = counted();
    const doc = withCache(c.fn, { cache, name: 'doc', entities: custom });
    await doc(7);
    await invalidateTag('doc:7', { cache });
    await doc(7);
    expect(c.runs()).toBe(2);
  });

  it('never splits a string into characters, and rejects empty tags', async () => {
    const cache = caches.open(store);
    const a = counted();
    const f = withCache(a.fn, { cache, name: 'chars', tags: (id) => `user:${id}` });
    await f(1);
    await invalidateTags('u', { cache });
    await f(1);
    expect(a.runs()).toBe(1);
    expect(() => withCache(a.fn, { cache, name: 'empty', tags: '' })).toThrow(InvalidOptionsError);
    await expect(invalidateTags('', { cache })).rejects.toThrow(TypeError);
    const list: TagList = 'typed';
    expect(typeof list).toBe('string');
  });
});
