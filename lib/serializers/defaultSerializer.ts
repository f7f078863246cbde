/**
 * The default, type-faithful serializer: plain JSON when the value is JSON-safe, devalue otherwise.
 *
 * @packageDocumentation
 */
import { DevalueError, parse, stringify } from 'devalue';
import { SerializationError } from '../errors.js';
import { droppedProperty } from './droppedProperty.js';
import type { Serializer } from './Serializer.js';

/** Prefix of payloads that are plain JSON (`JSON.parse` restores them exactly). */
const JSON_PREFIX = 'j';
/** Prefix of payloads encoded with devalue (Dates, Maps, `undefined`, cycles, …). */
const DEVALUE_PREFIX = 'd';
/** Nesting deeper than this is left to devalue (which also detects cycles). */
const MAX_JSON_DEPTH = 64;

const OBJECT_PROTO = Object.prototype;
const { getOwnPropertySymbols } = Object;
const ARRAY_PROTO = Array.prototype;

/** Up to this many objects are tracked in an array (cheaper than a `Set` for small values). */
const SMALL_SEEN = 32;

/** The objects met so far by one JSON-safety walk: an array while small, then a `Set`. */
interface Seen {
  small: object[];
  big: Set<object> | undefined;
}

/** Records `obj`; `false` when it was met before (a shared or cyclic reference). */
function firstVisit(seen: Seen, obj: object): boolean {
  if (seen.big !== undefined) {
    if (seen.big.has(obj)) return false;
    seen.big.add(obj);
    return true;
  }
  if (seen.small.includes(obj)) return false;
  seen.small.push(obj);
  if (seen.small.length > SMALL_SEEN) seen.big = new Set(seen.small);
  return true;
}

/**
 * Whether `JSON.parse(JSON.stringify(value))` gives back an equal value of the same types:
 * only plain objects and dense plain arrays of strings, finite numbers (not `-0`), booleans and
 * `null`, with no `undefined` member, no shared or cyclic references, at most 64 levels deep.
 */
function isJsonSafe(value: unknown, depth: number, seen: Seen): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return value - value === 0 && (value !== 0 || 1 / value > 0);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > MAX_JSON_DEPTH || !firstVisit(seen, value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (getOwnPropertySymbols(value).length !== 0) return false; // JSON would drop them
  if (proto === ARRAY_PROTO) {
    const arr = value as readonly unknown[];
    if (Object.keys(arr).length !== arr.length) return false; // holes, or named properties JSON drops
    for (let i = 0; i < arr.length; i++)
      if (arr[i] === undefined || !isJsonSafe(arr[i], depth + 1, seen)) return false;
    return true;
  }
  if (proto !== OBJECT_PROTO) return false;
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    const v = obj[k];
    if (v === undefined || !isJsonSafe(v, depth + 1, seen)) return false;
  }
  return true;
}

/** Describes what devalue refused, naming the path inside the value (`value.user.profile`). */
function devalueFailure(e: unknown): SerializationError {
  if (!(e instanceof DevalueError))
    return new SerializationError(`Cannot serialize value: ${String(e)}`, { cause: e });
  const what: unknown = e.value;
  const ctor =
    typeof what === 'object' && what !== null
      ? (what as { constructor?: { name?: unknown } }).constructor
      : undefined;
  const name =
    typeof ctor?.name === 'string' && ctor.name !== '' && ctor.name !== 'Object'
      ? ` (a ${ctor.name} instance)`
      : '';
  return new SerializationError(`Cannot serialize value${e.path}${name}: ${e.message}`, { cause: e });
}

/**
 * Encodes a value; see {@link defaultSerializer}.
 *
 * @example
 * ```ts
 * serializeDefault({ a: 1 }); // 'j{"a":1}'
 * serializeDefault(new Date(0)); // 'd[["Date","1970-01-01T00:00:00.000Z"]]'
 * ```
 */
export function serializeDefault(value: unknown): string {
  if (isJsonSafe(value, 0, { small: [], big: undefined })) return JSON_PREFIX + JSON.stringify(value);
  const dropped = droppedProperty(value);
  if (dropped !== undefined)
    throw new SerializationError(
      `Cannot serialize ${dropped}: it would be lost; store it under a string key of a plain object, or use a custom serializer`,
    );
  try {
    return DEVALUE_PREFIX + stringify(value);
  } catch (e) {
    throw devalueFailure(e);
  }
}

/**
 * Decodes a payload made by {@link serializeDefault}; never executes code.
 *
 * @example
 * ```ts
 * deserializeDefault('j{"a":1}'); // { a: 1 }
 * ```
 */
export function deserializeDefault(payload: string): unknown {
  const prefix = payload.charAt(0);
  try {
    if (prefix === JSON_PREFIX) return JSON.parse(payload.slice(1));
    if (prefix === DEVALUE_PREFIX) return parse(payload.slice(1)) as unknown;
  } catch (e) {
    throw new SerializationError(`Cannot decode payload (${describe(payload)}): ${(e as Error).message}`, {
      cause: e,
    });
  }
  throw new SerializationError(`Cannot decode payload (${describe(payload)}): unknown format prefix`);
}

function describe(payload: string): string {
  return payload.length > 40 ? `${JSON.stringify(payload.slice(0, 40))}…` : JSON.stringify(payload);
}

/**
 * The default, type-faithful serializer. A hit gives back what was cached: `Date`, `Map`, `Set`,
 * `BigInt`, `RegExp`, typed arrays, `undefined` (also as a property value, distinct from `null`),
 * `NaN`, `±Infinity`, `-0`, sparse arrays, and shared or cyclic references.
 *
 * Plain JSON-safe values (the common case) are written as `'j' + JSON.stringify(v)` and read with
 * one `JSON.parse`; everything else goes through devalue's `stringify`/`parse` (prefix `'d'`),
 * which never evaluates code. Class instances, functions and symbols cannot be serialized, nor
 * can properties that an encoding would lose (symbol keys, named properties of an array,
 * properties set on a `Date`, `Map`, `Set`, …): a `SerializationError` names where they sit in
 * the value; nothing is dropped silently. Non-enumerable properties are not part of a value (as
 * for JSON and `structuredClone`). A `Buffer` comes back as a `Uint8Array`.
 *
 * @example
 * ```ts
 * import { defaultSerializer } from 'tagcache';
 * const s = defaultSerializer.serialize({ at: new Date(0), tags: new Set(['a']) });
 * const v = defaultSerializer.deserialize(s) as { at: Date; tags: Set<string> };
 * v.at instanceof Date; // true
 * ```
 */
export const defaultSerializer: Serializer = Object.freeze({
  name: 'default',
  serialize: serializeDefault,
  deserialize: deserializeDefault,
});
