/**
 * Finds a property that a structural encoding (JSON, devalue) would drop without a word: a
 * symbol key, a named property on an array, a property set on a `Date`, `Map`, `Set`, `RegExp`
 * or typed array. Non-enumerable properties are not part of a value (as for JSON,
 * `structuredClone` and object spread) and are not reported.
 *
 * @packageDocumentation
 */

const isIndex = (k: string): boolean => k === String(Number(k) >>> 0) && k !== '4294967295';

/** Own enumerable string keys that are not array indices (V8 lists indices first, then names). */
function namedArrayKey(arr: readonly unknown[]): string | undefined {
  const keys = Object.keys(arr);
  const last = keys[keys.length - 1];
  return last !== undefined && !isIndex(last) ? keys.find((k) => !isIndex(k)) : undefined;
}

const describeKey = (k: PropertyKey): string => (typeof k === 'symbol' ? `[${String(k)}]` : `.${k}`);

/** Where a property would be dropped in `value` (a path such as `value.user[Symbol(id)]`), if anywhere. */
export function droppedProperty(
  value: unknown,
  path = 'value',
  seen = new Set<object>(),
): string | undefined {
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  const symbol = Object.getOwnPropertySymbols(value).find((s) =>
    Object.prototype.propertyIsEnumerable.call(value, s),
  );
  if (symbol !== undefined) return `${path}${describeKey(symbol)} (a symbol key)`;
  if (Array.isArray(value)) {
    const named = namedArrayKey(value);
    if (named !== undefined) return `${path}${describeKey(named)} (a named property of an array)`;
    for (let i = 0; i < value.length; i++) {
      const found = droppedProperty(value[i] as unknown, `${path}[${i}]`, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return droppedInObject(value, path, seen);
}

function droppedInObject(value: object, path: string, seen: Set<object>): string | undefined {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    for (const [k, v] of Object.entries(value)) {
      const found = droppedProperty(v, `${path}${describeKey(k)}`, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const builtin =
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof Map ||
    value instanceof Set ||
    ArrayBuffer.isView(value);
  if (!builtin) return undefined; // class instances are refused by the encoder itself
  const own = Object.keys(value).find((k) => !ArrayBuffer.isView(value) || !isIndex(k));
  if (own !== undefined)
    return `${path}${describeKey(own)} (a property of a ${(value as { constructor: { name: string } }).constructor.name})`;
  if (value instanceof Map) {
    let i = 0;
    for (const [k, v] of value as Map<unknown, unknown>) {
      const found =
        droppedProperty(k, `${path}<key ${i}>`, seen) ?? droppedProperty(v, `${path}.get(<key ${i}>)`, seen);
      if (found !== undefined) return found;
      i += 1;
    }
  } else if (value instanceof Set) {
    let i = 0;
    for (const v of value as Set<unknown>) {
      const found = droppedProperty(v, `${path}<member ${i++}>`, seen);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
