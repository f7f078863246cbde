import { pipe } from 'fp-ts/function';
import { createCache, withCache, withTags, resource, InvalidOptionsError } from '../../lib/index.js';

const usersRepo = {
  get: async function get(id: number) {
    return { kind: 'user', id };
  },
};
const postsRepo = {
  get: async function get(id: number) {
    return { kind: 'post', id };
  },
};
/** Makes a new function object with the same source each time (hot reload, a re-imported module). */
const reloaded = () =>
  async function getUser(id: number) {
    return { id };
  };

function thrown(make: () => unknown): InvalidOptionsError {
  try {
    make();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionsError);
    return e as InvalidOptionsError;
  }
  throw new Error('expected an InvalidOptionsError');
}

describe('one name, one function, per cache', () => {
  it('wrapping a different function under a used name throws, naming the name and both wrap sites', () => {
    const cache = createCache({ logger: false });
    withCache(usersRepo.get, { cache });
    const error = thrown(() => withCache(postsRepo.get, { cache }));
    expect(error.option).toBe('name');
    expect(error.message).toContain('"get"');
    const sites = error.message.match(/nameClaims\.test\.ts:\d+:\d+/g) ?? [];
    expect(sites).toHaveLength(2);
    expect(sites[0]).not.toBe(sites[1]);
  });

  it('re-wrapping the same function, or one with the same source, is fine; other caches are separate', async () => {
    const cache = createCache({ logger: false });
    withCache(usersRepo.get, { cache });
    withCache(usersRepo.get, { cache, ttl: '1m' });
    const first = withCache(reloaded(), { cache });
    const second = withCache(reloaded(), { cache });
    await first(1);
    expect(await second(1)).toEqual({ id: 1 });
    expect(second.stats().hits).toBe(1);
    expect(() => withCache(postsRepo.get, { cache: createCache({ logger: false }) })).not.toThrow();
    expect(() => pipe(usersRepo.get, withCache({ cache }), withTags('users'))).not.toThrow();
  });

  it('shareEntries: true on both lets two functions share a name and its entries', async () => {
    const cache = createCache({ logger: false });
    const a = withCache(usersRepo.get, { cache, name: 'entity', shareEntries: true });
    const b = withCache(postsRepo.get, { cache, name: 'entity', shareEntries: true });
    await a(1);
    expect(await b(1)).toEqual({ kind: 'user', id: 1 });
    expect(() =>
      withCache(
        async function other() {
          return 0;
        },
        { cache, name: 'entity' },
      ),
    ).toThrow(/shareEntries/);
    expect(() => withCache(usersRepo.get, { cache, shareEntries: 'yes' as never })).toThrow(
      InvalidOptionsError,
    );
  });

  it('a cache named before it exists is checked at the first call', async () => {
    const users = withCache(usersRepo.get, { cache: 'created-later' });
    const posts = withCache(postsRepo.get, { cache: 'created-later' });
    createCache({ name: 'created-later', logger: false });
    await users(1);
    await expect(posts(1)).rejects.toThrow(InvalidOptionsError);
  });

  it('resource reads are named type.fn, so two resources with get functions do not collide', () => {
    const cache = createCache({ logger: false });
    expect(() => {
      resource('user', { cache }).read(usersRepo.get);
      resource('post', { cache }).read(postsRepo.get);
    }).not.toThrow();
  });
});
