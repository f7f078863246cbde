import { SerializationError } from '../errors.js';
import { defaultSerializer } from '../serializers/defaultSerializer.js';
import { jsonSerializer } from '../serializers/jsonSerializer.js';
import { plainCopy } from '../serializers/plainCopy.js';
import type { Serializer } from '../serializers/Serializer.js';
import type { DecodedSlot } from '../stores/Store.js';
import type { Runtime } from './runtime.js';
import type { ErrorClass } from './types.js';

interface PlainError {
  readonly name: string;
  /** The constructor's name, kept when it differs from `name` (`class NotFound extends Error {}`). */
  readonly kind?: string;
  readonly message: string;
  readonly props: Record<string, unknown>;
}

function toPlainError(e: unknown): PlainError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), props: { thrown: e } };
  const props: Record<string, unknown> = {};
  for (const k of Object.keys(e)) if (k !== 'stack') props[k] = (e as unknown as Record<string, unknown>)[k];
  const kind = (e.constructor as { name?: unknown } | undefined)?.name;
  const plain = { name: e.name, message: e.message, props };
  return typeof kind === 'string' && kind !== e.name ? { ...plain, kind } : plain;
}

function fromPlainError(plain: PlainError, classes: readonly ErrorClass[]): Error {
  const cls =
    (plain.kind === undefined ? undefined : classes.find((c) => c.name === plain.kind)) ??
    classes.find((c) => c.name === plain.name);
  const err: Error = cls === undefined ? new Error(plain.message) : (Object.create(cls.prototype) as Error);
  Object.defineProperty(err, 'message', { value: plain.message, writable: true, configurable: true });
  if (cls === undefined) err.name = plain.name;
  Object.assign(err, plain.props);
  return err;
}

/**
 * Turns a value (or a cached error) into what the cache's store keeps: the value itself for
 * in-process stores, a serialized string otherwise. Throws SerializationError.
 */
export function encodePayload(runtime: Runtime, value: unknown, isError: boolean): unknown {
  if (runtime.store.holdsValues) return value;
  try {
    return runtime.serializer.serialize(isError ? toPlainError(value) : value);
  } catch (e) {
    throw e instanceof SerializationError
      ? e
      : new SerializationError(`could not serialize: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}

/** Whether `serializer` decodes `payload` with a bare `JSON.parse` (so a plain copy equals a re-parse). */
const decodesAsJson = (serializer: Serializer, payload: string): boolean =>
  serializer === defaultSerializer ? payload.charCodeAt(0) === 0x6a /* 'j' */ : serializer === jsonSerializer;

/**
 * The inverse of {@link encodePayload}; throws SerializationError for an undecodable payload.
 *
 * With the `slot` of an in-process store's hit, a payload the serializer decodes as plain JSON
 * is parsed once: its decoded template stays in the slot (never handed out) and every hit gets a
 * structural copy of it, equal to what a new parse would give and about five times cheaper.
 */
export function decodePayload(
  runtime: Runtime,
  payload: unknown,
  isError: boolean,
  classes: readonly ErrorClass[],
  slot?: DecodedSlot,
): unknown {
  if (runtime.store.holdsValues) return payload;
  if (slot !== undefined && slot.decoded !== undefined && !isError) return plainCopy(slot.decoded);
  if (typeof payload !== 'string')
    throw new SerializationError(`expected a string payload, got ${typeof payload}`);
  let value: unknown;
  try {
    value = runtime.serializer.deserialize(payload);
  } catch (e) {
    throw e instanceof SerializationError
      ? e
      : new SerializationError(`could not decode: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
  // The parsed value becomes the template and the caller gets a copy: the template (long-lived)
  // then comes from the parser, and `plainCopy` only ever makes short-lived copies. Were the
  // templates made by `plainCopy` too, V8 would see its allocation sites' objects survive and
  // pretenure them, and every hit's copy would then be allocated in the old generation (about
  // 1.6× the time per copied hit, from GC).
  if (slot !== undefined && !isError && decodesAsJson(runtime.serializer, payload)) {
    slot.decoded = value;
    return plainCopy(value);
  }
  if (!isError) return value;
  const p = value as Partial<PlainError> | null;
  if (p === null || typeof p !== 'object' || typeof p.message !== 'string')
    throw new SerializationError('cached error has no message');
  return fromPlainError(
    {
      name: String(p.name ?? 'Error'),
      message: p.message,
      props: (p.props ?? {}) as Record<string, unknown>,
      ...(typeof p.kind === 'string' ? { kind: p.kind } : {}),
    },
    classes,
  );
}
