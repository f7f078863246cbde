/**
 * Copying in-process hits (memory store, the default): the payload is parsed once into a private
 * template and every hit is a structural copy of it. Hits stay independent copies, equal to what
 * a parse gives, and only serializers known to decode plain JSON take the shortcut.
 */
import { createCache, jsonSerializer, memoryStore, withCache, type Serializer } from '../../lib/index.js';
import { uniqueNamespace } from '../setup/testStores.js';

const nested = () => ({ id: 1, deep: { list: [{ n: 1 }, { n: 2 }], name: 'a' }, flags: [true, null] });

/** Wraps a serializer, counting its decodes. */
function counting(inner: Serializer): Serializer & { decodes: () => number } {
  let decodes = 0;
  return {
    name: inner.name ?? 'custom',
    serialize: (v) => inner.serialize(v),
    deserialize: (p) => {
      decodes += 1;
      return inner.deserialize(p);
    },
    decodes: () => decodes,
  };
}

describe('copying memory hits', () => {
  it('every hit is its own deep copy, before and after the template exists', async () => {
    const cache = createCache({ store: memoryStore(), namespace: uniqueNamespace('copy'), logger: false });
    const f = withCache(async (id: number) => ({ ...nested(), id }), { cache, name: 'nested' });
    const miss = await f(1);
    const hits = [];
    for (let i = 0; i < 4; i++) {
      const hit = await f(1);
      expect(hit).toEqual({ ...nested(), id: 1 });
      hits.push(hit);
      hit.deep.list.push({ n: 99 });
      (hit.deep.list[0] as { n: number }).n = -1;
      hit.flags.length = 0;
      hit.deep.name = 'changed';
    }
    expect(new Set([miss, ...hits]).size).toBe(5);
    expect(hits[1]?.deep).not.toBe(hits[2]?.deep);
    expect(await f(1)).toEqual({ ...nested(), id: 1 });
    expect(f.stats().hits).toBe(5);
  });

  it('the default serializer parses a plain JSON entry once; a devalue entry (Dates) each hit, keeping its types', async () => {
    const cache = createCache({ store: memoryStore(), namespace: uniqueNamespace('once'), logger: false });
    const plain = withCache(async () => nested(), { cache, name: 'plain' });
    const dated = withCache(async () => ({ at: new Date(0), seen: new Set(['a']) }), {
      cache,
      name: 'dated',
    });
    await plain();
    await dated();
    const parse = jest.spyOn(JSON, 'parse');
    try {
      for (let i = 0; i < 5; i++) expect(await plain()).toEqual(nested());
      expect(parse).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 3; i++) {
        const hit = await dated();
        expect(hit.at).toBeInstanceOf(Date);
        expect(hit.seen).toEqual(new Set(['a']));
      }
      expect(parse.mock.calls.length).toBeGreaterThanOrEqual(4);
    } finally {
      parse.mockRestore();
    }
  });

  it('jsonSerializer takes the shortcut; a custom serializer decodes every hit (its output may not be plain data)', async () => {
    const custom = counting(jsonSerializer);
    const cacheJson = createCache({
      store: memoryStore(),
      serializer: jsonSerializer,
      namespace: uniqueNamespace('j'),
      logger: false,
    });
    const cacheCustom = createCache({
      store: memoryStore(),
      serializer: custom,
      namespace: uniqueNamespace('c'),
      logger: false,
    });
    const a = withCache(async () => nested(), { cache: cacheJson, name: 'a' });
    const b = withCache(async () => nested(), { cache: cacheCustom, name: 'b' });
    await a();
    const parse = jest.spyOn(JSON, 'parse');
    try {
      for (let i = 0; i < 4; i++) expect(await a()).toEqual(nested());
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
    for (let i = 0; i < 4; i++) expect(await b()).toEqual(nested());
    expect(custom.decodes()).toBe(3);
  });

  it('a rewritten entry gets a new template (no hit serves the previous value)', async () => {
    const cache = createCache({ store: memoryStore(), namespace: uniqueNamespace('rewrite'), logger: false });
    let version = 0;
    const f = withCache(async () => ({ version: ++version, list: [version] }), { cache, name: 'versioned' });
    await f();
    expect(await f()).toEqual({ version: 1, list: [1] });
    await f.set({ version: 7, list: [7] });
    expect(await f()).toEqual({ version: 7, list: [7] });
    expect(await f()).toEqual({ version: 7, list: [7] });
    await f.refresh();
    expect(await f()).toEqual({ version: 2, list: [2] });
  });
});
