/**
 * A script that uses a Redis store from a URL and never calls close() exits by itself: the
 * client the store created does not hold the process open (unref'd sockets, no retry timers).
 */
import { join } from 'node:path';
import { freePort } from '../setup/redisServers.js';
import { lastJson, runScript } from '../setup/runScript.js';
import { testClusterNodes, testRedisUrl } from '../setup/testStores.js';

const CHILD = join('__tests__', 'setup', 'scriptChild.ts');

describe('a process using a Redis store it never closes', () => {
  it.each([
    ['redis://', () => testRedisUrl()],
    ['redis-cluster://', () => `redis-cluster://${testClusterNodes().join(',')}`],
  ])(
    'exits by itself (%s), after a real miss and hit',
    async (_label, url) => {
      const run = await runScript(CHILD, ['no-close', url()]);
      expect(run.stderr).toBe('');
      expect(run.exited).toBe(true);
      expect(run.code).toBe(0);
      expect(lastJson(run.stdout)).toEqual({ first: 42, second: 42, hits: 1, errors: 0 });
    },
    30_000,
  );

  it('exits by itself when Redis is unreachable (no reconnect timer keeps it alive)', async () => {
    const run = await runScript(CHILD, ['no-close', `redis://127.0.0.1:${await freePort()}`]);
    expect(run.exited).toBe(true);
    expect(run.code).toBe(0);
    expect(lastJson(run.stdout)).toMatchObject({ first: 42, second: 42, hits: 0 });
  }, 30_000);
});
