/**
 * The built `tagcache` bin, as a child process: help, every kind of bad input (one line on
 * stderr, a non-zero exit, no stack trace), the `--yes` rule on a terminal, and the file store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCache, fileStore } from '../../lib/index.js';
import { testRedisStore, testRedisUrl, uniqueNamespace } from '../setup/testStores.js';
import { buildCli, closedPort, oneLineError, type BuiltCli } from './builtCli.js';

let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
});
afterAll(() => cli.dispose());

const COMMANDS = [
  'ping',
  'info',
  'stats',
  'keys',
  'get',
  'inspect',
  'invalidate',
  'invalidate-entity',
  'delete',
  'clear',
];

describe('tagcache --help', () => {
  it('documents every command, with the global options', async () => {
    const [root, ...each] = await Promise.all([
      cli.run(['--help']),
      ...COMMANDS.map((c) => cli.run([c, '--help'])),
    ]);
    expect(root.code).toBe(0);
    for (const c of COMMANDS) expect(root.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    each.forEach((r, i) => {
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(new RegExp(`^Usage: tagcache ${COMMANDS[i]}\\b`));
      for (const o of ['--url <url>', '--namespace <namespace>', '--version <version>', '--json'])
        expect(r.stdout).toContain(o);
    });
    const version = await cli.run(['--cli-version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });
});

describe('tagcache on bad input', () => {
  it('prints one line and exits 2 for usage errors, bad options and bad URLs', async () => {
    const redis = { TAGCACHE_URL: 'redis://127.0.0.1:1' }; // never reached: each fails before connecting
    const cases: [string[], Record<string, string>, string][] = [
      [['ping'], {}, 'tagcache: no store URL: pass --url <url> or set TAGCACHE_URL'],
      [['pnig'], redis, "tagcache: unknown command 'pnig' (Did you mean ping?)"],
      [['get'], redis, "tagcache: missing required argument 'key'"],
      [['get', 'a', 'b'], redis, "tagcache: too many arguments for 'get'. Expected 1 argument but got 2."],
      [['invalidate-entity', 'user'], redis, "tagcache: missing required argument 'id'"],
      [['--bogus', 'ping'], redis, "tagcache: unknown option '--bogus'"],
      [
        ['keys', '--limit', '0'],
        redis,
        "tagcache: option '--limit <n>' argument '0' is invalid. expected a positive integer.",
      ],
      [
        ['--timeout', 'soon', 'ping'],
        redis,
        'tagcache: --timeout: expected a duration (5s, 500ms), got "soon"',
      ],
      [
        ['--url', 'bogus://x', 'ping'],
        {},
        'tagcache: Invalid option "url": unknown scheme "bogus" in "bogus://x"',
      ],
      [
        ['--url', 'redis://h:1?grups=2', 'ping'],
        {},
        'tagcache: Invalid option "grups": unknown parameter "grups"',
      ],
      [['--url', 'redis-cluster://nohost', 'ping'], {}, 'tagcache: Invalid option "url": expected host:port'],
    ];
    const results = await Promise.all(cases.map(([args, env]) => cli.run(args, env)));
    results.forEach((r, i) => {
      const [, , message] = cases[i]!;
      expect(oneLineError(r).startsWith(message)).toBe(true);
      expect(r.code).toBe(2);
    });
  });

  it('prints one line and exits 1 when the server is unreachable', async () => {
    const port = await closedPort();
    const r = await cli.run(['ping'], { TAGCACHE_URL: `redis://user:secret@127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(oneLineError(r)).toMatch(
      new RegExp(
        `^tagcache: cannot connect to redis at redis://user:\\*\\*\\*@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`,
      ),
    );
  });
});

describe('tagcache clear and pattern deletes on a terminal', () => {
  it('want --yes when attached to a terminal, and not in a pipe', async () => {
    const ns = uniqueNamespace('cli-tty');
    const cache = createCache({ store: testRedisStore(), namespace: ns, logger: false, timeout: 5000 });
    const args = ['--url', testRedisUrl(), '--namespace', ns, '--timeout', '20s'];
    try {
      await cache.set('page:1', 1);
      await cache.set('page:2', 2);
      const [clear, del] = await Promise.all([
        cli.runOnTerminal([...args, 'clear']),
        cli.runOnTerminal([...args, 'delete', 'page:*']),
      ]);
      expect(clear.code).toBe(2);
      expect(clear.stdout.trim()).toBe(
        `tagcache: clear removes every entry of namespace "${ns}": add --yes to confirm (required on a terminal)`,
      );
      expect(del.code).toBe(2);
      expect(del.stdout.trim()).toBe(
        'tagcache: delete page:* removes every matching key: add --yes to confirm (required on a terminal)',
      );
      expect(await cache.get('page:1')).toBe(1);

      const yes = await cli.runOnTerminal([...args, 'delete', 'page:1', '--yes']);
      expect(yes.stdout.trim()).toBe(`deleted 1 entry from namespace "${ns}"`);
      const piped = await cli.run([...args, 'delete', 'page:*']);
      expect(piped).toMatchObject({ code: 0, stdout: `deleted 1 entry from namespace "${ns}"\n` });
      expect(await cache.get('page:2')).toBeUndefined();
    } finally {
      await cache.close();
    }
  });
});

describe('tagcache on a file:// store', () => {
  it('lists, reads, inspects, invalidates and clears', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagcache-cli-'));
    const url = pathToFileURL(dir).href;
    const tc = (...a: string[]) => cli.run(['--url', url, ...a]);
    try {
      const cache = createCache({ store: fileStore({ dir }), logger: false });
      await cache.set('user:1', { name: 'Ada' }, { tags: ['user:1'] });
      await cache.set('user:2', { name: 'Grace' }, { tags: ['user:2'] });
      await cache.close();
      const [ping, info, stats, keys, get, inspect] = await Promise.all([
        tc('ping'),
        tc('info', '--json'),
        tc('stats'),
        tc('keys'),
        tc('get', 'user:1'),
        tc('inspect', 'user:1', '--json'),
      ]);
      expect(ping.stdout).toMatch(/^PONG \d+\.\dms \(file at file:\/\//);
      expect(json(info.stdout)).toMatchObject({
        store: 'file',
        namespaces: [{ namespace: 'tc', entries: 2 }],
      });
      expect(stats.stdout).toMatch(/^entries {4}2$/m);
      expect(keys.stdout).toMatch(
        /^user:1 {2}fresh +4m \d+s {2}user:1\nuser:2 {2}fresh +4m \d+s {2}user:2\n2 key\(s\)\n$/m,
      );
      expect(get.stdout).toBe("{ name: 'Ada' }\n");
      expect(json(inspect.stdout)).toMatchObject({
        served: true,
        state: 'fresh',
        value: { name: 'Ada' },
        tags: [{ tag: 'user:1' }],
      });

      expect((await tc('invalidate', 'user:1')).code).toBe(0);
      expect(json((await tc('inspect', 'user:1', '--json')).stdout)).toMatchObject({
        found: false,
        state: 'absent',
      });
      expect((await tc('clear')).stdout).toMatch(/^cleared namespace "tc" \(file at file:/);
      const reopened = createCache({ store: fileStore({ dir }), logger: false });
      expect(await reopened.get('user:2')).toBeUndefined();
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const json = <T = Record<string, unknown>>(stdout: string): T => JSON.parse(stdout) as T;
