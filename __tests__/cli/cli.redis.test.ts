/**
 * The built `tagcache` bin, as a child process, against the suite's real Redis and Cluster:
 * every command, with the library (in this process) on the other side of the same data.
 */
import { createCache, entity, withCache, type Cache } from '../../lib/index.js';
import { deferred } from '../helpers/deferred.js';
import {
  testClusterNodes,
  testClusterStore,
  testRedisStore,
  testRedisUrl,
  uniqueNamespace,
} from '../setup/testStores.js';
import { buildCli, type BuiltCli } from './builtCli.js';

let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
});
afterAll(() => cli.dispose());

const targets = [
  { name: 'Redis', kind: 'redis', url: () => testRedisUrl(), store: () => testRedisStore(), groups: 1 },
  {
    name: 'Cluster',
    kind: 'redis-cluster',
    url: () => `redis-cluster://${testClusterNodes().join(',')}`,
    store: () => testClusterStore(),
    groups: 64,
  },
];

function fixture(cache: Cache) {
  let calls = 0;
  const getUser = withCache(
    async function getUser(id: number) {
      calls += 1;
      return { id, name: `user ${id}`, joined: new Date(Date.UTC(2024, 0, id)) };
    },
    { cache, entities: entity('user') },
  );
  const getTeam = withCache(
    async function getTeam(id: number) {
      calls += 1;
      return { id, members: [await getUser(1), await getUser(2)] };
    },
    { cache, tags: (id) => [`team:${id}`] },
  );
  return { getUser, getTeam, calls: () => calls };
}

const json = <T = Record<string, unknown>>(stdout: string): T => JSON.parse(stdout) as T;

