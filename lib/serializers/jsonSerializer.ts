/**
 * Plain JSON, for payloads that other languages read too.
 *
 * @packageDocumentation
 */
import { SerializationError } from '../errors.js';
import type { Serializer } from './Serializer.js';

/**
 * Encodes a value as plain JSON; see {@link jsonSerializer}.
 *
 * @example
 * ```ts
 * serializeJson({ a: 1 }); // '{"a":1}'
 * ```
 */
export function serializeJson(value: unknown): string {
  let out: string | undefined;
  try {
    out = JSON.stringify(value) as string | undefined;
  } catch (e) {
    throw new SerializationError(`Cannot serialize value as JSON: ${(e as Error).message}`, { cause: e });
  }
  if (out === undefined) throw new SerializationError(`Cannot serialize ${typeof value} as JSON`);
  return out;
}

/**
 * Decodes a JSON payload; see {@link jsonSerializer}.
 *
 * @example
 * ```ts
 * deserializeJson('{"a":1}'); // { a: 1 }
 * ```
 */
export function deserializeJson(payload: string): unknown {
  try {
    return JSON.parse(payload) as unknown;
  } catch (e) {
    throw new SerializationError(`Cannot decode JSON payload: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Plain JSON (`JSON.stringify` / `JSON.parse`, no prefix), for caches shared with services in
 * other languages. It is lossy the way JSON is: a `Date` comes back as its ISO string, `Map` and
 * `Set` as `{}`, `undefined` properties disappear, `NaN` becomes `null`. `BigInt`, cycles and a
 * top-level `undefined` or function throw a `SerializationError`. Prefer {@link defaultSerializer}
 * unless another language must read the entries.
 *
 * @example
 * ```ts
 * import { createCache, jsonSerializer, storeFromUrl } from 'tagcache';
 * const cache = createCache({ store: storeFromUrl('redis://localhost:6379'), serializer: jsonSerializer });
 * jsonSerializer.serialize({ id: 1 }); // '{"id":1}'
 * ```
 */
export const jsonSerializer: Serializer = Object.freeze({
  name: 'json',
  serialize: serializeJson,
  deserialize: deserializeJson,
});
