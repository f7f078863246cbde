import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { InvalidKeyError } from '../../lib/errors.js';
import { cacheKey, stableKey } from '../../lib/keys/index.js';

/** The InvalidKeyError thrown by `stableKey(args)`, or a failure when none is thrown. */
function keyError(args: readonly unknown[]): InvalidKeyError {
  try {
    stableKey(args);
  } catch (e) {
    if (e instanceof InvalidKeyError) return e;
    throw e;
  }
  throw new Error('stableKey did not throw');
}

/** A reference canonical form for JSON values: JSON with sorted keys. */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const rec = v as Record<string, unknown>;
    return `{${Object.keys(rec)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(rec[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

class User {
  constructor(
    readonly id: number,
    readonly name = 'n',
  ) {}
}
class Order {
  constructor(readonly id: number) {}
}
class Query {
  constructor(
    readonly table: string,
    readonly where: Record<string, unknown>,
  ) {}
  [cacheKey](): unknown {
    return { table: this.table, where: this.where };
  }
}

describe('stableKey', () => {
  it('gives the documented canonical forms', () => {
    expect(stableKey([])).toBe('');
    expect(stableKey([42])).toBe('42');
    expect(stableKey(['42'])).toBe('"42"');
    expect(stableKey(['a"b\\c\n'])).toBe(JSON.stringify('a"b\\c\n'));
    expect(stableKey([{ q: 'x', id: 1 }])).toBe('{"id":1,"q":"x"}');
    expect(stableKey([1, new Set(['b', 'a'])])).toBe('1,Set["a","b"]');
    expect(stableKey([-0, NaN, Infinity, -Infinity, 1n, null, undefined, true, false])).toBe(
      '0,NaN,Infinity,-Infinity,1n,null,undefined,true,false',
    );
    expect(
      stableKey([
        new Date(0),
        new Map<unknown, unknown>([
          ['b', 1],
          ['a', [1, , 3]],
        ]),
      ]),
    ).toBe('Date(0),Map{"a"=>[1,undefined,3],"b"=>1}');
    expect(stableKey([new Uint8Array([1, 2]), /a\/b/gi])).toBe('Uint8Array(AQI=),RegExp("a\\\\/b","gi")');
    expect(stableKey([new User(3), new Query('posts', { b: 2, a: 1 })])).toBe(
      'User#3,{"table":"posts","where":{"a":1,"b":2}}',
    );
  });

  it('is the same in another process', () => {
    const args = [
      { z: [1, 'two', { y: null, x: 3.5 }], a: new Map([['k', new Set([3, 1, 2])]]) },
      'é✓',
      7n,
      new Date(86_400_000),
    ];
    const here = stableKey(args);
    const there = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('./lib/keys/stableKey.ts').then(({ stableKey }) => {
          const args = [{ a: new Map([['k', new Set([2, 3, 1])]]), z: [1, 'two', { x: 3.5, y: null }] }, 'é✓', 7n, new Date(86400000)];
          process.stdout.write(stableKey(args));
        })`,
      ],
      { cwd: `${__dirname}/../..`, encoding: 'utf8' },
    );
    expect(there).toBe(here);
    expect(here).toBe('{"a":Map{"k"=>Set[1,2,3]},"z":[1,"two",{"x":3.5,"y":null}]},"é✓",7n,Date(86400000)');
  });

  describe('equal arguments give equal keys', () => {
    it('ignores object key order, also nested and in null-prototype objects', () => {
      const a = { b: 1, a: { d: [1, 2], c: 'x' } };
      const b = { a: { c: 'x', d: [1, 2] }, b: 1 };
      expect(stableKey([a])).toBe(stableKey([b]));
      expect(stableKey([Object.assign(Object.create(null) as object, b)])).toBe(stableKey([a]));
    });

    it('ignores Map and Set insertion order', () => {
      expect(
        stableKey([
          new Map([
            ['a', 1],
            ['b', 2],
          ]),
        ]),
      ).toBe(
        stableKey([
          new Map([
            ['b', 2],
            ['a', 1],
          ]),
        ]),
      );
      expect(stableKey([new Set([{ x: 1 }, 2, 'z'])])).toBe(stableKey([new Set(['z', 2, { x: 1 }])]));
    });

    it('skips undefined-valued properties', () => {
      expect(stableKey([{ a: 1, b: undefined }])).toBe(stableKey([{ a: 1 }]));
    });

    it('keys -0 as 0 and a Buffer as its bytes', () => {
      expect(stableKey([-0])).toBe(stableKey([0]));
      expect(stableKey([Buffer.from([1, 2, 3])])).toBe(stableKey([new Uint8Array([1, 2, 3])]));
      const view = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
      expect(stableKey([view])).toBe(stableKey([new Uint8Array([1, 2, 3])]));
    });

    it('keys Dates by time and instances by class and id', () => {
      expect(stableKey([new Date(5)])).toBe(stableKey([new Date(5)]));
      expect(stableKey([new User(1, 'a')])).toBe(stableKey([new User(1, 'b')]));
    });

    it('is insensitive to key order for arbitrary records (property)', () => {
      fc.assert(
        fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (rec) => {
          const reversed = Object.fromEntries(Object.entries(rec).reverse());
          expect(stableKey([reversed])).toBe(stableKey([rec]));
        }),
      );
    });
  });

  describe('different arguments give different keys', () => {
    it.each([
      ['1 vs "1"', [1], ['1']],
      ['null vs undefined', [null], [undefined]],
      ['1 vs 1n', [1], [1n]],
      ['NaN vs "NaN"', [NaN], ['NaN']],
      ['true vs "true"', [true], ['true']],
      ['one arg with a comma vs two args', ['a,b'], ['a', 'b']],
      ['one array vs two args', [[1, 2]], [1, 2]],
      ['(1) vs (1, undefined)', [1], [1, undefined]],
      ['{} vs []', [{}], [[]]],
      ['Set vs array', [new Set([1])], [[1]]],
      ['Map vs object', [new Map([['a', 1]])], [{ a: 1 }]],
      ['Date vs its time', [new Date(5)], [5]],
      ['instances of different classes', [new User(1)], [new Order(1)]],
      ['Uint8Array vs Int8Array', [new Uint8Array([1])], [new Int8Array([1])]],
      ['string containing quotes', ['a","b'], ['a', 'b']],
      ['[undefined] vs []', [[undefined]], [[]]],
    ])('%s', (_what, a, b) => {
      expect(stableKey(a)).not.toBe(stableKey(b));
    });

    it('distinct JSON values give distinct keys (property)', () => {
      fc.assert(
        fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
          if (sortedJson(a) !== sortedJson(b)) expect(stableKey([a])).not.toBe(stableKey([b]));
          else expect(stableKey([a])).toBe(stableKey([b]));
        }),
      );
    });
  });

  describe('[cacheKey]', () => {
    it('uses the material, canonicalized recursively', () => {
      expect(stableKey([new Query('t', { b: 1, a: 2 })])).toBe(stableKey([new Query('t', { a: 2, b: 1 })]));
      const nested = { [cacheKey]: () => ({ inner: new Query('t', {}) }) };
      expect(stableKey([nested])).toBe('{"inner":{"table":"t","where":{}}}');
    });

    it('wins over the id property', () => {
      class Both {
        id = 1;
        [cacheKey](): unknown {
          return 'custom';
        }
      }
      expect(stableKey([new Both()])).toBe('"custom"');
    });

    it('rejects an implementation returning the instance itself', () => {
      class Self {
        [cacheKey](): unknown {
          return this;
        }
      }
      expect(keyError([new Self()]).message).toMatch(/returned the object itself/);
    });
  });

  describe('refuses what cannot form a key, naming the position', () => {
    class Foo {}
    const cyc: Record<string, unknown> = { a: 1 };
    cyc.self = { back: cyc };
    let deep: unknown = 1;
    for (let i = 0; i < 150; i++) deep = [deep];
    it.each([
      ['a function', [() => 1], 'argument 0', /function/],
      ['a nested function', [1, { filter: { cb: () => 1 } }], 'argument 1.filter.cb', /function/],
      ['a symbol in an array', [{ items: [1, 2, Symbol('x')] }], 'argument 0.items[2]', /symbol/],
      ['an odd property name', [{ 'a b': () => 1 }], 'argument 0["a b"]', /function/],
      ['a Promise', [1, 2, Promise.resolve(1)], 'argument 2', /Promise/],
      ['a WeakMap', [new WeakMap()], 'argument 0', /WeakMap/],
      ['a class instance without id', [new Foo()], 'argument 0', /Foo instance/],
      ['an instance with an empty id', [new User(undefined as unknown as number)], 'argument 0', /empty id/],
      ['a Map value', [new Map([[1, { f: () => 1 }]])], 'argument 0.get(1).f', /function/],
      ['a Map key', [new Map([[() => 1, 1]])], 'argument 0.<Map key>', /function/],
      ['a Set element', [new Set([Symbol.iterator])], 'argument 0.<Set element>', /symbol/],
      [
        'a cacheKey material',
        [{ [cacheKey]: () => ({ f: () => 1 }) }],
        'argument 0.[cacheKey]().f',
        /function/,
      ],
      ['a cycle', [cyc], 'argument 0.self.back', /cycle/],
      ['symbol-keyed properties', [{ [Symbol('s')]: 1 }], 'argument 0', /symbol-keyed/],
      ['deep nesting', [deep], `argument 0${'[0]'.repeat(100)}`, /deeper than 100/],
    ])('%s', (_what, args, path, reason) => {
      const e = keyError(args);
      expect(e).toBeInstanceOf(InvalidKeyError);
      expect(e.code).toBe('ERR_INVALID_KEY');
      expect(e.path).toBe(path);
      expect(e.message).toContain(path);
      expect(e.message).toMatch(reason);
    });

    it('lets repeated (non-cyclic) references through', () => {
      const shared = { a: 1 };
      expect(stableKey([{ x: shared, y: shared }, shared])).toBe('{"x":{"a":1},"y":{"a":1}},{"a":1}');
    });
  });
});
