/**
 * Type tests (checked by `npm run typecheck`, never run): decorated members keep their types,
 * `withCacheSync` returns `R` (not a promise), and the helpers of `cachedMethod` are typed from
 * the method. Every `@ts-expect-error` line must be an error, or tsc fails.
 */
import {
  cached,
  cachedGetter,
  cachedMethod,
  invalidates,
  withCacheSync,
  type Cached,
  type SyncCached,
} from '../../lib/index.js';

interface User {
  id: number;
  name: string;
}

class UserRepo {
  constructor(readonly id: number) {}

  @cached({ ttl: '5m', tags: (userId: number) => [`user:${userId}`] })
  async getUser(userId: number): Promise<User> {
    return { id: userId, name: `u${this.id}` };
  }

  @cached({
    key: function (this: UserRepo, q: string) {
      return [this.id, q];
    },
  })
  async search(q: string, page = 1): Promise<User[]> {
    return [{ id: page, name: q }];
  }

  @invalidates({ tags: (userId: number) => [`user:${userId}`] })
  async rename(userId: number, name: string): Promise<User> {
    return { id: userId, name };
  }

  @cachedGetter({ ttl: '1m' })
  get total(): Promise<number> {
    return Promise.resolve(this.id);
  }

  @cached()
  static async countAll(): Promise<number> {
    return 0;
  }

  // @ts-expect-error: the tags function takes a string, the method a number
  @cached({ tags: (userId: string) => [userId] })
  async mismatched(userId: number): Promise<User> {
    return { id: userId, name: '' };
  }

  // @ts-expect-error: resultTags reads a User, the method returns a number
  @cached({ resultTags: (u: User) => [`user:${u.id}`] })
  async countOf(): Promise<number> {
    return 1;
  }
}

const repo = new UserRepo(1);
export const user: Promise<User> = repo.getUser(1);
export const users: Promise<User[]> = repo.search('x', 2);
export const renamed: Promise<User> = repo.rename(1, 'n');
export const total: Promise<number> = repo.total;
export const all: Promise<number> = UserRepo.countAll();
// @ts-expect-error: a decorated method keeps its parameter types
repo.getUser('1');
// @ts-expect-error: ... and its result type
export const notString: Promise<string> = repo.getUser(1);
// @ts-expect-error: ... and its arity
repo.rename(1);

const view: Cached<[userId: number], User> = cachedMethod(repo, 'getUser');
export const peeked: Promise<User | undefined> = view.peek(1);
export const totalView: Cached<[], number> = cachedMethod(repo, 'total');
export const staticView: Cached<[], number> = cachedMethod(UserRepo, 'countAll');
// @ts-expect-error: the helpers take the method's arguments
void cachedMethod(repo, 'getUser').invalidate('1');

const priceOf = withCacheSync(function priceOf(sku: string) {
  return sku.length * 100;
});
export const price: number = priceOf('abc');
export const typed: SyncCached<[sku: string], number> = priceOf;
// @ts-expect-error: withCacheSync returns R, not Promise<R>
export const notPromise: Promise<number> = priceOf('abc');
// @ts-expect-error: the arguments are checked
priceOf(42);
export const peekedSync: number | undefined = priceOf.peek('abc');
