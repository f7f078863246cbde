/**
 * The URL form of the tiered store, for `TAGCACHE_URL` and `storeFromUrl`:
 * `tiered+redis://…`, `tiered+rediss://…`, `tiered+redis-cluster://h:p,h:p`, `tiered+rediss-cluster://…`.
 *
 * @packageDocumentation
 */
import { InvalidOptionsError } from '../../errors.js';
import type { Store } from '../Store.js';
import type { TieredBusConnection, TieredStoreOptions } from './options.js';
import { tieredStore } from './tieredStore.js';

/** Query parameters the tiered store takes; the others go to the L2 URL (`groups`, `prefix`). */
const TIERED_PARAMS = ['lease', 'coherence', 'maxEntries', 'maxBytes', 'busPrefix'] as const;

const bad = (url: string, why: string): InvalidOptionsError =>
  new InvalidOptionsError(
    'url',
    `${why} in ${JSON.stringify(url.replace(/^([a-z+-]+:\/\/[^:@/]*:)[^@]*@/i, '$1***@'))}`,
  );

function positiveInt(url: string, raw: string | null, name: string): number | undefined {
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw bad(url, `${name} must be a positive integer`);
  return n;
}

/** `redis://…` as is; `redis-cluster://[auth@]h:p,h:p` as root node URLs. */
function busOf(url: string, inner: string): TieredBusConnection {
  const q = inner.indexOf('?');
  const base = q < 0 ? inner : inner.slice(0, q);
  if (/^rediss?:\/\//i.test(base)) return { url: base };
  const tls = /^rediss-cluster:/i.test(base);
  const rest = base.slice(base.indexOf('://') + 3).replace(/\/$/, '');
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at + 1) : '';
  const hosts = (at >= 0 ? rest.slice(at + 1) : rest).split(',').filter((h) => h.length > 0);
  if (hosts.length === 0) throw bad(url, 'expected host:port[,host:port…]');
  return { rootNodes: hosts.map((h) => `${tls ? 'rediss' : 'redis'}://${auth}${h}`) };
}

function tieredOptions(url: string, params: URLSearchParams): Omit<TieredStoreOptions, 'l2' | 'bus'> {
  const coherence = params.get('coherence');
  if (coherence !== null && coherence !== 'strict' && coherence !== 'eventual')
    throw bad(url, 'coherence must be strict or eventual');
  const lease = params.get('lease');
  const maxEntries = positiveInt(url, params.get('maxEntries'), 'maxEntries');
  const maxBytes = positiveInt(url, params.get('maxBytes'), 'maxBytes');
  const prefix = params.get('busPrefix');
  return {
    ...(coherence === null ? {} : { coherence }),
    ...(lease === null ? {} : { lease: /^\d+$/.test(lease) ? Number(lease) : lease }),
    ...(prefix === null ? {} : { prefix }),
    l1: {
      ...(maxEntries === undefined ? {} : { maxEntries }),
      ...(maxBytes === undefined ? {} : { maxBytes }),
    },
  };
}

/**
 * Builds a tiered store from `tiered+<redis URL>[?lease=2s&coherence=strict&maxEntries=N&maxBytes=N&busPrefix=P]`;
 * the inner URL (with its own `groups` and `prefix`) is handed to `l2FromUrl`.
 *
 * @example
 * ```ts
 * import { storeFromUrl } from 'tagcache';
 * const store = storeFromUrl('tiered+redis://localhost:6379?lease=2s&maxEntries=50000');
 * ```
 */
export function tieredFromUrl(url: string, l2FromUrl: (url: string) => Store): Store {
  const inner = url.trim().replace(/^tiered\+/i, '');
  if (!/^rediss?(-cluster)?:\/\//i.test(inner))
    throw bad(url, 'expected tiered+redis://, tiered+rediss:// or tiered+redis-cluster://');
  const q = inner.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : inner.slice(q + 1));
  const options = tieredOptions(url, params);
  for (const name of TIERED_PARAMS) params.delete(name);
  const rest = params.toString();
  const l2Url = (q < 0 ? inner : inner.slice(0, q)) + (rest.length > 0 ? `?${rest}` : '');
  const bus = busOf(url, inner);
  return tieredStore({ ...options, l2: l2FromUrl(l2Url) as Store<string>, bus });
}
