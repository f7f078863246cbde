import fc from 'fast-check';
import { SerializationError } from '../../lib/errors.js';
import {
  defaultSerializer,
  deserializeDefault,
  serializeDefault,
} from '../../lib/serializers/defaultSerializer.js';
import { defaultSerializer as fromIndex, jsonSerializer } from '../../lib/serializers/index.js';

const roundTrip = (v: unknown): unknown => defaultSerializer.deserialize(defaultSerializer.serialize(v));

type Tester = (a: unknown, b: unknown) => boolean | undefined;

// Jest compares two Dates by their times with ===, so an invalid Date (time NaN) never equals
// another invalid Date. Compare times with Object.is: a valid Date still needs the same time, and
// an invalid one must come back invalid (fast-check's rich values include invalid Dates).
// (@types/jest does not declare addEqualityTesters; Jest 30's expect has it.)
(expect as unknown as { addEqualityTesters(testers: readonly Tester[]): void }).addEqualityTesters([
  (a: unknown, b: unknown): boolean | undefined =>
    a instanceof Date && b instanceof Date ? Object.is(a.getTime(), b.getTime()) : undefined,
]);

describe('defaultSerializer', () => {
  it('is named default, frozen, and exported from the index', () => {
    expect(defaultSerializer.name).toBe('default');
    expect(Object.isFrozen(defaultSerializer)).toBe(true);
    expect(fromIndex).toBe(defaultSerializer);
    expect(jsonSerializer.name).toBe('json');
  });

  describe('fast path', () => {
    it('writes JSON-safe values as j + JSON', () => {
      const v = { id: 1, name: 'Ada', tags: ['a', 'b'], nested: { ok: true, none: null, n: -1.5 } };
      expect(serializeDefault(v)).toBe(`j${JSON.stringify(v)}`);
      expect(serializeDefault('x')).toBe('j"x"');
      expect(serializeDefault(null)).toBe('jnull');
      expect(serializeDefault(0)).toBe('j0');
      expect(deserializeDefault(`j${JSON.stringify(v)}`)).toEqual(v);
    });

    it.each([
      ['undefined', undefined],
      ['an undefined property', { a: undefined }],
      ['an undefined element', [1, undefined]],
      ['a hole', [1, , 3]],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['-0', -0],
      ['a nested -0', { a: [-0] }],
      ['a Date', { at: new Date(0) }],
      ['a bigint', 1n],
      ['a null-prototype object', Object.assign(Object.create(null) as object, { a: 1 })],
      ['a shared reference', ((x) => ({ a: x, b: x }))({ n: 1 })],
    ])('leaves %s to devalue', (_what, value) => {
      expect(serializeDefault(value).charAt(0)).toBe('d');
    });

    it('round-trips arbitrary JSON values exactly', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (v) => {
          expect(roundTrip(v)).toStrictEqual(v); // -0 included: the fast path hands it to devalue
        }),
      );
    });
  });

  describe('fidelity', () => {
    it('keeps undefined and null distinct, also as property values', () => {
      expect(roundTrip(undefined)).toBeUndefined();
      expect(roundTrip(null)).toBeNull();
      const back = roundTrip({ u: undefined, n: null }) as Record<string, unknown>;
      expect('u' in back).toBe(true);
      expect(back.u).toBeUndefined();
      expect(back.n).toBeNull();
    });

    it('keeps special numbers and bigints', () => {
      const back = roundTrip([NaN, Infinity, -Infinity, -0, 0, 2n ** 70n]) as unknown[];
      expect(back[0]).toBeNaN();
      expect(back[1]).toBe(Infinity);
      expect(back[2]).toBe(-Infinity);
      expect(Object.is(back[3], -0)).toBe(true);
      expect(Object.is(back[4], 0)).toBe(true);
      expect(back[5]).toBe(2n ** 70n);
    });

    it('keeps Date, Map, Set, RegExp, nested', () => {
      const value = {
        at: new Date(1_700_000_000_123),
        byId: new Map<unknown, unknown>([
          [1, { tags: new Set(['a', 'b']) }],
          ['k', new Date(5)],
        ]),
        re: /a+b/gi,
      };
      const back = roundTrip(value) as typeof value;
      expect(back.at).toBeInstanceOf(Date);
      expect(back.at.getTime()).toBe(1_700_000_000_123);
      expect(back.byId).toBeInstanceOf(Map);
      expect(back.byId.get('k')).toEqual(new Date(5));
      const inner = back.byId.get(1) as { tags: Set<string> };
      expect(inner.tags).toBeInstanceOf(Set);
      expect([...inner.tags]).toEqual(['a', 'b']);
      expect(back.re).toBeInstanceOf(RegExp);
      expect(back.re.source).toBe('a+b');
      expect(back.re.flags).toBe('gi');
    });

    it('round-trips an invalid Date as an invalid Date, and a valid one to the millisecond', () => {
      const [invalid, valid] = roundTrip([new Date(NaN), new Date(1)]) as [Date, Date];
      expect(invalid).toBeInstanceOf(Date);
      expect(invalid.getTime()).toBeNaN();
      expect(valid.getTime()).toBe(1);
      expect([new Date(1)]).not.toEqual([new Date(NaN)]);
    });

    it('round-trips arbitrary rich values', () => {
      const anything = fc.anything({
        key: fc.string().filter((k) => k !== '__proto__'), // devalue refuses own __proto__ keys
        withBigInt: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withSparseArray: true,
        withTypedArray: true,
      });
      fc.assert(
        fc.property(anything, (v) => {
          expect(roundTrip(v)).toStrictEqual(v);
        }),
      );
    });

    it('keeps URL, URLSearchParams and ArrayBuffer', () => {
      const value = {
        u: new URL('https://example.com/a?b=1'),
        q: new URLSearchParams('a=1&a=2'),
        b: new Uint8Array([7, 8]).buffer,
      };
      const back = roundTrip(value) as typeof value;
      expect(back.u).toBeInstanceOf(URL);
      expect(back.u.href).toBe('https://example.com/a?b=1');
      expect(back.q.getAll('a')).toEqual(['1', '2']);
      expect(back.b).toBeInstanceOf(ArrayBuffer);
      expect([...new Uint8Array(back.b)]).toEqual([7, 8]);
    });

    it('gives the payloads shown in docs/serializers.md', () => {
      expect(serializeDefault({ id: 1, name: 'Ada' })).toBe('j{"id":1,"name":"Ada"}');
      expect(serializeDefault({ at: new Date(0), roles: new Set(['admin']), note: undefined })).toBe(
        'd[{"at":1,"roles":2,"note":-1},["Date","1970-01-01T00:00:00.000Z"],["Set",3],"admin"]',
      );
      class Money {
        constructor(readonly cents: number) {}
      }
      expect(() => serializeDefault({ order: { total: new Money(995) } })).toThrow(
        'Cannot serialize value.order.total (a Money instance): Cannot stringify arbitrary non-POJOs',
      );
    });

    it('keeps sparse arrays sparse', () => {
      const back = roundTrip([1, , 3]) as unknown[];
      expect(back).toHaveLength(3);
      expect(1 in back).toBe(false);
      expect(back[2]).toBe(3);
    });

    it('keeps typed arrays; a Buffer comes back as a Uint8Array', () => {
      const back = roundTrip({ f: new Float64Array([1.5, -2]), b: Buffer.from('hi') }) as Record<
        string,
        unknown
      >;
      expect(back.f).toBeInstanceOf(Float64Array);
      expect([...(back.f as Float64Array)]).toEqual([1.5, -2]);
      expect(back.b).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(back.b as Uint8Array).toString()).toBe('hi');
    });

    it('keeps cycles and shared references', () => {
      const shared = { n: 1 };
      const value: Record<string, unknown> = { a: shared, b: shared };
      value.self = value;
      const back = roundTrip(value) as Record<string, unknown>;
      expect(back.self).toBe(back);
      expect(back.a).toBe(back.b);
      expect(back.a).toEqual({ n: 1 });
    });

    it('keeps null-prototype objects', () => {
      const back = roundTrip(Object.assign(Object.create(null) as object, { a: 1 })) as object;
      expect(Object.getPrototypeOf(back)).toBeNull();
      expect(back).toEqual({ a: 1 });
    });

    it('handles deep nesting beyond the fast-path depth', () => {
      let deep: unknown = 'leaf';
      for (let i = 0; i < 200; i++) deep = { d: deep };
      expect(serializeDefault(deep).charAt(0)).toBe('d');
      expect(roundTrip(deep)).toEqual(deep);
    });

    it('handles many objects (past the small seen-list)', () => {
      const rows = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `row ${i}` }));
      expect(serializeDefault(rows).charAt(0)).toBe('j');
      rows.push(rows[3] as { id: number; name: string });
      expect(serializeDefault(rows).charAt(0)).toBe('d');
      const back = roundTrip(rows) as unknown[];
      expect(back[100]).toBe(back[3]);
    });
  });

  describe('errors', () => {
    class Point {
      constructor(readonly x: number) {}
    }

    it('refuses class instances, naming the path and the class', () => {
      expect(() => serializeDefault({ user: { home: new Point(1) } })).toThrow(SerializationError);
      expect(() => serializeDefault({ user: { home: new Point(1) } })).toThrow(/\.user\.home.*Point/);
      expect(() => serializeDefault([1, new Point(1)])).toThrow(/\[1\].*Point/);
      expect(() => serializeDefault(new Point(1))).toThrow(/Cannot serialize value \(a Point instance\)/);
    });

    it('refuses functions and symbols', () => {
      expect(() => serializeDefault({ f: () => 1 })).toThrow(SerializationError);
      expect(() => serializeDefault({ s: Symbol('x') })).toThrow(SerializationError);
    });

    describe('never drops a property silently', () => {
      const sym = Symbol('id');
      const named = Object.assign([1, 2], { total: 2 });
      const date = Object.assign(new Date(0), { label: 'epoch' });
      it.each([
        [
          'a symbol key (JSON-safe otherwise)',
          { id: 1, [sym]: 'x' },
          /value\[Symbol\(id\)\] \(a symbol key\)/,
        ],
        ['a nested symbol key', { user: { [sym]: 'x' } }, /value\.user\[Symbol\(id\)\]/],
        ['a symbol key beside a Date', { at: new Date(0), [sym]: 1 }, /Symbol\(id\)/],
        ['a symbol key inside a Map', new Map([['k', { [sym]: 1 }]]), /Symbol\(id\)/],
        [
          'a symbol key on a null-prototype object',
          Object.assign(Object.create(null) as object, { [sym]: 1 }),
          /Symbol\(id\)/,
        ],
        ['a symbol key on an array', Object.assign([1], { [sym]: 1 }), /Symbol\(id\)/],
        [
          'a named property of an array',
          { rows: named },
          /value\.rows\.total \(a named property of an array\)/,
        ],
        ['a named property of a sparse array', Object.assign([1, , 3], { total: 2 }), /\.total/],
        ['a property set on a Date', { date }, /value\.date\.label \(a property of a Date\)/],
        ['a property set on a Map', Object.assign(new Map(), { size2: 1 }), /\.size2/],
      ])('refuses %s with a SerializationError naming it', (_what, value, message) => {
        expect(() => serializeDefault(value)).toThrow(SerializationError);
        expect(() => serializeDefault(value)).toThrow(message);
        expect(() => serializeDefault(value)).toThrow(/would be lost/);
      });

      it('keeps what it can store, and ignores non-enumerable properties (as JSON and structuredClone do)', () => {
        const hidden = Object.defineProperty({ a: 1 }, 'secret', { value: 2, enumerable: false });
        expect(roundTrip(hidden)).toEqual({ a: 1 });
        const hiddenSymbol = Object.defineProperty({ a: 1 }, sym, { value: 2, enumerable: false });
        expect(roundTrip(hiddenSymbol)).toEqual({ a: 1 });
        expect(roundTrip(new Uint8Array([1, 2]))).toEqual(new Uint8Array([1, 2]));
      });
    });

    it.each([
      ['an empty payload', ''],
      ['an unknown prefix', 'x{"a":1}'],
      ['bad JSON', 'j{"a":'],
      ['bad devalue', 'd[[1,'],
      ['a devalue payload of the wrong shape', 'd{"a":1}'],
    ])('throws SerializationError on %s', (_what, payload) => {
      expect(() => deserializeDefault(payload)).toThrow(SerializationError);
    });

    it('never executes code when decoding', () => {
      (globalThis as Record<string, unknown>).__pwned = false;
      const payloads = [
        'd["(globalThis.__pwned = true)"]',
        'j"(globalThis.__pwned = true)"',
        'd[["Object","globalThis.__pwned=true"]]',
      ];
      for (const p of payloads) {
        try {
          deserializeDefault(p);
        } catch {
          // refusing is fine too
        }
      }
      expect((globalThis as Record<string, unknown>).__pwned).toBe(false);
      delete (globalThis as Record<string, unknown>).__pwned;
    });
  });
});
