import { execFile } from 'node:child_process';
import { join } from 'node:path';

interface Linted {
  readonly filePath: string;
  readonly messages: ReadonlyArray<{ ruleId: string | null; message: string; line: number }>;
}

const ROOT = join(__dirname, '..', '..');

/** Lints snippets placed (in memory, never written) at the given paths with eslint.config.js. */
function lint(snippets: ReadonlyArray<{ filePath: string; code: string }>): Promise<Linted[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(__dirname, 'lintSnippets.mjs')],
      { cwd: ROOT, maxBuffer: 1 << 22 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Linted[]);
      },
    );
    child.stdin!.end(JSON.stringify(snippets));
  });
}

const restricted = (l: Linted | undefined) =>
  (l?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');

describe('import rules (ARCHITECTURE.md), enforced by lint', () => {
  let results: Linted[];
  beforeAll(async () => {
    results = await lint([
      {
        filePath: 'lib/core/probe.ts',
        code: "import { memoryStore } from '../stores/memoryStore.js';\nexport const store = memoryStore();\n",
      },
      {
        filePath: 'lib/core/probe.ts',
        code: "import { redisStore } from '../stores/redisStore.js';\nimport { createRedisStore } from '../stores/redis/scriptedStore.js';\nexport const both = [redisStore, createRedisStore];\n",
      },
      {
        filePath: 'lib/core/probe.ts',
        code: "import type { Store } from '../stores/Store.js';\nexport type S = Store;\n",
      },
      {
        filePath: 'lib/core/compute.ts',
        code: "import { cachedCall } from './cachedCall.js';\nexport const back = cachedCall;\n",
      },
      {
        filePath: 'lib/stores/probe.ts',
        code: "import { withCache } from '../core/withCache.js';\nexport const up = withCache;\n",
      },
      {
        filePath: 'lib/invalidation/probe.ts',
        code: "import { fileStore } from '../stores/fileStore.js';\nexport const f = fileStore;\n",
      },
      {
        filePath: 'lib/index.ts',
        code: "import { memoryStore } from './stores/memoryStore.js';\nexport { memoryStore };\n",
      },
    ]);
  }, 60_000);

  it('lint fails on a concrete store imported into core/', () => {
    expect(restricted(results[0]).map((m) => m.line)).toEqual([1]);
    expect(restricted(results[0])[0]!.message).toMatch(/Store interface \(stores\/Store\.js\) only/);
    expect(restricted(results[1]).map((m) => m.line)).toEqual([1, 2]);
  });

  it('allows the Store interface in core/', () => {
    expect(restricted(results[2])).toEqual([]);
  });

  it('forbids the computation path from calling back into the read path', () => {
    expect(restricted(results[3])[0]?.message).toMatch(/down and back/);
  });

  it('forbids stores/ from importing core/ and invalidation/ from importing concrete stores', () => {
    expect(restricted(results[4])).toHaveLength(1);
    expect(restricted(results[5])).toHaveLength(1);
  });

  it('lets the package entry wire concrete stores', () => {
    expect(restricted(results[6])).toEqual([]);
  });
});
