// ESLint flat config: @eslint/js + typescript-eslint recommended (not type-aware: kept fast;
// `npm run typecheck` does the type checking).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers of lib/ (ARCHITECTURE.md). Each entry: the files, and the imports they must not
 * make. Imports are relative (`../stores/memoryStore.js`), so patterns match on path segments.
 */
const CONCRETE_STORES = {
  group: ['**/stores/**', '!**/stores/Store.js', '!**/stores/storeOps.js'],
  message:
    'core/ and the layers above it use the Store interface (stores/Store.js) only; concrete stores are wired at the edge (lib/index.ts installs them, see core/defaultStores.ts).',
};
const ENTRIES = {
  group: ['**/index.js', '!**/keys/index.js', '!**/serializers/index.js', '**/redis.js', '**/otel.js'],
  message: 'only the package entries import the entries.',
};
const UPWARD = (what, folders, allowed = []) => ({
  group: [...folders.map((f) => `**/${f}/**`), ...allowed.map((a) => `!**/${a}`)],
  message: `${what} must not import ${folders.join('/, ')}/ (a layer above it; see ARCHITECTURE.md).`,
});
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

/** Inside core/: the computation path never calls back into the read path or the public API. */
const READ_PATH_AND_API = {
  group: [
    './cachedCall.js',
    './withCache.js',
    './combinators.js',
    './peekEntry.js',
    './setEntry.js',
    './invalidateEntry.js',
    './refreshEntry.js',
  ],
  message:
    'the computation path (call, compute, lock, entryRules) must not import the read path or the public API: a call goes down and back, never back and forth.',
};

const layers = [
  {
    files: ['lib/core/**/*.ts'],
    rules: restrict(CONCRETE_STORES, ENTRIES, UPWARD('core/', ['invalidation', 'testing'])),
  },
  {
    files: ['lib/core/{call,compute,lock,entryRules}.ts'],
    rules: restrict(
      CONCRETE_STORES,
      ENTRIES,
      UPWARD('core/', ['invalidation', 'testing']),
      READ_PATH_AND_API,
    ),
  },
  // kv/ is the key-value surface of a cache handle (core/createCache.ts attaches it): core's layer.
  {
    files: ['lib/kv/**/*.ts'],
    rules: restrict(CONCRETE_STORES, ENTRIES, UPWARD('kv/', ['invalidation', 'testing', 'batch'])),
  },
  {
    files: ['lib/batch/**/*.ts'],
    rules: restrict(CONCRETE_STORES, ENTRIES, UPWARD('batch/', ['invalidation', 'testing'])),
  },
  {
    files: ['lib/invalidation/**/*.ts'],
    rules: restrict(CONCRETE_STORES, ENTRIES, UPWARD('invalidation/', ['testing'])),
  },
  // core/duration.ts and core/promiseInto.ts are leaves (no imports of their own): stores parse
  // durations and make their read promises with them too.
  {
    files: ['lib/stores/**/*.ts'],
    rules: restrict(
      ENTRIES,
      UPWARD('stores/', ['core', 'invalidation', 'testing'], ['core/duration.js', 'core/promiseInto.js']),
    ),
  },
  {
    files: ['lib/{keys,serializers,events,entities,tags}/**/*.ts', 'lib/errors.ts'],
    rules: restrict(
      ENTRIES,
      CONCRETE_STORES,
      UPWARD('this leaf folder', ['core', 'invalidation', 'testing', 'options']),
    ),
  },
  // metrics/ reads events/ only; config/ parses the environment (zod, durations, errors).
  {
    files: ['lib/metrics/**/*.ts'],
    rules: restrict(
      ENTRIES,
      CONCRETE_STORES,
      UPWARD('metrics/', ['core', 'invalidation', 'testing', 'options', 'config', 'stores']),
    ),
  },
  // otel/ turns events into OpenTelemetry: it reads events/ and metrics/, never the core.
  {
    files: ['lib/otel/**/*.ts'],
    rules: restrict(
      ENTRIES,
      CONCRETE_STORES,
      UPWARD('otel/', ['core', 'invalidation', 'testing', 'options', 'config', 'stores']),
    ),
  },
  {
    files: ['lib/config/**/*.ts'],
    rules: restrict(
      ENTRIES,
      CONCRETE_STORES,
      UPWARD('config/', ['invalidation', 'testing', 'options', 'stores', 'events', 'metrics']),
    ),
  },
  {
    files: ['lib/options/**/*.ts'],
    rules: restrict(
      ENTRIES,
      CONCRETE_STORES,
      UPWARD('options/', ['core', 'invalidation', 'testing'], ['core/duration.js']),
    ),
  },
  {
    files: ['lib/{sync,decorators}/**/*.ts'],
    rules: restrict(CONCRETE_STORES, ENTRIES, UPWARD('sync/ and decorators/', ['testing'])),
  },
  { files: ['lib/testing/**/*.ts'], rules: restrict(ENTRIES, UPWARD('testing/', ['invalidation'])) },
  { files: ['lib/testing/index.ts'], rules: { 'no-restricted-imports': 'off' } },
];

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'scratch/', '.tmp/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['__tests__/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
    // Serializer tests build sparse arrays on purpose (holes must round-trip).
    rules: { 'no-sparse-arrays': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  ...layers,
);
