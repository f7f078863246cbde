/**
 * The tagcache demo: a small repository of users and posts, cached, invalidated and shown.
 * Runs on the embedded memory store, or on the store TAGCACHE_URL names (e.g. redis://127.0.0.1:6379).
 *
 *   npm run demo
 *   TAGCACHE_URL=redis://127.0.0.1:6379 npm run demo
 *
 * It uses one fixed namespace, `tagcache-demo`, cleared when it starts and removed (group clocks
 * included) when it ends, so a run leaves no key behind. When the store cannot be reached it says
 * so, runs anyway (tagcache fails open: every read runs the database, invalidations fail with a
 * StoreError) and exits with code 1.
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
import { dropNamespace } from './dropNamespace.js';

export const DEMO_NAMESPACE = 'tagcache-demo';

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
const seen = { hits: 0, misses: 0, storeErrors: 0 };
const onEvent = (e: CacheEvent) => {
  if (e.type === 'hit') {
    seen.hits += 1;
    say(`    cache HIT   ${e.name}  (${e.key})`);
  } else if (e.type === 'miss') {
    seen.misses += 1;
    say(`    cache MISS  ${e.name}  (${e.key})`);
  } else if (e.type === 'store-error') {
    seen.storeErrors += 1;
    say(`    store error (${e.op}): ${e.error.message}`);
  } else if (e.type === 'invalidate') {
    say(`    invalidated tags: ${e.tags.join(', ')}`);
  } else if (e.type === 'circuit') {
    say(`    circuit breaker ${e.state}${e.state === 'open' ? ': the store is skipped for a while' : ''}`);
  }
};
let storeUp = true;

/**
 * One step: its title (with what caching should do, when the store is up), then what really
 * happened, counted from events, never assumed.
 */
async function step(title: string, expected: string, run: () => Promise<unknown>): Promise<void> {
  say(`\n▶ ${title}${storeUp && expected ? `: ${expected}` : ''}`);
  const before = { ...seen, queries: db.queries };
  try {
    const result = await run();
    if (result !== undefined) say(`  → ${JSON.stringify(result)}`);
  } catch (e) {
    say(
      `  ✗ ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} (an invalidation is never skipped silently)`,
    );
  }
  const n = (k: keyof typeof seen) => seen[k] - before[k];
  const errors = n('storeErrors') ? `, ${n('storeErrors')} store errors` : '';
  say(`  = ${n('hits')} hits, ${n('misses')} misses, ${db.queries - before.queries} db queries${errors}`);
}

// ---- the cache -------------------------------------------------------------------------------
const url = process.env['TAGCACHE_URL'];
const cache = configure({
  store: url ? storeFromUrl(url) : memoryStore(),
  namespace: DEMO_NAMESPACE,
  logger: false, // the events above say it all
  ttl: '5m',
  onEvent,
});

// ---- cached reads ----------------------------------------------------------------------------
const getUser = withCache(
  async function getUser(id: number) {
    return query(`SELECT user ${id}`, () => db.users.get(id) ?? null);
  },
  { entities: entity('user') },
);

const getPostsByAuthor = withCache(
  async function getPostsByAuthor(authorId: number) {
    addTags(entityTag('posts-of', authorId)); // a dependency collected while it runs
    return query(`SELECT posts WHERE author = ${authorId}`, () =>
      [...db.posts.values()].filter((p) => p.authorId === authorId),
    );
  },
  { entities: entity('post') },
);

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

/** Whether the store answers (a read of a key that does not exist), and why not. */
async function probe(): Promise<string | undefined> {
  const timeout = new Promise<string>((r) => setTimeout(() => r('no answer within 3 s'), 3000).unref());
  const read = Promise.resolve(cache.store.get(DEMO_NAMESPACE, 'probe')).then(
    () => undefined,
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
  return Promise.race([read, timeout]);
}

async function main(): Promise<number> {
  say(
    `tagcache demo on the ${cache.store.kind} store${url ? ` (${url})` : ''}, namespace "${DEMO_NAMESPACE}"`,
  );
  const down = await probe();
  if (down !== undefined) {
    storeUp = false;
    say(`\n✗ The store is not reachable: ${down}.`);
    say('  tagcache fails open: every read below runs the database and nothing is cached;');
    say('  invalidations fail with a StoreError. Start Redis, or unset TAGCACHE_URL for the memory store.');
  } else {
    await cache.clear(); // a fresh start, whatever an earlier run left
  }

  await step('First read of user 1', 'a miss, the database is queried', () => getUser(1));
  await step('Second read of user 1', 'a hit, no query', () => getUser(1));
  await step('Author page for Ada, composed of two cached reads', 'getUser is a hit, the posts a miss', () =>
    getAuthorPage(1),
  );
  await step('Author page again', 'one hit, nothing else runs', () => getAuthorPage(1));
  await step('Update: rename user 1 to "Ada Lovelace" (invalidates tag user:1)', '', () =>
    renameUser(1, 'Ada Lovelace'),
  );
  await step(
    'Read the page again',
    'user 1 and the page that embedded it are recomputed; the posts stay cached',
    () => getAuthorPage(1),
  );
  await step(
    'Entity invalidation: retitle post 11',
    'every entry whose result held post 11 goes',
    async () => {
      await retitlePost(11, 'Sketch of the Analytical Engine');
      return getAuthorPage(1);
    },
  );
  await step("Grace's page, untouched by all of this, read twice", 'a miss, then a hit', async () => {
    await getAuthorPage(2);
    return getAuthorPage(2);
  });

  say(`\nDone: ${db.queries} database queries, ${seen.hits} cache hits, ${seen.misses} misses.`);
  if (!storeUp) say('The store was not reachable: nothing was cached (exit code 1).');
  return storeUp ? 0 : 1;
}

/** Removes what the demo wrote: entries and markers, and on Redis the namespace's clocks. */
async function cleanUp(): Promise<void> {
  if (!storeUp) return;
  await cache.clear();
  if (url) await dropNamespace(url, DEMO_NAMESPACE);
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => cache.close());
