import { createCache, withCache, type CacheEvent } from '../../lib/index.js';
import { redisStore } from '../../lib/stores/redisStore.js';
import { parseEntry } from '../../lib/stores/redis/replies.js';
import { makeEntry } from '../../lib/testing/contractKit.js';
import { REDIS_URL_ENV } from '../setup/redisServers.js';
import { suiteAdmin, type Admin } from '../setup/suiteAdmin.js';
import { uniqueNamespace } from '../setup/testStores.js';

const url = process.env[REDIS_URL_ENV] as string;
const adminOf = suiteAdmin();
let admin: Admin;
beforeAll(() => void (admin = adminOf()));

/**
 * Format 2 headers after the entry's own `~<epoch>` (so only the defect makes them garbage; the
 * control `WELL_FORMED` is a hit): a broken escape, an escaped surrogate pair, a number too long
 * or not finite, tags not led by a comma, a doubled flag.
 */
const WELL_FORMED = `Tvcokgi:'9999999999999',t\n"v"`;
const BROKEN_HEADERS: Record<string, string> = {
  'a bad escape in a tag': `Tvcokgi:'9999999999999',t%zz\n"v"`,
  'an escaped surrogate pair': `Tvcokgi:'9999999999999',t%uD83D%uDE00\n"v"`,
  'a 10-digit number': `Tvcokgi0000:'9999999999999',t\n"v"`,
  'a number that is not finite': `Tvcokgi:'1e400',t\n"v"`,
  'tags not led by a comma': `Tvcokgi:'9999999999999';t\n"v"`,
  'a doubled flag': `Tvcokgi:'9999999999999'!!,t\n"v"`,
};
/** Writes `~<epoch of the entry at the key>` + `rest` over it. */
const withOwnEpoch =
  (rest: string) =>
  async (a: Admin, k: string): Promise<unknown> =>
    a.set(k, ((await a.get(k)) ?? '').slice(0, 10) + rest);

/** Each kind of undecodable entry of issue 10, item 3, written over the entry at `key`. */
const GARBAGE: Record<string, (admin: Admin, key: string) => Promise<unknown>> = {
  'no header': (a, k) => a.set(k, '"just a payload"'),
  'truncated header': (a, k) => a.set(k, '4294967296|1700000000000|0|0'),
  'header without newline': (a, k) => a.set(k, '4294967296|1700000000000|0|0|1700000060000|["t"]'),
  'tags that are not JSON': (a, k) => a.set(k, '4294967296|1700000000000|0|0|9999999999999|[t, u\n"v"'),
  'tags that are JSON but not strings': (a, k) =>
    a.set(k, '4294967296|1700000000000|0|0|9999999999999|[1,{"a":2}]\n"v"'),
  'an entry of format 1 at the current epoch': async (a, k) => {
    const at = parseEntry(await a.get(k))?.at ?? 0;
    return a.set(k, `${at}|1700000000000|0|0|9999999999999|["t"]\n"v"`);
  },
  ...Object.fromEntries(
    Object.entries(BROKEN_HEADERS).map(([kind, rest]) => [`format 2: ${kind}`, withOwnEpoch(rest)]),
  ),
  'a hash at the key': async (a, k) => {
    await a.del(k);
    await a.hSet(k, { f: 'v' });
  },
};

