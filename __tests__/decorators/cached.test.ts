import {
  cached,
  cachedGetter,
  cachedMethod,
  cacheKey,
  invalidates,
  invalidateTag,
  withCache,
  addTags,
  InvalidKeyError,
  InvalidOptionsError,
  type Cache,
} from '../../lib/index.js';
import { cachesOn, STORE_KINDS } from '../helpers/bothStores.js';

// TC39 (standard) decorators: this file is compiled without experimentalDecorators.

describe.each(STORE_KINDS)('classes on %s', (kind) => {
  const newCache = cachesOn(kind);

  it('a wrapped function is called with the caller’s this', async () => {
    const cache = newCache();
    const repo = {
      table: 'users',
      find: withCache(
        async function find(this: { table: string }, id: number) {
          return `${this.table}:${id}`;
        },
        { cache },
      ),
    };
    expect(await repo.find(1)).toBe('users:1');
    expect(await repo.find(1)).toBe('users:1');
    expect(repo.find.stats().hits).toBe(1);
  });

  function repoClass(cache: Cache, runs: string[]) {
    class UserRepo {
      constructor(
        readonly id: number,
        readonly prefix = 'u',
      ) {}
      @cached({ cache, tags: (userId: number) => [`user:${userId}`] })
      async getUser(userId: number) {
        runs.push(`${this.id}:${userId}`);
        return { by: this.id, userId, label: `${this.prefix}${userId}` };
      }
      @invalidates({
        cache,
        tags: function (this: UserRepo, userId: number) {
          return [`user:${userId}`, `repo:${this.id}`];
        },
      })
      async rename(userId: number) {
        return userId;
      }
      @cached({ cache })
      static async count(table: string) {
        runs.push(`count:${table}`);
        return table.length;
      }
    }
    return UserRepo;
  }

  it('@cached entries are per instance (id), and the method sees its instance', async () => {
    const runs: string[] = [];
    const UserRepo = repoClass(newCache(), runs);
    const a = new UserRepo(1);
    const b = new UserRepo(2);
    expect(await a.getUser(7)).toEqual({ by: 1, userId: 7, label: 'u7' });
    expect(await b.getUser(7)).toEqual({ by: 2, userId: 7, label: 'u7' });
    expect(await a.getUser(7)).toEqual({ by: 1, userId: 7, label: 'u7' });
    expect(await new UserRepo(1, 'other').getUser(7)).toEqual({ by: 1, userId: 7, label: 'u7' });
    expect(runs).toEqual(['1:7', '2:7']);
    expect(cachedMethod(a, 'getUser').keyOf(7)).toBe('UserRepo#getUser:1/7');
  });

  it('repeat calls on one instance follow a changed id or [cacheKey](), and alternating instances stay apart', async () => {
    const cache = newCache();
    const runs: string[] = [];
    class Mutable {
      constructor(public id: number) {}
      @cached({ cache })
      async load(n: number) {
        runs.push(`${this.id}:${n}`);
        return `${this.id}:${n}`;
      }
    }
    class Tenant {
      constructor(public tenant: string) {}
      [cacheKey]() {
        return this.tenant;
      }
      @cached({ cache })
      async load(n: number) {
        runs.push(`${this.tenant}:${n}`);
        return `${this.tenant}:${n}`;
      }
    }
    const m = new Mutable(1);
    expect([await m.load(1), await m.load(1)]).toEqual(['1:1', '1:1']);
    m.id = 2; // same instance, new identity: a new entry
    expect([await m.load(1), await m.load(1)]).toEqual(['2:1', '2:1']);
    const t = new Tenant('a');
    expect(await t.load(1)).toBe('a:1');
    t.tenant = 'b';
    expect([await t.load(1), await t.load(1)]).toEqual(['b:1', 'b:1']);
    const x = new Mutable(5);
    const y = new Mutable(6);
    const alternating: string[] = [];
    for (let i = 0; i < 3; i++) alternating.push(await x.load(9), await y.load(9));
    expect(alternating).toEqual(['5:9', '6:9', '5:9', '6:9', '5:9', '6:9']);
    expect(runs).toEqual(['1:1', '2:1', 'a:1', 'b:1', '5:9', '6:9']);
    (m as { id: unknown }).id = undefined; // an emptied id is refused, even on a repeat call
    await expect(m.load(1)).rejects.toBeInstanceOf(InvalidKeyError);
  });

  it('@invalidates drops the entries its tags reach (tags see this)', async () => {
    const runs: string[] = [];
    const UserRepo = repoClass(newCache(), runs);
    const a = new UserRepo(1);
    await a.getUser(7);
    await a.getUser(8);
    expect(await a.rename(7)).toBe(7);
    await a.getUser(7);
    await a.getUser(8);
    expect(runs).toEqual(['1:7', '1:8', '1:7']);
  });

  it('static methods key by their arguments, in the class’s scope', async () => {
    const runs: string[] = [];
    const UserRepo = repoClass(newCache(), runs);
    expect(await UserRepo.count('posts')).toBe(5);
    expect(await UserRepo.count('posts')).toBe(5);
    expect(runs).toEqual(['count:posts']);
    expect(cachedMethod(UserRepo, 'count').keyOf('posts')).toBe('UserRepo.count:"posts"');
    await cachedMethod(UserRepo, 'count').invalidate('posts');
    await UserRepo.count('posts');
    expect(runs).toEqual(['count:posts', 'count:posts']);
  });

  it('instance identity: [cacheKey]() first, then id, then pk; none is refused with the clear error', async () => {
    const cache = newCache();
    let runs = 0;
    class Tenant {
      constructor(readonly name: string) {}
      [cacheKey]() {
        return { tenant: this.name };
      }
      @cached({ cache })
      async plan() {
        runs += 1;
        return `${this.name}-plan`;
      }
    }
    class Row {
      constructor(readonly pk: number) {}
      @cached({ cache })
      async load() {
        runs += 1;
        return this.pk;
      }
    }
    class Service {
      @cached({ cache })
      async get(id: number) {
        return id;
      }
      @cached({ cache, key: (id: number) => id })
      async shared(id: number) {
        runs += 1;
        return id;
      }
    }
    expect(await new Tenant('acme').plan()).toBe('acme-plan');
    expect(await new Tenant('acme').plan()).toBe('acme-plan');
    expect(await new Row(3).load()).toBe(3);
    expect(await new Row(3).load()).toBe(3);
    expect(runs).toBe(2);
    await expect(new Service().get(1)).rejects.toThrow(InvalidKeyError);
    await expect(new Service().get(1)).rejects.toThrow(/neither a \[cacheKey\]\(\) method nor an id or pk/);
    await new Service().shared(1);
    await new Service().shared(1);
    expect(runs).toBe(3);
    const detached = new Row(1).load;
    await expect(detached()).rejects.toThrow(/without its instance/);
  });

  it('cachedMethod gives the helpers for one instance; stats count every instance', async () => {
    const runs: string[] = [];
    const UserRepo = repoClass(newCache(), runs);
    const a = new UserRepo(1);
    const view = cachedMethod(a, 'getUser');
    expect(await view.peek(7)).toBeUndefined();
    await a.getUser(7);
    expect(await view.peek(7)).toEqual({ by: 1, userId: 7, label: 'u7' });
    await view.set({ by: 1, userId: 7, label: 'set' }, 7);
    expect((await a.getUser(7)).label).toBe('set');
    expect((await view.refresh(7)).label).toBe('u7');
    await view.invalidate(7);
    expect(await view.peek(7)).toBeUndefined();
    expect(await view(7)).toEqual({ by: 1, userId: 7, label: 'u7' });
    await new UserRepo(2).getUser(7);
    expect(view.stats()).toMatchObject({ hits: 1, calls: 4 });
    expect(() => cachedMethod(a, 'rename')).toThrow(/not a method decorated with @cached/);
  });

  it('@cachedGetter caches a promise-returning getter per instance, with tags and a TTL', async () => {
    const cache = newCache({ maxTtl: '1m' });
    let runs = 0;
    class Team {
      constructor(readonly id: number) {}
      @cachedGetter({ cache, ttl: 'long', tags: ['teams'] })
      get size(): Promise<number> {
        runs += 1;
        return Promise.resolve(this.id * 10);
      }
    }
    const t1 = new Team(1);
    expect(await t1.size).toBe(10);
    expect(await new Team(1).size).toBe(10);
    expect(await new Team(2).size).toBe(20);
    expect(runs).toBe(2);
    const read = await cache.store.get(
      cache.namespace,
      `${cache.version}:${cachedMethod(t1, 'size').keyOf()}`,
    );
    expect(read.hit && read.ttl > 50_000 && read.ttl <= 60_000).toBe(true); // 'long' capped by maxTtl
    await invalidateTag('teams', { cache });
    expect(await t1.size).toBe(10);
    expect(runs).toBe(3);
  });

  it('nested decorated calls: the outer entry depends on the inner one’s tags', async () => {
    const cache = newCache();
    let outerRuns = 0;
    class Catalog {
      readonly id = 'main';
      @cached({ cache })
      async product(sku: string) {
        addTags(`sku:${sku}`);
        return { sku };
      }
      @cached({ cache })
      async basket(skus: string[]) {
        outerRuns += 1;
        return Promise.all(skus.map((s) => this.product(s)));
      }
    }
    const c = new Catalog();
    await c.basket(['a', 'b']);
    await c.basket(['a', 'b']);
    await invalidateTag('sku:b', { cache });
    await c.basket(['a', 'b']);
    expect(outerRuns).toBe(2);
  });

  it('bad options throw when the class is defined, naming the option', () => {
    expect(() => {
      class Bad {
        @cached({ ttl: 'sometimes' })
        async get() {
          return 1;
        }
      }
      return Bad;
    }).toThrow(InvalidOptionsError);
  });
});
