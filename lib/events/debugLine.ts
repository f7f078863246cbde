import type { CacheEvent } from './CacheEvent.js';

const NEEDS_QUOTES = /[\s"=]/;
const value = (v: string): string => (v === '' || NEEDS_QUOTES.test(v) ? JSON.stringify(v) : v);
const ms = (d: number | undefined): string => (d === undefined ? '' : ` duration_ms=${d.toFixed(2)}`);

/**
 * The debug line of an event (`createCache({ debug: true })` or `TAGCACHE_DEBUG=1`), or undefined
 * for events without one. One line per hit, stale hit, miss, write, refused write, invalidation
 * and store error, as `key=value` pairs (values with spaces are JSON-quoted); `ttl` is in ms.
 */
export function debugLine(e: CacheEvent): string | undefined {
  const cache = ` cache=${value(e.cache)}`;
  switch (e.type) {
    case 'hit':
      return `[HIT] key=${value(e.key)} name=${value(e.name)}${ms(e.durationMs)}${e.ttl === undefined ? '' : ` ttl=${Math.round(e.ttl)}`}${cache}`;
    case 'stale-hit':
      return `[STALE] key=${value(e.key)} name=${value(e.name)}${ms(e.durationMs)} reason=${e.reason}${cache}`;
    case 'miss':
      return `[MISS] key=${value(e.key)} name=${value(e.name)}${ms(e.durationMs)}${cache}`;
    case 'write':
      return `[WRITE] key=${value(e.key)} name=${value(e.name)}${ms(e.durationMs)} ttl=${Math.round(e.ttl)} tags=${value(e.tags.join(','))}${cache}`;
    case 'write-refused':
      return `[REFUSED] key=${value(e.key)} name=${value(e.name)}${ms(e.durationMs)} reason=invalidated-while-computing${cache}`;
    case 'invalidate':
      return `[INVALIDATE] tags=${value(e.tags.join(','))} mode=${e.mode}${ms(e.durationMs)}${cache}`;
    case 'delete':
      return `[INVALIDATE] keys=${value(e.keys.join(','))}${e.name === undefined ? '' : ` name=${value(e.name)}`}${ms(e.durationMs)}${cache}`;
    case 'clear':
      return `[CLEAR]${ms(e.durationMs)}${cache}`;
    case 'store-error':
      return `[STORE_ERROR] op=${e.op}${e.key === undefined ? '' : ` key=${value(e.key)}`} code=${e.error.code} error=${value(e.error.message)}${cache}`;
    default:
      return undefined;
  }
}
