/**
 * The TypeScript snippets of README.md and docs/*.md, extracted from the Markdown (no copies).
 * The convention (docs/CONTRIBUTING-docs.md says the same):
 *
 *   ```ts                      type-checked: one TypeScript program for every snippet, as ES
 *                              modules of this package with the repository's strict options;
 *                              'tagcache', 'tagcache/redis' and 'tagcache/testing' resolve to lib/.
 *   ```ts run                  also executed, each in a fresh copy of the library
 *                              (jest.isolateModulesAsync), on the memory store.
 *   ```ts run redis            executed with REDIS_URL and TAGCACHE_URL set to the suite's test
 *                              redis-server: write `process.env.REDIS_URL!` where a URL goes.
 *   ```ts nocheck <reason>     neither (e.g. it imports a module of the reader's own app).
 *
 * - Each snippet is a complete module: it imports what it uses. Only the reader's app is
 *   assumed: `db` and `metrics`, declared and implemented in __tests__/docs/app.ts.
 * - In a run snippet, a top-level expression followed by a comment that starts with a literal
 *   is checked: `getUser.keyOf(42); // 'getUser:42'` (a string starting with `…` checks the
 *   end: `// '…getUser:42'`), `(await f()) instanceof Date; // true, and …`, and
 *   `getCache('nope'); // throws UnknownCacheError`. The comment may also stand alone on the
 *   next line. Other comments are prose.
 * - Caches a run snippet creates (createCache, configure) and the default cache are closed after it.
 * - Any other TypeScript fence (```typescript, ```ts runn, ```ts nocheck without a reason) fails.
 */
import {
  extractSnippets,
  typeCheckSnippets,
  toRunnable,
  expectationOf,
  PACKAGE_ENTRIES,
  type Snippet,
  type Expectation,
} from './helpers/docSnippets.js';
import { REDIS_URL_ENV } from './setup/redisServers.js';
import './docs/app.js';

type Lib = typeof import('../lib/index.js');
type Runner = (
  req: (spec: string) => unknown,
  exports: object,
  module: object,
  expect: typeof check,
) => Promise<void>;

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...params: string[]
) => Runner;
const { snippets, bad } = extractSnippets();
const runnable = snippets.filter((s) => s.mode === 'run');

async function check(
  actual: () => Promise<unknown>,
  expected: Expectation,
  line: number,
  where = '',
): Promise<void> {
  const at = `${where}:${line + 1}`;
  if (expected.kind === 'throws') {
    const error = await actual().then(
      () => undefined,
      (e: unknown) => e,
    );
    const name = error instanceof Error ? error.name : undefined;
    if (name !== expected.name)
      throw new Error(
        `${at}: expected to throw ${expected.name}, got ${error === undefined ? 'no error' : String(error)}`,
      );
    return;
  }
  const value = await actual();
  const ok =
    expected.kind === 'equals'
      ? Object.is(value, expected.value)
      : typeof value === 'string' && value.endsWith(expected.suffix);
  if (!ok)
    throw new Error(
      `${at}: the docs say ${JSON.stringify(expected)}, the code gives ${JSON.stringify(value) ?? String(value)}`,
    );
}

/** Runs one snippet in a fresh copy of the library, then closes the caches it made. */
async function runSnippet(s: Snippet, redisUrl: string | undefined): Promise<number> {
  const { body, assertions } = toRunnable(s.code, `${s.file}:${s.line}.ts`);
  const saved = { REDIS_URL: process.env['REDIS_URL'], TAGCACHE_URL: process.env['TAGCACHE_URL'] };
  if (redisUrl) Object.assign(process.env, { REDIS_URL: redisUrl, TAGCACHE_URL: redisUrl });
  else delete process.env['TAGCACHE_URL'];
  try {
    await jest.isolateModulesAsync(async () => {
      const lib = jest.requireActual<Lib>(PACKAGE_ENTRIES['tagcache']!);
      const made: { close(): Promise<void> }[] = [];
      const tracked = { ...lib };
      tracked.createCache = (...a) => remember(lib.createCache(...a));
      tracked.configure = (...a) => remember(lib.configure(...a));
      function remember<C extends { close(): Promise<void> }>(c: C): C {
        made.push(c);
        return c;
      }
      const req = (spec: string): unknown =>
        spec === 'tagcache' ? tracked : jest.requireActual(PACKAGE_ENTRIES[spec] ?? spec);
      const expectAt: typeof check = (actual, expected, line) =>
        check(actual, expected, s.line + line - 1, s.file);
      try {
        await new AsyncFunction('require', 'exports', 'module', '__expect', body)(req, {}, {}, expectAt);
      } finally {
        made.push(lib.defaultCache());
        await Promise.all(made.map((c) => c.close()));
      }
    });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return assertions;
}

describe('docs snippets', () => {
  it('are found, and every TypeScript fence follows the convention', () => {
    expect(bad).toEqual([]);
    expect(snippets.filter((s) => s.file === 'README.md').length).toBeGreaterThanOrEqual(2);
    expect(runnable.length).toBeGreaterThanOrEqual(10);
  });

  it('all compile as written, in one TypeScript program (and a broken one is reported at its line)', () => {
    const broken: Snippet = {
      file: 'broken.md',
      line: 10,
      mode: 'check',
      redis: false,
      reason: '',
      id: 'broken.md:10',
      code: "import { withCache } from 'tagcache';\nwithCache(42);\n",
    };
    const errors = typeCheckSnippets([...snippets, broken]);
    expect(errors.filter((e) => !e.startsWith('broken.md:'))).toEqual([]);
    expect(errors.join('\n')).toMatch(/^broken\.md:11: error TS\d+: /);
  });

  it.each(runnable.map((s) => [s.id, s] as const))(
    '%s runs and gives what its comments say',
    async (_id, s) => {
      await runSnippet(s, s.redis ? process.env[REDIS_URL_ENV] : undefined);
    },
  );
});

describe('docs snippet convention', () => {
  it('reads expectations from comments', () => {
    expect(expectationOf("// '3:getUser:42'")).toEqual({ kind: 'equals', value: '3:getUser:42' });
    expect(expectationOf('// true, and served from the file store')).toEqual({ kind: 'equals', value: true });
    expect(expectationOf("// '…run:{}'")).toEqual({ kind: 'endsWith', suffix: 'run:{}' });
    expect(expectationOf('// throws UnknownCacheError naming "nope"')).toEqual({
      kind: 'throws',
      name: 'UnknownCacheError',
    });
    expect(expectationOf('// 50_000')).toEqual({ kind: 'equals', value: 50_000 });
    expect(expectationOf('// the same key')).toBeUndefined();
    expect(expectationOf('// 5m later')).toBeUndefined();
  });

  it('fails a run snippet whose stated result is wrong, or that throws', async () => {
    const wrong: Snippet = {
      file: 'x.md',
      line: 3,
      mode: 'run',
      redis: false,
      reason: '',
      id: 'x.md:3',
      code: "import { parseDuration } from 'tagcache';\nparseDuration('5m'); // 1000\n",
    };
    await expect(runSnippet(wrong, undefined)).rejects.toThrow(
      'x.md:4: the docs say {"kind":"equals","value":1000}, the code gives 300000',
    );
    const right = {
      ...wrong,
      code: "import { parseDuration } from 'tagcache';\nparseDuration('5m');\n// 300000\n",
    };
    await expect(runSnippet(right, undefined)).resolves.toBe(1);
    const throwing = { ...wrong, code: "import { getCache } from 'tagcache';\ngetCache('nope');\n" };
    await expect(runSnippet(throwing, undefined)).rejects.toThrow('nope');
  });
});