describe('redisStore: garbage in an entry is a miss, removed, never a store failure', () => {
  for (const [kind, plant] of Object.entries(GARBAGE)) {
    it(`${kind}: a miss for the writer (MGET path) and a fresh store (GET script), then removed`, async () => {
      const ns = uniqueNamespace('garbage');
      const key = `tc:{${ns}|0}:k:k`;
      const writer = redisStore({ url });
      const fresh = redisStore({ url });
      await writer.set(ns, 'k', makeEntry(['t']));
      await writer.invalidate(ns, ['other'], 'drop'); // the epoch moved: markers would be read
      await plant(admin, key);
      expect((await writer.get(ns, 'k')).hit).toBe(false);
      expect((await fresh.get(ns, 'k')).hit).toBe(false);
      expect(await admin.exists(key)).toBe(0);
      const epoch = await fresh.get(ns, 'k').then((r) => r.epoch);
      expect(await fresh.set(ns, 'k', makeEntry(['t']), epoch)).toBe(true);
      expect((await writer.get(ns, 'k')).hit).toBe(true);
      await Promise.all([writer.close(), fresh.close()]);
    });
  }

  it('the control of the format 2 cases: the same header well formed is a hit for both paths', async () => {
    const ns = uniqueNamespace('garbage-control');
    const key = `tc:{${ns}|0}:k:k`;
    const writer = redisStore({ url });
    const fresh = redisStore({ url });
    await writer.set(ns, 'k', makeEntry(['t']));
    await writer.invalidate(ns, ['other'], 'drop');
    await withOwnEpoch(WELL_FORMED)(admin, key);
    const r = await fresh.get(ns, 'k');
    expect(r.hit && [r.payload, r.tags, r.createdAt]).toEqual(['"v"', ['t'], 1_700_000_000_000]);
    expect((await writer.get(ns, 'k')).hit).toBe(true);
    await Promise.all([writer.close(), fresh.close()]);
  });

  it('a cache reading garbage recomputes, emits no store-error and keeps its circuit closed', async () => {
    const ns = uniqueNamespace('garbage-cache');
    const events: CacheEvent[] = [];
    const store = redisStore({ url });
    const cache = createCache({ store, namespace: ns, logger: false, onEvent: (e) => events.push(e) });
    let runs = 0;
    const get = withCache(async (id: number) => ({ id, run: ++runs }), { cache, name: 'get', tags: ['t'] });
    await get(1);
    const key = `tc:{${ns}|0}:k:1:${get.keyOf(1)}`; // keyOf is relative to the version (1)
    for (const plant of [...Object.values(GARBAGE), ...Object.values(GARBAGE)]) {
      await plant(admin, key);
      const before = runs;
      await get(1);
      expect(runs).toBe(before + 1);
    }
    expect(events.filter((e) => e.type === 'store-error')).toEqual([]);
    expect(events.filter((e) => e.type === 'circuit')).toEqual([]);
    expect(cache.circuit()).toBe('closed');
    await store.close();
  });

  it('garbage in the group clock or a marker is unknown: a miss, never a stale hit', async () => {
    const ns = uniqueNamespace('garbage-clock');
    const store = redisStore({ url });
    await store.set(ns, 'k', makeEntry(['t']));
    await store.invalidate(ns, ['other'], 'drop');
    await admin.set(`tc:{${ns}|0}:t:t`, 'not a marker');
    expect((await store.get(ns, 'k')).hit).toBe(false);
    await store.set(ns, 'k', makeEntry(['t']));
    await admin.set(`tc:{${ns}|0}:e`, 'not an epoch');
    expect((await store.get(ns, 'k')).hit).toBe(false);
    const r = await store.get(ns, 'k2');
    expect(await store.set(ns, 'k2', makeEntry(['t']), r.epoch)).toBe(true);
    expect((await store.get(ns, 'k2')).hit).toBe(true);
    await store.close();
  });
});

describe('redisStore: tags with lone surrogates', () => {
  it('work across two store instances (the GET script decodes them; invalidation reaches them)', async () => {
    const ns = uniqueNamespace('surrogate');
    const tags = ['user:\ud800', 'x\udfffy', 'pair:\ud83d\ude00', 'back\\\\ud800slash'];
    const a = redisStore({ url });
    const b = redisStore({ url });
    await a.set(ns, 'k', makeEntry(tags));
    await a.invalidate(ns, ['unrelated'], 'drop'); // the epoch moved: b's script must read the markers
    const hit = await b.get(ns, 'k');
    expect(hit.hit && hit.tags).toEqual(tags);
    expect((await b.get(ns, 'k')).hit).toBe(true); // b now knows the tags: the MGET path
    await b.invalidate(ns, ['user:\ud800'], 'drop');
    expect((await a.get(ns, 'k')).hit).toBe(false);
    await a.set(ns, 'k2', makeEntry(tags));
    await a.invalidate(ns, ['x\udfffy'], 'stale');
    const fresh = redisStore({ url });
    const r = await fresh.get(ns, 'k2');
    expect(r.hit && r.state).toBe('invalidated');
    await Promise.all([a.close(), b.close(), fresh.close()]);
  });
});
