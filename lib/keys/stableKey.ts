/**
 * Deterministic key material from function arguments.
 *
 * @packageDocumentation
 */
import { InvalidKeyError } from '../errors.js';
import { cacheKey } from './cacheKey.js';

/** Objects nested deeper than this cannot form a key (guards against runaway recursion). */
const MAX_DEPTH = 100;

/** A step on the way to the offending value: property name, array index, or a formatted step. */
type Step = string | number | { readonly raw: string };

/** Internal: thrown while canonicalizing; collects the path as it unwinds. */
class KeyFault {
  readonly steps: Step[] = [];
  constructor(readonly reason: string) {}
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `JSON.stringify` for strings, without its call overhead when no character needs escaping. */
function quote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

/** Sorts by UTF-16 code units, like `Array.prototype.sort()`; insertion sort for short arrays. */
function sortStrings(items: string[]): string[] {
  if (items.length > 12) return items.sort();
  for (let i = 1; i < items.length; i++) {
    const item = items[i] as string;
    let j = i - 1;
    while (j >= 0 && (items[j] as string) > item) {
      items[j + 1] = items[j] as string;
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}

function formatPath(argIndex: number, steps: readonly Step[]): string {
  let path = `argument ${argIndex}`;
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as Step;
    if (typeof s === 'number') path += `[${s}]`;
    else if (typeof s === 'string') path += IDENTIFIER.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
    else path += s.raw;
  }
  return path;
}

/** Canonicalizes a nested value, recording `step` in the path if it fails. */
function child(value: unknown, stack: object[], step: Step): string {
  try {
    return canon(value, stack);
  } catch (e) {
    if (e instanceof KeyFault) e.steps.push(step);
    throw e;
  }
}

function canon(value: unknown, stack: object[]): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return String(value); // -0 gives '0'; NaN and ±Infinity are spelled out
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    case 'object':
      return value === null ? 'null' : canonObject(value, stack);
    case 'function':
      throw new KeyFault(
        'a function cannot be part of a key (use the `key` option to pick the data it depends on)',
      );
    default:
      throw new KeyFault(`a ${typeof value} cannot be part of a key`);
  }
}

function canonObject(obj: object, stack: object[]): string {
  if (stack.includes(obj)) throw new KeyFault('the value contains itself (a cycle)');
  if (stack.length >= MAX_DEPTH)
    throw new KeyFault(`values nested deeper than ${MAX_DEPTH} levels cannot form a key`);
  stack.push(obj);
  const out = canonByKind(obj, stack);
  stack.pop();
  return out;
}

function canonByKind(obj: object, stack: object[]): string {
  const proto: unknown = Object.getPrototypeOf(obj);
  const custom: unknown = (obj as Partial<Record<typeof cacheKey, unknown>>)[cacheKey];
  if (typeof custom === 'function') return canonCustom(obj, custom as () => unknown, stack);
  if (proto === Object.prototype || proto === null) return canonPlain(obj as Record<string, unknown>, stack);
  if (Array.isArray(obj)) return canonArray(obj, stack);
  if (obj instanceof Date) return `Date(${obj.getTime()})`;
  if (obj instanceof Map) return canonMap(obj, stack);
  if (obj instanceof Set) return canonSet(obj, stack);
  if (ArrayBuffer.isView(obj)) return bytesOf(tagOf(obj), obj.buffer, obj.byteOffset, obj.byteLength);
  if (obj instanceof ArrayBuffer) return bytesOf('ArrayBuffer', obj, 0, obj.byteLength);
  if (obj instanceof RegExp) return `RegExp(${JSON.stringify(obj.source)},${JSON.stringify(obj.flags)})`;
  return canonInstance(obj, stack);
}

function canonCustom(obj: object, method: () => unknown, stack: object[]): string {
  const material = method.call(obj);
  if (material === obj)
    throw new KeyFault('[cacheKey]() returned the object itself; return plain key material');
  return child(material, stack, { raw: '.[cacheKey]()' });
}

function canonPlain(obj: Record<string, unknown>, stack: object[]): string {
  if (Object.getOwnPropertySymbols(obj).length > 0) {
    throw new KeyFault('an object with symbol-keyed properties cannot form a key');
  }
  const keys = sortStrings(Object.keys(obj));
  let out = '{';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue; // { a: undefined } keys like {}
    if (out.length > 1) out += ',';
    out += `${quote(k)}:${child(v, stack, k)}`;
  }
  return `${out}}`;
}

