/**
 * Redis Cluster hash slots (CRC16/XMODEM of the key's hash tag, modulo 16384) and the stable
 * string hash that assigns cache keys to groups.
 *
 * @packageDocumentation
 */

/** Number of hash slots of a Redis Cluster. */
export const SLOT_COUNT = 16384;

const CRC16_TABLE: readonly number[] = (() => {
  const table: number[] = [];
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table.push(crc);
  }
  return table;
})();

/**
 * CRC16/XMODEM of the UTF-8 bytes of `s`, as Redis Cluster computes it.
 *
 * @example
 * ```ts
 * crc16('123456789'); // 0x31c3
 * ```
 */
export function crc16(s: string): number {
  let crc = 0;
  for (const byte of Buffer.from(s, 'utf8')) {
    crc = ((crc << 8) & 0xffff) ^ (CRC16_TABLE[((crc >> 8) ^ byte) & 0xff] as number);
  }
  return crc;
}

/**
 * The cluster slot of a key: only the part between the first `{` and the next `}` is hashed
 * when it is non-empty (a hash tag), as in Redis.
 *
 * @example
 * ```ts
 * keySlot('tc:{app|0}:e') === keySlot('tc:{app|0}:k:user:1'); // true
 * ```
 */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key.slice(open + 1, close)) % SLOT_COUNT;
  }
  return crc16(key) % SLOT_COUNT;
}

/**
 * FNV-1a (32 bits) over the UTF-16 code units of `s`: a fast hash that every process computes
 * alike, used to assign a cache key to one of the namespace's groups.
 *
 * @example
 * ```ts
 * fnv1a('user:1') % 64; // the group of key `user:1` among 64
 * ```
 */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
