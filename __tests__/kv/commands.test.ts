/**
 * What the key-value API costs on Redis, counted with MONITOR (commands) and socket writes
 * (pipelined batches).
 */
import { createCache, withCache, type Cache } from '../../lib/index.js';
import { commandOf, monitorNode, type Monitor } from '../setup/monitor.js';
import { batchesDuring } from '../setup/socketWrites.js';
import {
  testClusterNodes,
  testClusterStore,
  testRedisStore,
  testRedisUrl,
  uniqueNamespace,
} from '../setup/testStores.js';

const hundred = Array.from({ length: 100 }, (_, i) => ({
  key: `item:${i}`,
  value: { i },
  tags: [`t:${i % 7}`],
}));

async function sentDuring(
  monitors: Monitor[],
  needle: string,
  fn: () => Promise<unknown>,
): Promise<string[][]> {
  await Promise.all(monitors.map((m) => m.sync()));
  monitors.forEach((m) => m.reset());
  await fn();
  await Promise.all(monitors.map((m) => m.sync()));
  return monitors.map((m) => m.sent(needle));
}

describe.each([1, 8])('key-value commands on a single Redis, %i group(s) (MONITOR)', (groups) => {
  let mon: Monitor;
  let cache: Cache;
  let ns: string;
  const count = async (fn: () => Promise<unknown>): Promise<string[]> =>
    (await sentDuring([mon], ns, fn))[0]!.map(commandOf);
  beforeAll(async () => {
    mon = await monitorNode(testRedisUrl());
  });
  afterAll(() => mon.stop());
  beforeEach(async () => {
    ns = uniqueNamespace('kvcmd');
    cache = createCache({ store: testRedisStore({ groups }), namespace: ns, logger: false, timeout: '10s' });
    await cache.setMany(hundred.slice(0, 1)); // connection up, scripts loaded
    await cache.getMany(['item:0']);
  });
  afterEach(() => cache.close());

  it('setMany of 100 is at most 2 commands, getMany of 100 is 1', async () => {
    const sets = await count(() => cache.setMany(hundred));
    expect(sets.length).toBeLessThanOrEqual(2);
    expect(sets.every((c) => c === 'EVALSHA' || c === 'EVAL')).toBe(true);
    let values: unknown[] = [];
    expect(await count(async () => (values = await cache.getMany(hundred.map((x) => x.key))))).toEqual([
      'EVALSHA',
    ]);
    expect(values).toEqual(hundred.map((x) => x.value));
  });

  it('a get hit and a getOrSet hit are one round trip', async () => {
    await cache.set('k', 1, { tags: ['a', 'b'] });
    await cache.get('k');
    expect(await count(() => cache.get('k'))).toHaveLength(1);
    await cache.getOrSet('g', async () => 1);
    expect(await count(() => cache.getOrSet('g', async () => 2))).toHaveLength(1);
  });

  it('keys and deletePattern use SCAN with a bounded COUNT, never KEYS', async () => {
    await cache.setMany(hundred);
    const lines = (await sentDuring([mon], ns, () => cache.deletePattern('item:*')))[0]!;
    const commands = lines.map(commandOf);
    expect(commands).not.toContain('KEYS');
    expect(commands).toContain('SCAN');
    for (const l of lines.filter((x) => commandOf(x) === 'SCAN')) expect(l).toMatch(/"COUNT" "500"/);
    expect(await cache.getMany(['item:1', 'item:99'])).toEqual([undefined, undefined]);
  });

  it('invalidateAll of a function with 300 entries costs one command per group', async () => {
    const f = withCache(
      async function many(i: number) {
        return i;
      },
      { cache },
    );
    await Promise.all(Array.from({ length: 300 }, (_, i) => f(i)));
    await cache.invalidateTags(['unrelated']); // the script is loaded
    expect(await count(() => f.invalidateAll())).toEqual(Array.from({ length: groups }, () => 'EVALSHA'));
    expect(await f.peek(5)).toBeUndefined();
  });
});

describe('key-value commands on the cluster (MONITOR per master, socket writes)', () => {
  let monitors: Monitor[];
  let ports: number[];
  let cache: Cache;
  let ns: string;
  beforeAll(async () => {
    const hosts = testClusterNodes();
    ports = hosts.map((h) => Number(h.split(':')[1]));
    monitors = await Promise.all(hosts.map((h) => monitorNode(`redis://${h}`)));
  });
  afterAll(() => Promise.all(monitors.map((m) => m.stop())));
  beforeEach(async () => {
    ns = uniqueNamespace('kvcl');
    cache = createCache({ store: testClusterStore(), namespace: ns, logger: false, timeout: '10s' });
    await cache.setMany(hundred);
    await cache.getMany(hundred.map((x) => x.key));
  });
  afterEach(() => cache.close());

  it('getMany and setMany of 100 send at most one pipelined batch to each master', async () => {
    for (const op of [() => cache.getMany(hundred.map((x) => x.key)), () => cache.setMany(hundred)]) {
      let batches = new Map<number, number>();
      const sent = await sentDuring(monitors, ns, async () => {
        batches = await batchesDuring(op);
      });
      sent.forEach((lines) => expect(lines.every((l) => commandOf(l) === 'EVALSHA')).toBe(true));
      expect(sent.flat().length).toBeGreaterThan(1); // the groups are spread over the masters
      for (const port of ports) expect(batches.get(port) ?? 0).toBeLessThanOrEqual(1);
    }
    expect(await cache.getMany(['item:3', 'item:4'])).toEqual([{ i: 3 }, { i: 4 }]);
  });

  it('keys visits every master with SCAN and COUNT', async () => {
    const seen: string[] = [];
    const sent = await sentDuring(monitors, ns, async () => {
      for await (const k of cache.keys('item:*')) seen.push(k);
    });
    expect(seen.sort()).toEqual(hundred.map((x) => x.key).sort());
    sent.forEach((lines) => {
      expect(lines.map(commandOf)).toContain('SCAN');
      expect(lines.map(commandOf)).not.toContain('KEYS');
    });
  });
});
