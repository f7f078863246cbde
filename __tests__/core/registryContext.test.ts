import {
  addTags,
  addTagsTo,
  configure,
  createCache,
  currentCache,
  getCache,
  getOrCreateCache,
  invalidateTag,
  memoryStore,
  withCache,
  withCacheSync,
  InvalidOptionsError,
} from '../../lib/index.js';
import { cachesOn, STORE_KINDS } from '../helpers/bothStores.js';

describe('the cache registry', () => {
  it('createCache({ name }) with a registered name throws; close() frees the name', async () => {
    const first = createCache({ name: 'registry-dup', store: memoryStore(), logger: false });
    expect(() => createCache({ name: 'registry-dup', store: memoryStore() })).toThrow(InvalidOptionsError);
    expect(() => createCache({ name: 'registry-dup' })).toThrow(
      /Invalid option "name": a cache named "registry-dup" is already registered/,
    );
    expect(getCache('registry-dup')).toBe(first);
    await first.close();
    const second = createCache({ name: 'registry-dup', store: memoryStore(), logger: false });
    expect(getCache('registry-dup')).toBe(second);
    await second.close();
  });

  it('getOrCreateCache returns the registered handle, or creates and registers one', async () => {
    const made = getOrCreateCache('registry-goc', { store: memoryStore(), ttl: '10m', logger: false });
    expect(made.defaultTtl).toBe(600_000);
    const again = getOrCreateCache('registry-goc', { ttl: '1h' });
    expect(again).toBe(made);
    expect(getCache('registry-goc')).toBe(made);
    await made.close();
  });

  it('configure still replaces the default cache', async () => {
    const a = configure({ store: memoryStore(), logger: false });
    const b = configure({ store: memoryStore(), logger: false });
    expect(getCache('default')).toBe(b);
    await Promise.all([a.close(), b.close()]);
  });
});

describe.each(STORE_KINDS)('computation context on %s', (kind) => {
  const newCache = cachesOn(kind);

  it('currentCache() is the cache of the running computation, undefined outside', async () => {
    const users = newCache({ name: `ctx-users-${kind}` });
    const seen: Array<string | undefined> = [];
    const inner = withCache(
      async function innerSeen() {
        seen.push(currentCache()?.name);
        return 1;
      },
      { cache: newCache() },
    );
    const outer = withCache(
      async function outerSeen() {
        seen.push(currentCache()?.name);
        await inner();
        seen.push(currentCache()?.name);
        return 2;
      },
      { cache: users },
    );
    await outer();
    expect(seen[0]).toBe(`ctx-users-${kind}`);
    expect(seen[1]).not.toBe(seen[0]);
    expect(seen[2]).toBe(`ctx-users-${kind}`);
    expect(currentCache()).toBeUndefined();
    if (kind === 'memory') {
      const sync = withCacheSync(
        function syncSeen() {
          return currentCache()?.name;
        },
        { cache: users },
      );
      expect(sync()).toBe(`ctx-users-${kind}`);
    }
  });

  it('addTagsTo(cache, …) tags the enclosing computation of that cache only', async () => {
    const users = newCache({ name: `ctx-u-${kind}` });
    const pages = newCache({ name: `ctx-p-${kind}` });
    const runs = { profile: 0, page: 0 };
    const getProfile = withCache(
      async function getProfile(id: number) {
        runs.profile += 1;
        addTags(`user:${id}`);
        addTagsTo(`ctx-p-${kind}`, `profile-page:${id}`);
        addTagsTo(pages, `any-page`);
        return { id };
      },
      { cache: users },
    );
    const renderPage = withCache(
      async function renderPage(id: number) {
        runs.page += 1;
        return `<h1>${(await getProfile(id)).id}</h1>`;
      },
      { cache: pages },
    );
    await renderPage(1);
    await invalidateTag('profile-page:1', { cache: users });
    await renderPage(1); // the tag is not on the profile entry, and users' invalidation is not pages'
    expect(runs).toEqual({ profile: 1, page: 1 });
    await invalidateTag('profile-page:1', { cache: pages });
    await renderPage(1);
    expect(runs).toEqual({ profile: 1, page: 2 });
    await getProfile(2); // no enclosing computation of pages: nothing to tag, no error
    expect(() => addTagsTo(pages, '')).toThrow(TypeError);
  });
});
