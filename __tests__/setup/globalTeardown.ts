/**
 * Jest global teardown: stops the servers globalSetup started and removes their directories.
 */
import { createRequire } from 'node:module';

/**
 * Jest loads global setup files with Node's own resolver (no moduleNameMapper), which cannot map
 * the `./x.js` specifiers that TypeScript (NodeNext) wants onto `./x.ts`; so load the helper by
 * its real file name.
 */
const loadServers = (): typeof import('./redisServers.js') => createRequire(__filename)('./redisServers.ts');

export default async function globalTeardown(): Promise<void> {
  const { server, cluster } = loadServers().takeSuiteServers();
  await Promise.all([server?.destroy(), cluster?.destroy()]);
}