describe.each(targets)('tagcache on $name', (target) => {
  let cache: Cache;
  let ns: string;
  let tc: (...args: string[]) => ReturnType<BuiltCli['run']>;
  beforeEach(() => {
    ns = uniqueNamespace('cli');
    cache = createCache({ store: target.store(), namespace: ns, logger: false, timeout: 5000 });
    tc = (...args) =>
      cli.run(['--namespace', ns, '--timeout', '20s', ...args], { TAGCACHE_URL: target.url() });
  });
  afterEach(() => cache.close());

  it('ping, info, stats, keys, get and inspect show what the library wrote', async () => {
    const { getTeam, calls } = fixture(cache);
    await getTeam(7);
    await cache.set('page:1', 'home', { tags: ['pages'], ttl: '1h' });
    const [ping, info, keys, get, inspect] = await Promise.all([
      tc('ping', '--json'),
      tc('info', '--json'),
      tc('keys', '--json'),
      tc('get', getTeam.keyOf(7), '--json'),
      tc('inspect', getTeam.keyOf(7), '--json'),
    ]);
    expect(json(ping.stdout)).toMatchObject({ ok: true, store: target.kind, ms: expect.any(Number) });
    const i = json<{ server: Record<string, string>; namespaces: { namespace: string; entries: number }[] }>(
      info.stdout,
    );
    expect(i.server['redis_version']).toMatch(/^\d+\./);
    expect(i.server['masters']).toBe(String(target.groups === 1 ? 1 : 3));
    expect(i.namespaces.find((n) => n.namespace === ns)?.entries).toBe(4);
    const listed = json<{ keys: { key: string; state: string; ttl: number; tags: string[] }[] }>(
      keys.stdout,
    ).keys;
    expect(listed.map((k) => k.key)).toEqual(['getTeam:7', 'getUser:1', 'getUser:2', 'page:1']);
    expect(listed[3]).toMatchObject({ state: 'fresh', tags: ['pages'] });
    expect(listed[3]?.ttl).toBeGreaterThan(3_500_000);
    expect(json(get.stdout)).toMatchObject({
      value: { id: 7, members: [{ joined: '2024-01-01T00:00:00.000Z' }, {}] },
    });
    const fresh = json<{ served: boolean; tags: { tag: string }[] }>(inspect.stdout);
    expect(fresh).toMatchObject({ served: true, state: 'fresh', value: { id: 7 } });
    expect(fresh.tags.map((t) => t.tag)).toEqual(expect.arrayContaining(['team:7', 'user:1', 'user:2']));

    // invalidate-entity, then: inspect names the tag, stats counts the markers.
    expect((await tc('invalidate-entity', 'user', '2')).stdout).toBe(
      `invalidated entity user:2 in namespace "${ns}"\n`,
    );
    const [inspected, stats] = await Promise.all([tc('inspect', getTeam.keyOf(7)), tc('stats', '--json')]);
    expect(inspected.stdout).toMatch(/^served +no: invalidated by tag "user:2" \(marker epoch \d+\)$/m);
    expect(inspected.stdout).toMatch(/^tags +.*user:2 \[marker \d+:\] INVALIDATED/m);
    expect(inspected.stdout).toMatch(/^epoch +written at \d+, group \d+ now at \d+/m);
    const groups = json<{ groups: { entries: number; tagMarkers: number; epoch: number }[] }>(
      stats.stdout,
    ).groups;
    expect(groups).toHaveLength(target.groups);
    expect(groups.reduce((n, g) => n + g.entries, 0)).toBe(4);
    // Every written tag has a marker (eviction-safe clocks); user:2's invalidation marks every group.
    expect(groups.reduce((n, g) => n + g.tagMarkers, 0)).toBeGreaterThanOrEqual(target.groups);
    expect(groups.every((g) => g.epoch >= 1)).toBe(true);
    const n = calls();
    await getTeam(7); // the library agrees: it recomputes
    expect(calls()).toBeGreaterThan(n);
  });

  it('invalidate, delete and clear act through the library, race-free', async () => {
    const { getUser, calls } = fixture(cache);
    // A computation that started before the CLI's invalidation must not be cached after it.
    const gate = deferred<void>();
    const started = deferred<void>();
    const slow = withCache(
      async function slow(id: number) {
        started.resolve(); // the miss has read the epoch
        await gate.promise;
        return `v${id}`;
      },
      { cache, tags: ['slow'] },
    );
    const running = slow(1);
    await started.promise;
    expect((await tc('invalidate', 'slow', 'other')).stdout).toBe(
      `invalidated 2 tag(s) in namespace "${ns}": slow, other\n`,
    );
    gate.resolve();
    await running;
    expect(await slow.peek(1)).toBeUndefined();

    await getUser(1);
    await getUser(2);
    await cache.set('page:1', 1);
    await cache.set('page:2', 2);
    const del = await tc('delete', getUser.keyOf(1), 'page:*', '--json');
    expect(json(del.stdout)).toEqual({
      namespace: ns,
      deleted: 3,
      keys: [getUser.keyOf(1)],
      patterns: ['page:*'],
    });
    expect(await cache.get('page:2')).toBeUndefined();
    const before = calls();
    await getUser(1);
    expect(calls()).toBe(before + 1);

    expect((await tc('clear')).stdout).toMatch(new RegExp(`^cleared namespace "${ns}"`));
    expect(await getUser.peek(2)).toBeUndefined();
    expect(json<{ keys: unknown[] }>((await tc('keys', '--json')).stdout).keys).toEqual([]);
  });
});

