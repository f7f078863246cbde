import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidOptionsError } from '../../lib/errors.js';
import { storeFromUrl } from '../../lib/stores/storeFromUrl.js';
import type { Store, WriteEntry } from '../../lib/stores/Store.js';
import { testClusterNodes, testRedisUrl, uniqueNamespace } from '../setup/testStores.js';

const entry: WriteEntry<string> = {
  payload: '"v"',
  tags: ['t'],
  createdAt: Date.now(),
  ttl: 60_000,
  grace: 0,
  error: false,
};

/** Writes, reads back and closes. */
async function roundTrip(store: Store): Promise<boolean> {
  const ns = uniqueNamespace('url');
  try {
    await store.set(ns, 'k', entry);
    return (await store.get(ns, 'k')).hit;
  } finally {
    await store.close();
  }
}

describe('storeFromUrl', () => {
  it('memory:// is the in-process store (with optional bounds)', async () => {
    const store = storeFromUrl('memory://');
    expect(store.kind).toBe('memory');
    expect(await roundTrip(store)).toBe(true);
    expect(storeFromUrl('memory://?maxEntries=10&maxBytes=1000').kind).toBe('memory');
  });

  it('null:// caches nothing', async () => {
    const store = storeFromUrl('null://');
    expect(store.kind).toBe('null');
    expect(await roundTrip(store)).toBe(false);
  });

  it('file:///dir is the file store in that directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagcache-url-'));
    try {
      const store = storeFromUrl(pathToFileURL(dir).href);
      expect(store.kind).toBe('file');
      expect(await roundTrip(store)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('redis:// is a Redis store; ?groups and ?prefix are tagcache options', async () => {
    const store = storeFromUrl(testRedisUrl());
    expect(store.kind).toBe('redis');
    expect(store.holdsValues).toBe(false);
    expect(await roundTrip(store)).toBe(true);
    expect(await roundTrip(storeFromUrl(`${testRedisUrl()}/0?groups=4&prefix=myapp`))).toBe(true);
  });

  it('redis-cluster://h:p,h:p is a Redis Cluster store', async () => {
    const store = storeFromUrl(`redis-cluster://${testClusterNodes().join(',')}`);
    expect(store.kind).toBe('redis-cluster');
    expect(await roundTrip(store)).toBe(true);
    expect(await roundTrip(storeFromUrl(`redis-cluster://${testClusterNodes()[0]}?groups=32`))).toBe(true);
  });

  it('creating a Redis store connects nothing until the first operation', async () => {
    const store = storeFromUrl('redis://127.0.0.1:1');
    expect(store.kind).toBe('redis');
    await store.close();
  });

  it.each([
    ['', /no scheme/],
    ['localhost:6379', /no scheme/],
    ['http://localhost', /unknown scheme "http"/],
    ['memory://?maxEntries=0', /maxEntries/],
    ['redis://localhost?foo=1', /unknown parameter "foo"/],
    ['redis://localhost?markerMargin=soon', /markerMargin/],
    ['redis://localhost?closeTimeout=-5', /closeTimeout/],
    ['redis://localhost?prefix=a{b', /prefix/],
    ['redis-cluster://a:1?grups=2', /unknown parameter "grups"/],
    ['redis://localhost?groups=x', /groups/],
    ['redis-cluster://', /host:port/],
    ['redis-cluster://a:1,b', /host:port/],
  ])('rejects %j with an InvalidOptionsError', (url, message) => {
    expect(() => storeFromUrl(url)).toThrow(InvalidOptionsError);
    expect(() => storeFromUrl(url)).toThrow(message);
  });

  it('names the bad parameter as the option', () => {
    for (const [url, option] of [
      ['redis://localhost?foo=1', 'foo'],
      ['redis://localhost?groups=0', 'groups'],
      ['redis://localhost?markerMargin=soon', 'markerMargin'],
    ] as const) {
      expect(() => storeFromUrl(url)).toThrow(expect.objectContaining({ option }));
    }
  });

  it('takes markerMargin and closeTimeout parameters; a Redis store from a URL owns its client', async () => {
    const store = storeFromUrl(`${testRedisUrl()}?markerMargin=5m&closeTimeout=500`);
    expect(store.ownsClient).toBe(true);
    expect(await roundTrip(store)).toBe(true);
    expect(storeFromUrl('memory://').ownsClient).toBeUndefined();
  });

  it('does not leak passwords into error messages', () => {
    expect(() => storeFromUrl('redis://user:hunter2@localhost?bad=1')).toThrow(/user:\*\*\*@/);
    expect(() => storeFromUrl('redis://user:hunter2@localhost?bad=1')).not.toThrow(/hunter2/);
  });
});
