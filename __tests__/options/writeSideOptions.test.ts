import {
  entity,
  resource,
  withInvalidation,
  withCache,
  createCache,
  InvalidOptionsError,
} from '../../lib/index.js';

const write = async (id: number) => id;
const read = withCache(
  async function readForRecache(id: number) {
    return id;
  },
  { cache: createCache({ logger: false }) },
);

/** Calls `make` and returns the option the InvalidOptionsError it throws names. */
function rejectedOption(make: () => unknown): string {
  try {
    make();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionsError);
    expect((e as Error).message).toContain((e as InvalidOptionsError).option);
    return (e as InvalidOptionsError).option;
  }
  throw new Error('expected an InvalidOptionsError');
}

describe('entity, resource and withInvalidation check their options', () => {
  it.each([
    [{ pth: 'author' }, 'pth'],
    [{ path: 42 }, 'path'],
    [{ path: 'a..b' }, 'path'],
    [{ id: 7 }, 'id'],
    [{ id: '' }, 'id'],
    [{ when: true }, 'when'],
  ])('entity(type, %j) names %s', (options, option) => {
    expect(rejectedOption(() => entity('user', options as never))).toBe(option);
  });

  it.each([
    [{ idField: 'userId' }, 'idField'],
    [{ id: 3 }, 'id'],
    [{ cache: 12 }, 'cache'],
  ])('resource(type, %j) names %s', (options, option) => {
    expect(rejectedOption(() => resource('user', options as never))).toBe(option);
  });

  it.each([
    [{ tag: 'users' }, 'tag'],
    [{ tags: 7 }, 'tags'],
    [{ tags: [''] }, 'tags'],
    [{ when: 'during' }, 'when'],
    [{ mode: 'soft' }, 'mode'],
    [{ resultTags: ['a'] }, 'resultTags'],
    [{ entities: 'user' }, 'entities'],
    [{ recache: [{ read, arg: () => [1] }] }, 'recache.0.args'],
    [{ recache: [{ read: 1, args: () => [1] }] }, 'recache.0.read'],
  ])('withInvalidation(fn, %j) names %s', (options, option) => {
    expect(rejectedOption(() => withInvalidation(write, options as never))).toBe(option);
  });

  it('accepts good options', () => {
    expect(() => entity('user', { path: 'items[].author', id: 'uid', when: () => true })).not.toThrow();
    expect(() => resource('user', { id: 'userId' })).not.toThrow();
    expect(() =>
      withInvalidation(write, {
        tags: 'users',
        when: 'before',
        mode: 'stale',
        recache: [{ read, args: (r) => [r] }],
      }),
    ).not.toThrow();
  });
});