function canonArray(arr: readonly unknown[], stack: object[]): string {
  let out = '[';
  for (let i = 0; i < arr.length; i++) {
    if (i > 0) out += ',';
    out += child(arr[i], stack, i);
  }
  return `${out}]`;
}

function canonMap(map: ReadonlyMap<unknown, unknown>, stack: object[]): string {
  const entries: string[] = [];
  for (const [k, v] of map) {
    const ck = child(k, stack, { raw: '.<Map key>' });
    entries.push(`${ck}=>${child(v, stack, { raw: `.get(${ck})` })}`);
  }
  return `Map{${sortStrings(entries).join(',')}}`;
}

function canonSet(set: ReadonlySet<unknown>, stack: object[]): string {
  const items: string[] = [];
  for (const v of set) items.push(child(v, stack, { raw: '.<Set element>' }));
  return `Set[${sortStrings(items).join(',')}]`;
}

/** `Uint8Array`, `Float64Array`, `DataView`, … (a `Buffer` reports `Uint8Array`). */
function tagOf(view: ArrayBufferView): string {
  return Object.prototype.toString.call(view).slice(8, -1);
}

function bytesOf(tag: string, buffer: ArrayBufferLike, offset: number, length: number): string {
  return `${tag}(${Buffer.from(buffer, offset, length).toString('base64')})`;
}

function canonInstance(obj: object, stack: object[]): string {
  const name = constructorName(obj);
  if (typeof (obj as { then?: unknown }).then === 'function') {
    throw new KeyFault('a Promise (or thenable) cannot be part of a key; await it first');
  }
  if (obj instanceof WeakMap || obj instanceof WeakSet || obj instanceof WeakRef) {
    throw new KeyFault(`a ${name} cannot be enumerated, so it cannot form a key`);
  }
  if (!('id' in obj)) {
    throw new KeyFault(
      `a ${name} instance has neither a [cacheKey]() method nor an id property (implement [cacheKey] or use the \`key\` option)`,
    );
  }
  const id = (obj as { id: unknown }).id;
  if (id === undefined || id === null)
    throw new KeyFault(`a ${name} instance has an empty id (${String(id)})`);
  return `${name}#${child(id, stack, 'id')}`;
}

function constructorName(obj: object): string {
  const ctor: unknown = (Object.getPrototypeOf(obj) as { constructor?: unknown } | null)?.constructor;
  const name: unknown = typeof ctor === 'function' ? ctor.name : undefined;
  return typeof name === 'string' && name !== '' ? name : 'anonymous';
}

function canonArg(value: unknown, index: number, stack: object[]): string {
  try {
    return canon(value, stack);
  } catch (e) {
    if (e instanceof KeyFault) throw new InvalidKeyError(formatPath(index, e.steps), e.reason);
    throw e;
  }
}

/**
 * The canonical string of an argument list: equal arguments give the same string in every
 * process, whatever the order in which object keys, `Map` entries or `Set` elements were added.
 *
 * Strings are JSON-quoted, so `1` and `'1'` differ; `null`, `undefined`, `NaN`, `±Infinity` and
 * bigints (`1n`) are kept apart; `-0` keys as `0`. Plain and null-prototype objects key by their
 * sorted own properties, skipping properties whose value is `undefined` (`{ a: undefined }` keys
 * like `{}`); arrays by position; `Date` by time; `Map` and `Set` by their sorted canonical
 * entries; typed arrays, `Buffer`, `DataView` and `ArrayBuffer` by their bytes; `RegExp` by source
 * and flags. Objects implementing {@link cacheKey} key as the value it returns; other class
 * instances with an `id` property key as `ClassName#id`.
 *
 * Anything else (functions, symbols, Promises, WeakMaps, class instances without `[cacheKey]` or
 * `id`, cycles, nesting beyond 100 levels) throws `InvalidKeyError`, whose `path` names the
 * position: `argument 0`, `argument 1.filter.cb`, `argument 0.items[2]`.
 */
export function stableKey(args: readonly unknown[]): string {
  if (args.length === 1) {
    const only = args[0];
    if (typeof only === 'number') return String(only);
    if (typeof only === 'string') return quote(only);
  }
  const stack: object[] = [];
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0) out += ',';
    out += canonArg(args[i], i, stack);
  }
  return out;
}
