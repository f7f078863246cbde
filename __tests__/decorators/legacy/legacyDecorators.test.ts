import {
  cached,
  cachedGetter,
  cachedMethod,
  cacheKey,
  getOrCreateCache,
  invalidates,
  invalidateTag,
  memoryStore,
  InvalidKeyError,
} from '../../../lib/index.js';
import { testRedisStore, uniqueNamespace } from '../../setup/testStores.js';
import { Container, Inject, Injectable } from './nestStandIns.js';

// Compiled with experimentalDecorators (jest.config.ts, tsconfig.legacy.json): the legacy
// decorator form NestJS uses.

const forms: number[] = [];
function probe(...args: unknown[]): void {
  forms.push(args.length);
}

class Probe {
  @probe
  method(): void {}
}

it('this file is compiled with legacy decorators (target, member, descriptor)', () => {
  expect(new Probe()).toBeInstanceOf(Probe);
  expect(forms).toEqual([3]);
});

interface UserRow {
  id: number;
  name: string;
}
const DB = Symbol('DB');

describe.each(['memory', 'redis'] as const)('a NestJS-style provider on %s', (kind) => {
  const cacheName = `nest-${kind}-${uniqueNamespace()}`;
  const cache = getOrCreateCache(cacheName, {
    store: kind === 'memory' ? memoryStore() : testRedisStore(),
    namespace: uniqueNamespace('nest'),
    logger: false,
    timeout: '10s',
  });
  afterAll(() => cache.close());
  const queries: string[] = [];
  const rows = new Map<number, UserRow>([
    [1, { id: 1, name: 'Ada' }],
    [2, { id: 2, name: 'Grace' }],
  ]);
  const db = {
    async find(id: number) {
      queries.push(`find ${id}`);
      return rows.get(id);
    },
    async count() {
      queries.push('count');
      return rows.size;
    },
  };

  @Injectable()
  class UsersRepository {
    constructor(@Inject(DB) private readonly database: typeof db) {}
    find(id: number) {
      return this.database.find(id);
    }
  }

  @Injectable()
  class UsersService {
    constructor(@Inject(UsersRepository) private readonly repo: UsersRepository) {}
    /** One provider instance per application: all instances share entries. */
    [cacheKey]() {
      return 'UsersService';
    }

    @cached({ cache: cacheName, ttl: '5m', tags: (id: number) => [`user:${id}`] })
    async findOne(id: number) {
      return this.repo.find(id);
    }

    @invalidates({ cache: cacheName, tags: (id: number) => [`user:${id}`] })
    async rename(id: number, name: string) {
      rows.set(id, { id, name });
      return rows.get(id);
    }

    @cachedGetter({ cache: cacheName, ttl: 'short', tags: ['users'] })
    get total(): Promise<number> {
      return db.count();
    }

    @cached({ cache: cacheName })
    static async version() {
      queries.push('version');
      return 'v1';
    }
  }

  @Injectable()
  class NoIdentity {
    @cached({ cache: cacheName })
    async get(id: number) {
      return id;
    }
  }

  const app = new Container([[DB, db]]);
  const users = app.get(UsersService);

  it('caches per instance identity, through constructor injection', async () => {
    expect(await users.findOne(1)).toEqual({ id: 1, name: 'Ada' });
    expect(await users.findOne(1)).toEqual({ id: 1, name: 'Ada' });
    expect(await new UsersService(app.get(UsersRepository)).findOne(1)).toEqual({ id: 1, name: 'Ada' });
    expect(queries.filter((q) => q === 'find 1')).toHaveLength(1);
    expect(cachedMethod(users, 'findOne').keyOf(1)).toBe('UsersService#findOne:"UsersService"/1');
  });

  it('@invalidates after the write; @cachedGetter and static methods', async () => {
    await users.rename(1, 'Ada L.');
    expect(await users.findOne(1)).toEqual({ id: 1, name: 'Ada L.' });
    expect(await users.total).toBe(2);
    expect(await users.total).toBe(2);
    expect(queries.filter((q) => q === 'count')).toHaveLength(1);
    await invalidateTag('users', { cache: cacheName });
    expect(await users.total).toBe(2);
    expect(queries.filter((q) => q === 'count')).toHaveLength(2);
    expect(await UsersService.version()).toBe('v1');
    expect(await UsersService.version()).toBe('v1');
    expect(queries.filter((q) => q === 'version')).toHaveLength(1);
    expect(await cachedMethod(UsersService, 'version').peek()).toBe('v1');
  });

  it('helpers and identity errors work in the legacy form too', async () => {
    const view = cachedMethod(users, 'findOne');
    expect(await view.peek(2)).toBeUndefined();
    await users.findOne(2);
    expect(await view.peek(2)).toEqual({ id: 2, name: 'Grace' });
    await view.invalidate(2);
    expect(await view.peek(2)).toBeUndefined();
    expect(view.stats().hits).toBeGreaterThanOrEqual(2);
    await expect(app.get(NoIdentity).get(1)).rejects.toThrow(InvalidKeyError);
  });
});
