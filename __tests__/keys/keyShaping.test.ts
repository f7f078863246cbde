import { cached, cachedMethod, withCache, InvalidKeyError, InvalidOptionsError } from '../../lib/index.js';
import { cachesOn, STORE_KINDS } from '../helpers/bothStores.js';

describe.each(STORE_KINDS)('key shaping on %s', (kind) => {
  const newCache = cachesOn(kind);

  it("a template reads fields of the first object argument: 'user:{id}:profile'", async () => {
    const cache = newCache();
    let runs = 0;
    const getProfile = withCache(
      async function getProfile(q: { id: number; trace?: string }) {
        runs += 1;
        return { id: q.id };
      },
      { cache, key: 'user:{id}:profile' },
    );
    expect(getProfile.keyOf({ id: 42 })).toBe('getProfile:user:42:profile');
    await getProfile({ id: 42, trace: 'a' });
    await getProfile({ id: 42, trace: 'b' });
    await getProfile({ id: 7 });
    expect(runs).toBe(2);
    await expect(
      withCache(
        async function typo(q: { id: number }) {
          return q;
        },
        { cache, key: 'user:{userId}' },
      )({ id: 1 }),
    ).rejects.toThrow(/reads \{userId\}, but argument 0 has no property "userId"/);
  });

  it("positions and paths: '{0}:{1.page}', objects in canonical form, {{ and }} literal", async () => {
    const cache = newCache();
    let runs = 0;
    const list = withCache(
      async function list(table: string, opts: { page: number; filter?: object }) {
        runs += 1;
        return `${table}@${opts.page}`;
      },
      { cache, key: '{0}:{1.page}:{{x}}:{1.filter}' },
    );
    expect(list.keyOf('posts', { page: 2, filter: { b: 1, a: 2 } })).toBe('list:posts:2:{x}:{"a":2,"b":1}');
    await list('posts', { page: 2, filter: { a: 2, b: 1 } });
    await list('posts', { page: 2, filter: { b: 1, a: 2 } });
    await list('posts', { page: 3, filter: { a: 2, b: 1 } });
    expect(runs).toBe(2);
  });

  it('bad template syntax is refused at wrap time', () => {
    for (const key of ['{ id }', '{id', 'id}', '{}', '{a-b}', '{0.}'])
      expect(() =>
        withCache(
          async function t() {
            return 1;
          },
          { cache: newCache(), key },
        ),
      ).toThrow(InvalidOptionsError);
    expect(() =>
      withCache(
        async function t() {
          return 1;
        },
        { key: '{ id }' },
      ),
    ).toThrow(/Invalid option "key": unknown placeholder syntax "\{ id \}"/);
  });

  it('exclude drops positions and fields of the first argument', async () => {
    const cache = newCache();
    let runs = 0;
    const run = withCache(
      async function run(q: { id: number; logger?: unknown }, ctx: object, page: number) {
        runs += 1;
        return `${q.id}:${page}`;
      },
      { cache, exclude: [1, 'logger'] },
    );
    await run({ id: 1, logger: console }, { a: () => 1 }, 1);
    await run({ id: 1, logger: { other: true } }, { b: 2 }, 1);
    await run({ id: 1 }, {}, 2);
    expect(runs).toBe(2);
    expect(run.keyOf({ id: 1, logger: console }, {}, 2)).toBe('run:{"id":1},2');
    expect(() =>
      withCache(
        async function both(n: number) {
          return n;
        },
        { key: (n) => n, exclude: [0] },
      ),
    ).toThrow(/Invalid option "exclude"/);
  });

  it('an AbortSignal argument is left out instead of refused, also as a field', async () => {
    const cache = newCache();
    let runs = 0;
    const fetchPage = withCache(
      async function fetchPage(url: string, signal?: AbortSignal) {
        runs += 1;
        return signal?.aborted ?? false;
      },
      { cache },
    );
    await fetchPage('/a', new AbortController().signal);
    await fetchPage('/a', new AbortController().signal);
    await fetchPage('/a');
    expect(runs).toBe(1);
    const search = withCache(
      async function search(q: { text: string; signal: AbortSignal }) {
        runs += 1;
        return q.text;
      },
      { cache },
    );
    await search({ text: 'x', signal: new AbortController().signal });
    await search({ text: 'x', signal: AbortSignal.timeout(10_000) });
    expect(runs).toBe(2);
    expect(search.keyOf({ text: 'x', signal: new AbortController().signal })).toBe('search:{"text":"x"}');
  });

  it('a decorated method with a template key shares entries across instances', async () => {
    const cache = newCache();
    let runs = 0;
    class Api {
      constructor(readonly region: string) {}
      @cached({ cache, key: 'page:{0}' })
      async page(n: number) {
        runs += 1;
        return n;
      }
    }
    await new Api('eu').page(1);
    await new Api('us').page(1);
    expect(runs).toBe(1);
    expect(cachedMethod(new Api('eu'), 'page').keyOf(1)).toBe('Api#page:page:1');
  });

  it('a template placeholder that cannot form a key is reported at call time with its path', async () => {
    const cache = newCache();
    const f = withCache(
      async function f(_q: { cb: unknown }) {
        return 1;
      },
      { cache, key: 'x:{cb}' },
    );
    await expect(f({ cb: { fn: () => 1 } })).rejects.toThrow(InvalidKeyError);
    await expect(f({ cb: { fn: () => 1 } })).rejects.toThrow(/from argument 0\.cb\.fn: a function/);
  });
});
