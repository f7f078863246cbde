/** @jest-config-loader esbuild-register */
// (Node 20 has no native TypeScript support; esbuild-register loads this file.)
import type { Config } from 'jest';

/**
 * Tests run as CommonJS through ts-jest. `isolatedModules: true` in tsconfig.json makes ts-jest
 * transpile each file on its own (fast, no type-check); `npm run typecheck` does the type-checking.
 */
/**
 * Overrides merged onto tsconfig.json (ts-jest reads it from rootDir). With `module: NodeNext` in a
 * `"type": "module"` package TypeScript would emit ESM; jest runs CommonJS here, so force it.
 */
const TS_CJS = { module: 'CommonJS', moduleResolution: 'Bundler' };

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/lib', '<rootDir>/__tests__'],
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    // The legacy decorator tests (NestJS style) compile with experimentalDecorators, like
    // tsconfig.legacy.json; the first matching pattern wins, so this one comes first.
    '^.+/__tests__/decorators/legacy/.+\\.ts$': '<rootDir>/__tests__/setup/legacyDecoratorsTransform.cjs',
    '^.+\\.ts$': ['ts-jest', { tsconfig: TS_CJS }],
    // ESM-only dependencies (devalue) are turned into CommonJS (see transformIgnorePatterns).
    '^.+\\.m?js$': ['ts-jest', { tsconfig: { ...TS_CJS, allowJs: true } }],
  },
  // node_modules is not transformed, except ESM-only packages (add any new ESM-only dependency here).
  transformIgnorePatterns: ['/node_modules/(?!(devalue)/)'],
  // lib uses NodeNext-style `./x.js` specifiers for `./x.ts` files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Redis: starts a standalone redis-server and a 3-master cluster on free ports for the suite
  // (TAGCACHE_TEST_REDIS_URL, TAGCACHE_TEST_CLUSTER_NODES) and stops them afterwards.
  globalSetup: '<rootDir>/__tests__/setup/globalSetup.ts',
  globalTeardown: '<rootDir>/__tests__/setup/globalTeardown.ts',
  testTimeout: 30_000,
  coverageDirectory: 'coverage',
  collectCoverageFrom: ['lib/**/*.ts'],
};

export default config;
