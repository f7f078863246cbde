import { pipe } from 'fp-ts/function';
import {
  createCache,
  withCache,
  withTags,
  withResultTags,
  withEntities,
  withTtl,
  withKey,
  entity,
  memoryStore,
  invalidateTag,
  invalidateEntity,
  type Cached,
  type CacheEvent,
} from '../../lib/index.js';

interface Post {
  id: number;
  authorId: number;
  title: string;
}

describe('composition', () => {
  it('extends the policy through fp-ts pipe, keeping keys and full type inference', async () => {
    const events: CacheEvent[] = [];
    const cache = createCache({ store: memoryStore(), logger: false, onEvent: (e) => events.push(e) });
    let runs = 0;
    const repo = {
      async getPosts(userId: number): Promise<Post[]> {
        runs += 1;
        return [{ id: userId * 100, authorId: userId, title: 't' }];
      },
    };
    const base = withCache({ cache, name: 'posts' })(repo.getPosts);
    const getPosts = pipe(
      repo.getPosts,
      withCache({ cache, name: 'posts' }),
      withTags((userId: number) => [`user:${userId}`]),
      withResultTags((posts: Post[]) => posts.map((p) => `author:${p.authorId}`)),
      withEntities(entity('post')),
      withTtl('30s'),
    );
    // Type inference: arguments and result survive the pipe.
    const typed: Cached<[userId: number], Post[]> = getPosts;
    const posts: Post[] = await typed(1);
    expect(posts[0]?.title).toBe('t');
    expect(getPosts.keyOf(1)).toBe(base.keyOf(1));
    const write = events.find((e): e is Extract<CacheEvent, { type: 'write' }> => e.type === 'write');
    expect(write?.ttl).toBe(30_000);
    expect([...(write?.tags ?? [])].sort()).toEqual(['@fn:posts', 'author:1', 'post:100', 'user:1']);
    await getPosts(1);
    expect(runs).toBe(1);
    await invalidateEntity('post', 100, { cache });
    await getPosts(1);
    expect(runs).toBe(2);
    await invalidateTag('author:1', { cache });
    await getPosts(1);
    expect(runs).toBe(3);
  });

  it('withKey replaces the key material; the original wrapper is unchanged', async () => {
    const cache = createCache({ store: memoryStore(), logger: false });
    const search = withCache(
      async function search(q: { text: string; traceId: string }) {
        return q.text;
      },
      { cache },
    );
    const normalized = pipe(
      search,
      withKey((q: { text: string; traceId: string }) => q.text.trim()),
    );
    expect(normalized.keyOf({ text: ' a ', traceId: '1' })).toBe(
      normalized.keyOf({ text: 'a', traceId: '2' }),
    );
    expect(search.keyOf({ text: 'a', traceId: '1' })).not.toBe(search.keyOf({ text: 'a', traceId: '2' }));
  });

  it('accepts static tags and merges them with earlier ones', async () => {
    const cache = createCache({ store: memoryStore(), logger: false });
    let runs = 0;
    const f = pipe(
      withCache(
        async function list(page: number) {
          runs += 1;
          return [page];
        },
        { cache, tags: ['lists'] },
      ),
      withTags(['pages']),
    );
    await f(1);
    await invalidateTag('lists', { cache });
    await f(1);
    await invalidateTag('pages', { cache });
    await f(1);
    expect(runs).toBe(3);
  });
});
