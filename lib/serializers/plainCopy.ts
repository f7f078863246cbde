/**
 * A structural copy of what `JSON.parse` returns: plain objects (own enumerable string keys, in
 * order, `__proto__` kept as an own property, as `JSON.parse` makes it), packed arrays and
 * primitives. About five times cheaper than parsing the JSON again for a 1 KB value, which is
 * what a copying in-process hit pays. Only for values that came out of `JSON.parse`: anything
 * else (Dates, Maps, class instances) would lose its type.
 *
 * @packageDocumentation
 */

const { keys, defineProperty } = Object;

function copyArray(source: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < source.length; i++) {
    const v = source[i];
    out.push(typeof v === 'object' && v !== null ? plainCopy(v) : v);
  }
  return out;
}

function copyObject(source: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const names = keys(source);
  for (let i = 0; i < names.length; i++) {
    const k = names[i] as string;
    const v = source[k];
    const c = typeof v === 'object' && v !== null ? plainCopy(v) : v;
    if (k === '__proto__')
      defineProperty(out, k, { value: c, writable: true, enumerable: true, configurable: true });
    else out[k] = c;
  }
  return out;
}

/** A deep copy of a value made of JSON data (see the module comment). */
export function plainCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Array.isArray(value)
    ? copyArray(value as readonly unknown[])
    : copyObject(value as Readonly<Record<string, unknown>>);
}
