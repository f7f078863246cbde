/**
 * plainCopy gives exactly what a new JSON.parse would: same keys in the same order, own
 * `__proto__` properties, packed arrays, and nothing shared with the source.
 */
import fc from 'fast-check';
import { plainCopy } from '../../lib/serializers/plainCopy.js';

/** Every object and array reachable from `v`. */
function containers(v: unknown, out: object[] = []): object[] {
  if (typeof v !== 'object' || v === null) return out;
  out.push(v);
  for (const child of Object.values(v)) containers(child, out);
  return out;
}

describe('plainCopy', () => {
  it('equals a re-parse of any JSON value and shares no object with its source', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const source: unknown = JSON.parse(text);
        const copy = plainCopy(source);
        expect(JSON.stringify(copy)).toBe(text);
        expect(copy).toStrictEqual(JSON.parse(text));
        const shared = new Set(containers(source));
        expect(containers(copy).filter((c) => shared.has(c))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps "__proto__" as an own property, as JSON.parse makes it, without touching the prototype', () => {
    const source: unknown = JSON.parse('{"__proto__":{"polluted":true},"a":[{"__proto__":1}]}');
    const copy = plainCopy(source) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual(
      JSON.parse('{"polluted":true}'),
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(source));
  });

  it('copies own properties only (an enumerable property on Object.prototype is not copied)', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto['injected'] = 1;
    try {
      expect(Object.keys(plainCopy({ a: { b: 1 } }) as object)).toEqual(['a']);
    } finally {
      delete proto['injected'];
    }
  });
});
