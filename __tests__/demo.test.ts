/**
 * `npm run demo` (demo/demo.ts) as a user runs it: a child Node process, on the suite's Redis and
 * on a closed port.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from 'redis';
import { freePort } from './setup/redisServers.js';
import { testRedisUrl } from './setup/testStores.js';

const ROOT = join(__dirname, '..');

function runDemo(tagcacheUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, TAGCACHE_URL: tagcacheUrl };
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'demo', 'demo.ts')],
      { cwd: ROOT, env, timeout: 25_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

describe('demo', () => {
  it('on Redis: uses the fixed namespace, shows real hits, and leaves no key behind', async () => {
    const { code, stdout, stderr } = await runDemo(testRedisUrl());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('namespace "tagcache-demo"');
    expect(stdout).toContain('cache HIT   getUser');
    expect(stdout).toMatch(/Done: 6 database queries, 6 cache hits, 10 misses\./);
    const client = await createClient({ url: testRedisUrl() }).connect();
    try {
      const left: string[] = [];
      for await (const keys of client.scanIterator({ MATCH: '*tagcache-demo*', COUNT: 1000 }))
        left.push(...keys);
      expect(left).toEqual([]);
    } finally {
      client.destroy();
    }
  });

  it('with Redis down: says so, claims no hit, does not crash, and exits with code 1', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await runDemo(`redis://127.0.0.1:${port}`);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toContain('✗ The store is not reachable');
    expect(stdout).toContain('ECONNREFUSED');
    expect(stdout).not.toContain('cache HIT');
    expect(stdout).not.toMatch(/: a hit/);
    expect(stdout).toMatch(/Done: 12 database queries, 0 cache hits/);
    expect(stdout).toContain('The store was not reachable: nothing was cached (exit code 1).');
  });
});
