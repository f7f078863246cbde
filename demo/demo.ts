/**
 * The tagcache demo: a small repository of users and posts, cached, invalidated and shown.
 * Runs on the embedded memory store, or on the store TAGCACHE_URL names (e.g. redis://127.0.0.1:6379).
 *
 *   npm run demo
 *   TAGCACHE_URL=redis://127.0.0.1:6379 npm run demo
 */
import {
  configure,
  withCache,
  withInvalidation,
  entity,
  entityTag,
  addTags,
  invalidateEntity,
  memoryStore,
  storeFromUrl,
  type CacheEvent,
} from '../lib/index.js';

// ---- a tiny "database" that counts its queries ----------------------------------------------
interface User {
  id: number;
  name: string;
}
interface Post {
  id: number;
  authorId: number;
  title: string;
}
const db = {
  users: new Map<number, User>([
    [1, { id: 1, name: 'Ada' }],
    [2, { id: 2, name: 'Grace' }],
  ]),
  posts: new Map<number, Post>([
    [10, { id: 10, authorId: 1, title: 'Notes on the Analytical Engine' }],
    [11, { id: 11, authorId: 1, title: 'On Bernoulli numbers' }],
    [20, { id: 20, authorId: 2, title: 'Compilers for everyone' }],
  ]),
  queries: 0,
};
const query = async <T>(what: string, run: () => T): Promise<T> => {
  db.queries += 1;
  say(`    db query #${db.queries}: ${what}`);
  await new Promise((r) => setTimeout(r, 5));
  return structuredClone(run());
};

// ---- narration -------------------------------------------------------------------------------
const say = (line: string) => console.log(line);
const step = (title: string) => say(`\n▶ ${title}`);
const onEvent = (e: CacheEvent) => {
  if (e.type === 'hit') say(`    cache HIT   ${e.name}  (${e.key})`);
  if (e.type === 'miss') say(`    cache MISS  ${e.name}  (${e.key})`);
  if (e.type === 'invalidate') say(`    invalidated tags: ${e.tags.join(', ')}`);
  if (e.type === 'store-error') say(`    store error (${e.op}): ${e.error.message} → the function ran instead`);
};

// ---- the cache -------------------------------------------------------------------------------
const url = process.env['TAGCACHE_URL'];
const cache = configure({
  store: url ? storeFromUrl(url) : memoryStore(),
  namespace: `demo-${process.pid}`,
  ttl: '5m',
  onEvent,
});

// ---- cached reads ----------------------------------------------------------------------------
const getUser = withCache(async function getUser(id: number) {
  return query(`SELECT user ${id}`, () => db.users.get(id) ?? null);
}, { entities: entity('user') });

const getPostsByAuthor = withCache(async function getPostsByAuthor(authorId: number) {
  addTags(entityTag('posts-of', authorId)); // a dependency collected while it runs
  return query(`SELECT posts WHERE author = ${authorId}`, () => [...db.posts.values()].filter((p) => p.authorId === authorId));
}, { entities: entity('post') });

// A page built from two cached reads: it inherits their tags (user:1, post:10, …).
const getAuthorPage = withCache(async function getAuthorPage(authorId: number) {
  const [author, posts] = await Promise.all([getUser(authorId), getPostsByAuthor(authorId)]);
  return { author: author?.name, titles: posts.map((p) => p.title) };
});

// ---- writes that invalidate what they change -------------------------------------------------
const renameUser = withInvalidation(
  async (id: number, name: string) => {
    db.users.set(id, { id, name });
  },
  { tags: (id) => [entityTag('user', id)] },
);
const retitlePost = async (id: number, title: string) => {
  const post = db.posts.get(id)!;
  db.posts.set(id, { ...post, title });
  await invalidateEntity('post', id);
};

async function main() {
  say(`tagcache demo on the ${cache.store.kind} store${url ? ` (${url})` : ''}`);

  step('First read of user 1: a miss, the database is queried');
  say(`  → ${JSON.stringify(await getUser(1))}`);

  step('Second read of user 1: a hit, no query');
  say(`  → ${JSON.stringify(await getUser(1))}`);

  step("Author page for Ada: composed of two cached reads (getUser is a hit, posts a miss)");
  say(`  → ${JSON.stringify(await getAuthorPage(1))}`);

  step('Author page again: one hit, nothing else runs');
  say(`  → ${JSON.stringify(await getAuthorPage(1))}`);

  step('Update: rename user 1 to "Ada Lovelace" (invalidates tag user:1)');
  await renameUser(1, 'Ada Lovelace');

  step('Read again: user 1 and the page that embedded it are recomputed; the posts stay cached');
  say(`  → ${JSON.stringify(await getAuthorPage(1))}`);

  step('Entity invalidation: retitle post 11; every entry whose result held post 11 goes');
  await retitlePost(11, 'Sketch of the Analytical Engine');
  say(`  → ${JSON.stringify(await getAuthorPage(1))}`);

  step("Grace's page is untouched by all of this: first read misses, second hits");
  await getAuthorPage(2);
  await getAuthorPage(2);

  const s = getUser.stats();
  say(`\nDone: ${db.queries} database queries. getUser: ${s.hits} hits, ${s.misses} misses.`);
  await cache.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
