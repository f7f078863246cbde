import { createClient } from 'redis';
import { injectedClient } from '../../lib/stores/redis/connectors.js';
import { createLayout } from '../../lib/stores/redis/layout.js';
import { clientLink } from '../../lib/stores/redis/link.js';
import { createReader } from '../../lib/stores/redis/reader.js';
import { luaScript } from '../../lib/stores/redis/scriptRunner.js';
import { GET_LUA } from '../../lib/stores/redis/scripts.js';
import type { RedisStore } from '../../lib/stores/redis/scriptedStore.js';
import { makeEntry } from '../../lib/testing/contractKit.js';
import { commandOf, monitorNode, type Monitor } from '../setup/monitor.js';
import { testRedisStore, testRedisUrl, uniqueNamespace } from '../setup/testStores.js';

// A reader remembering at most BOUND keys' tag lists, read over a steady working set of KEYS > BOUND
// keys in a seeded random order: with an LRU about BOUND/KEYS of the reads stay on the MGET path
// (emptying the memo when full, as before, kept about half of them).
const BOUND = 50;
const KEYS = 60;
const READS = 2000;

/** A seeded generator (mulberry32), so the access order is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let mon: Monitor;
let store: RedisStore;
const client = createClient({ url: testRedisUrl() });
beforeAll(async () => {
  mon = await monitorNode(testRedisUrl());
  await client.connect();
  store = testRedisStore({ groups: 1 });
});
afterAll(async () => {
  await mon.stop();
  await client.close();
  await store.close();
});

it('a working set larger than the memo still reads mostly through MGET (LRU, not emptied)', async () => {
  const ns = uniqueNamespace('known');
  const keys = Array.from({ length: KEYS }, (_, i) => `k${i}`);
  for (const k of keys) await store.set(ns, k, makeEntry(['a', 'b', 'c']));
  const prefixOf = createLayout('tc', 1).forNamespace(ns).prefixOf;
  const reader = createReader(clientLink(injectedClient(client)), luaScript('get', GET_LUA), BOUND);
  const next = seeded(7);
  await mon.sync();
  mon.reset();
  let hits = 0;
  for (let i = 0; i < READS; i++) {
    const key = keys[Math.floor(next() * KEYS)]!;
    const p = prefixOf(key);
    if ((await reader.read(p, p + 'k:' + key)).hit) hits += 1;
  }
  await mon.sync();
  const sent = mon.sent(`{${ns}|`).map(commandOf);
  const mget = sent.filter((c) => c === 'MGET').length;
  const scripted = sent.filter((c) => c === 'EVALSHA').length; // (an EVAL follows a NOSCRIPT)
  expect(hits).toBe(READS);
  expect(mget + scripted).toBe(READS);
  expect(mget / READS).toBeGreaterThan(0.75);
});
