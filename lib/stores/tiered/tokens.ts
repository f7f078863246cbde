/**
 * Epoch tokens of the tiered store. The epoch a tiered read returns must carry two clocks: the
 * local sequence number of the memory tier at the read (for the in-process race) and the L2
 * epoch (for L2's own conditional write). Core treats epochs as opaque numbers compared with
 * `===` (equal epochs join one in-process flight), so the store hands out small numbers interned
 * per (kind, local seq, L2 epoch): two reads with the same clocks get the same token.
 *
 * Tokens live in a bounded table; a write whose token was evicted is refused (a lost write, never
 * a wrong one).
 *
 * @packageDocumentation
 */
import { LRUCache } from 'lru-cache';
import type { Epoch } from '../Store.js';

/** What a token stands for. */
export interface TokenInfo {
  /** Local sequence number of the memory tier when the read started. */
  readonly seq: number;
  /** The L2 epoch of the read. */
  readonly l2: Epoch;
  /** The read was a hit: a write with this token replaces an entry other processes may hold. */
  readonly replacing: boolean;
}

/**
 * The token table.
 *
 * @example
 * ```ts
 * const tokens = createTokens();
 * const t = tokens.token(false, 3, 17);
 * tokens.lookup(t); // { seq: 3, l2: 17, replacing: false }
 * ```
 */
export interface Tokens {
  token(replacing: boolean, seq: number, l2: Epoch): number;
  lookup(token: Epoch): TokenInfo | undefined;
}

/**
 * Creates a token table holding at most `max` tokens.
 *
 * @example
 * ```ts
 * const tokens = createTokens(100_000);
 * ```
 */
export function createTokens(max = 100_000): Tokens {
  const byKey = new LRUCache<string, number>({ max });
  const byToken = new LRUCache<number, TokenInfo>({ max });
  let next = 1;
  return Object.freeze({
    token(replacing: boolean, seq: number, l2: Epoch): number {
      const key = `${replacing ? 'h' : 'm'}${seq}|${typeof l2}:${String(l2)}`;
      const known = byKey.get(key);
      if (known !== undefined && byToken.has(known)) return known;
      const t = next++;
      byKey.set(key, t);
      byToken.set(t, { seq, l2, replacing });
      return t;
    },
    lookup: (token: Epoch) => (typeof token === 'number' ? byToken.get(token) : undefined),
  });
}
