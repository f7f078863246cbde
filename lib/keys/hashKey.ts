/**
 * Bounds the length of key material.
 *
 * @packageDocumentation
 */
import * as nodeCrypto from 'node:crypto';

/** SHA-256 as base64url: the one-shot `crypto.hash` where it exists (Node ≥ 20.12), else `createHash`. */
const sha256: (text: string) => string =
  typeof nodeCrypto.hash === 'function'
    ? (text) => nodeCrypto.hash('sha256', text, 'base64url')
    : (text) => nodeCrypto.createHash('sha256').update(text).digest('base64url');

/** Characters of the SHA-256 digest (base64url) kept in a hashed key: 192 bits. */
const HASH_CHARS = 32;
/** Longest readable prefix kept in front of the digest. */
const MAX_PREFIX = 48;

/**
 * Returns `material` unchanged when it is at most `max` characters long; otherwise a readable
 * prefix of it, `~`, and 32 characters of its SHA-256 digest (base64url), at most `max`
 * characters in all. The same material always gives the same result, in every process.
 * `max` must be at least 32.
 */
export function hashKey(material: string, max = 120): string {
  if (material.length <= max) return material;
  if (!(max >= HASH_CHARS)) throw new RangeError(`hashKey: max must be at least ${HASH_CHARS}, got ${max}`);
  const digest = sha256(material).slice(0, HASH_CHARS);
  let prefixLength = Math.min(MAX_PREFIX, max - HASH_CHARS - 1);
  if (prefixLength <= 0) return digest;
  const last = material.charCodeAt(prefixLength - 1);
  if (last >= 0xd800 && last <= 0xdbff) prefixLength -= 1; // do not split a surrogate pair
  return `${material.slice(0, prefixLength)}~${digest}`;
}
