import { SerializationError } from '../../lib/errors.js';
import { jsonSerializer } from '../../lib/serializers/jsonSerializer.js';

describe('jsonSerializer', () => {
  it('is named json and writes plain JSON without a prefix', () => {
    expect(jsonSerializer.name).toBe('json');
    expect(jsonSerializer.serialize({ a: [1, 'x', null, true] })).toBe('{"a":[1,"x",null,true]}');
    expect(jsonSerializer.deserialize('{"a":[1,"x",null,true]}')).toEqual({ a: [1, 'x', null, true] });
  });

  it('is lossy the way JSON is', () => {
    const back = jsonSerializer.deserialize(
      jsonSerializer.serialize({ at: new Date(0), u: undefined }),
    ) as Record<string, unknown>;
    expect(back).toEqual({ at: '1970-01-01T00:00:00.000Z' });
    expect('u' in back).toBe(false);
  });

  it.each([
    ['a bigint', 1n],
    ['a top-level undefined', undefined],
    ['a function', () => 1],
  ])('throws SerializationError for %s', (_what, value) => {
    expect(() => jsonSerializer.serialize(value)).toThrow(SerializationError);
  });

  it('throws SerializationError for cycles', () => {
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => jsonSerializer.serialize(cyc)).toThrow(SerializationError);
  });

  it('throws SerializationError for garbage', () => {
    expect(() => jsonSerializer.deserialize('{nope')).toThrow(SerializationError);
  });
});
