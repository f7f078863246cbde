/**
 * Turns values into strings for remote stores and back. `deserialize` must never execute code.
 *
 * @example
 * ```ts
 * const upper: Serializer = { serialize: (v) => JSON.stringify(v), deserialize: (s) => JSON.parse(s) };
 * createCache({ serializer: upper });
 * ```
 */
export interface Serializer {
  /** A name recorded in events (`default`, `json`, or your own). */
  readonly name?: string;
  serialize(value: unknown): string;
  deserialize(payload: string): unknown;
}
