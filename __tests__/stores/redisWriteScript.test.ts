import { redisStore } from '../../lib/stores/redisStore.js';
import { BASICS } from '../../lib/stores/redis/luaParts.js';
import type { RedisStore } from '../../lib/stores/redis/scriptedStore.js';
import { makeEntry } from '../../lib/testing/contractKit.js';
import { ownServer } from '../setup/suiteAdmin.js';
import { uniqueNamespace } from '../setup/testStores.js';

/** The write script's cost and its marker lives, on a server of its own (MONITOR sees only this file). */
const own = ownServer();

const infoField = (info: string, name: string): string | undefined =>
  new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];

describe('the write script', () => {
  it("reads the replication id and the eviction count as INFO reports them (the failover and eviction checks' inputs)", async () => {
    const lua = `${BASICS}\nreturn {replid(), evictions()}`;
    const [rid, ev] = (await own.admin.sendCommand(['EVAL', lua, '0'])) as [string, string];
    expect(rid).toBe(infoField(await own.admin.info('replication'), 'master_replid'));
    expect(rid).toMatch(/^[0-9a-f]{40}$/);
    expect(ev).toBe(infoField(await own.admin.info('stats'), 'evicted_keys'));
  });

  it('runs MGET, HMGET, INFO replication, SET and one PTTL per tag inside Redis for a write that straddled nothing', async () => {
    const ns = uniqueNamespace('cost');
    const store = redisStore({ url: own.server.url });
    const tags = ['a', 'b', 'c'];
    await store.set(ns, 'warm', makeEntry(tags)); // makes the clock, the control hash and the markers
    const miss = await store.get(ns, 'k');
    const monitor = own.admin.duplicate();
    await monitor.connect();
    const seen: string[] = [];
    await monitor.monitor((line: string) => {
      const m = /\[\d+ lua\] "([^"]+)"/.exec(line);
      if (m !== null) seen.push(m[1]!.toUpperCase());
    });
    expect(await store.set(ns, 'k', makeEntry(tags), miss.epoch)).toBe(true);
    await own.admin.echo('end'); // MONITOR lines arrive in order: once this is answered, the script's lines were sent
    await new Promise((r) => setTimeout(r, 50));
    monitor.destroy();
    expect(seen).toEqual(['MGET', 'HMGET', 'INFO', 'SET', 'PTTL', 'PTTL', 'PTTL']);
    await store.close();
  });
});

describe('tag markers written by the write script', () => {
  const margin = 2000;
  const ttl = 1000;
  const longest = ttl + margin; // the marker life a write gives: longest entry life + margin
  let store: RedisStore;
  let ns: string;
  const markerKey = (tag: string) => `tc:{${ns}|0}:t:${tag}`;
  const entryKey = (key: string) => `tc:{${ns}|0}:k:${key}`;
  beforeEach(() => {
    ns = uniqueNamespace('markers');
    store = redisStore({ url: own.server.url }, { markerMargin: margin });
  });
  afterEach(() => store.close());

  it('are born with the longest entry life plus the margin', async () => {
    await store.set(ns, 'k1', makeEntry(['t'], { ttl }));
    const pttl = await own.admin.pTTL(markerKey('t'));
    expect(pttl).toBeGreaterThan(longest - 500);
    expect(pttl).toBeLessThanOrEqual(longest);
  });

  it('are left alone while they outlive the longest entry life by more than half the margin', async () => {
    await store.set(ns, 'k1', makeEntry(['t'], { ttl }));
    await own.admin.pExpire(markerKey('t'), longest - margin / 4);
    await store.set(ns, 'k2', makeEntry(['t'], { ttl }));
    expect(await own.admin.pTTL(markerKey('t'))).toBeLessThanOrEqual(longest - margin / 4);
    expect(await own.admin.pTTL(markerKey('t'))).toBeGreaterThan(await own.admin.pTTL(entryKey('k2')));
  });

  it('get their full life back once they would outlive the entry by less than half the margin', async () => {
    await store.set(ns, 'k1', makeEntry(['t'], { ttl }));
    await own.admin.pExpire(markerKey('t'), ttl + margin / 4);
    await store.set(ns, 'k2', makeEntry(['t'], { ttl }));
    expect(await own.admin.pTTL(markerKey('t'))).toBeGreaterThan(longest - 500);
  });

  it('get their full life back when a longer entry life is written', async () => {
    await store.set(ns, 'k1', makeEntry(['t'], { ttl }));
    await store.set(ns, 'k2', makeEntry(['t'], { ttl: 10 * ttl }));
    const pttl = await own.admin.pTTL(markerKey('t'));
    expect(pttl).toBeGreaterThan(10 * ttl + margin - 500);
    expect(pttl).toBeGreaterThan(await own.admin.pTTL(entryKey('k2')));
  });
});
