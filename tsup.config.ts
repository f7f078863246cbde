import { defineConfig } from 'tsup';

/**
 * Build: dual ESM (`.js` + `.d.ts`) and CJS (`.cjs` + `.d.cts`) for every public entry.
 *
 * - `devalue` is ESM-only, so it is bundled (the CJS build could not `require` it otherwise).
 * - Runtime dependencies and the optional `redis` and `@opentelemetry/api` peers stay external
 *   (subpaths included).
 * - `splitting` is on for both formats so that the entries share one copy of internal modules
 *   (a cache registered via `tagcache` is the same one `tagcache/redis` sees, `instanceof` works
 *   across entries, ...).
 */
const external = [
  /^redis(\/|$)/,
  /^@opentelemetry\//,
  /^@redis\//,
  /^lru-cache(\/|$)/,
  /^zod(\/|$)/,
  /^fp-ts(\/|$)/,
  /^commander(\/|$)/,
];

export default defineConfig({
  entry: {
    index: 'lib/index.ts',
    'testing/index': 'lib/testing/index.ts',
    redis: 'lib/redis.ts',
    otel: 'lib/otel.ts',
    // The `tagcache` bin (package.json `bin`); its `#!/usr/bin/env node` line is kept by esbuild.
    cli: 'lib/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  target: 'node20',
  platform: 'node',
  outDir: 'dist',
  clean: true,
  // tsup's dts build sets `baseUrl`, which TypeScript 6 reports as deprecated (TS5101).
  dts: {
    entry: {
      index: 'lib/index.ts',
      'testing/index': 'lib/testing/index.ts',
      redis: 'lib/redis.ts',
      otel: 'lib/otel.ts',
    },
    compilerOptions: { ignoreDeprecations: '6.0' },
  },
  splitting: true,
  sourcemap: false,
  treeshake: false,
  shims: false,
  external,
  noExternal: ['devalue'],
  outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.js' }),
});