describe('tagcache on Redis: tables, versions and entry states', () => {
  it('prints aligned tables, selects --version, and tells expired, stale and deleted entries apart', async () => {
    const ns = uniqueNamespace('cli');
    const cache = createCache({ store: testRedisStore(), namespace: ns, logger: false, timeout: 5000 });
    const tc = (...args: string[]) =>
      cli.run(['--namespace', ns, '--timeout', '20s', ...args], { TAGCACHE_URL: testRedisUrl() });
    try {
      await cache.set('page:1', 'home', { tags: ['pages'], ttl: '1h' });
      await cache.set('page:2', { at: new Date(Date.UTC(2024, 0, 1)), n: 2n }, { tags: ['pages', 'p2'] });
      await cache.set('gone', 1, { tags: ['t'] });
      await cache.set('stale', 1, { tags: ['soft'] });
      const v2 = createCache({
        store: testRedisStore(),
        namespace: ns,
        version: 2,
        logger: false,
        timeout: 5000,
      });
      await v2.set('page:1', 'v2 home');
      await v2.close();
      const entry = {
        payload: cache.serializer.serialize('v'),
        tags: [],
        createdAt: Date.now(),
        ttl: 1,
        grace: 600_000,
        error: false,
      };
      await cache.store.set(ns, `${cache.version}:old`, entry);
      await cache.delete('gone');
      await cache.invalidateTags(['soft'], { mode: 'stale' });
      const [ping, info, keys, limited, get, getV2, getOld, old, stale, gone, stats] = await Promise.all([
        tc('ping'),
        tc('info'),
        tc('keys', 'page:*'),
        tc('keys', '--limit', '1'),
        tc('get', 'page:2'),
        tc('--version', '2', 'get', 'page:1'),
        tc('get', 'old'),
        tc('inspect', 'old', '--json'),
        tc('inspect', 'stale', '--json'),
        tc('inspect', 'gone'),
        tc('stats'),
      ]);
      expect(ping).toMatchObject({ code: 0, stderr: '' });
      expect(ping.stdout).toMatch(/^PONG \d+\.\dms \(redis at redis:\/\/127\.0\.0\.1:\d+\)\n$/);
      expect(info.stdout).toMatch(
        /^store {3}redis at redis:\/\/127\.0\.0\.1:\d+\nserver {2}Redis \d+\.\d+\.\d+, 1 master\(s\)\nmemory {2}\d+\.\d [KMG]B used/,
      );
      expect(info.stdout).toMatch(new RegExp(`^${ns} +5$`, 'm'));
      const lines = keys.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('KEY     STATE      TTL  TAGS');
      expect(lines[1]).toMatch(/^page:1 {2}fresh +(59m \d+s|1h 0m) {2}pages$/);
      expect(lines[2]).toMatch(/^page:2 {2}fresh +4m \d+s {2}pages, p2$/);
      expect(lines[3]).toBe('2 key(s)');
      expect(limited.stdout).toMatch(/\n1 key\(s\) shown, more match \(raise --limit 1\)\n$/);
      expect(get.stdout).toBe('{ at: 2024-01-01T00:00:00.000Z, n: 2n }\n');
      expect(getV2.stdout).toBe("'v2 home'\n");
      expect(oneLine(getOld)).toBe('tagcache: no fresh entry for "old" (tagcache inspect "old" tells why)');
      const o = json<{ reason: string; keptFor: number }>(old.stdout);
      expect(o).toMatchObject({ served: false, state: 'expired' });
      expect(o.reason).toMatch(/^expired \d+ ms ago \(kept \d+ ms more for stale serving\)$/);
      expect(o.keptFor).toBeGreaterThan(500_000);
      expect(json(stale.stdout)).toMatchObject({
        served: false,
        state: 'stale',
        reason: expect.stringContaining('marked stale by tag "soft"'),
      });
      expect(gone.stdout).toMatch(
        /^key {5}gone \(store key 1:gone\)\nserved {2}no: absent: deleted at epoch \d+\n/,
      );
      expect(stats.stdout.split('\n')[2]).toMatch(
        /^GROUP +SLOT +EPOCH +ENTRIES +TAG MARKERS +DELETE MARKERS +LOCKS +CLOCKS +OTHER$/,
      );
      expect(stats.stdout.split('\n')[3]).toMatch(/^0 +\d+ +\d+ +5 +\d+ +1 +0 +2 +0$/); // epochs carry a generation; every written tag has a marker
    } finally {
      await cache.close();
    }
  });
});

function oneLine(r: { code: number; stderr: string }): string {
  expect(r.code).not.toBe(0);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  return r.stderr.trimEnd();
}
