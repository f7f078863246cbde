/** Type tests for the legacy form (tsconfig.legacy.json): decorated members keep their types. */
import { cached, cachedGetter, invalidates } from '../../../lib/index.js';

class Repo {
  readonly id = 1;
  @cached({ tags: (n: number) => [`n:${n}`] })
  async double(n: number, _label?: string): Promise<number> {
    return n * 2;
  }
  @invalidates({ tags: ['all'] })
  async reset(): Promise<void> {}
  @cachedGetter({ ttl: '1m' })
  get size(): Promise<number> {
    return Promise.resolve(1);
  }
  // @ts-expect-error: the tags function and the method disagree on the argument type
  @cached({ tags: (n: string) => [n] })
  async wrong(n: number): Promise<number> {
    return n;
  }
}

const repo = new Repo();
export const doubled: Promise<number> = repo.double(2, 'x');
export const size: Promise<number> = repo.size;
export const reset: Promise<void> = repo.reset();
// @ts-expect-error: parameter types are kept
repo.double('2');
// @ts-expect-error: result types are kept
export const bad: Promise<string> = repo.double(2);
