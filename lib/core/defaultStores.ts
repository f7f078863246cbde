import type { Store } from '../stores/Store.js';

/**
 * The stores `core/` uses when none is given. `core/` never imports a concrete store: the
 * package entry (`lib/index.ts`) installs these once, at load time.
 */
export interface StoreDefaults {
  /** The store of `createCache()` without `store`: a new memory store. */
  memory(): Store;
  /** The store a `TAGCACHE_URL` names (`memory://`, `redis://…`, `file:///…`, `null://`). */
  fromUrl(url: string): Store;
}

let installed: StoreDefaults | undefined;

/** Installs the default stores (the package entry does; tests of `core/` alone may too). */
export function installStoreDefaults(defaults: StoreDefaults): void {
  installed = defaults;
}

function defaults(): StoreDefaults {
  if (installed === undefined)
    throw new Error(
      "tagcache: no default store installed: import tagcache from its entry ('tagcache'), which installs memoryStore and storeFromUrl",
    );
  return installed;
}

/** A new store for a cache created without one. */
export function newDefaultStore(): Store {
  return defaults().memory();
}

/** The store of the process default cache: the one `TAGCACHE_URL` names, memory when unset. */
export function environmentStore(): Store {
  const url = process.env['TAGCACHE_URL'];
  return url ? defaults().fromUrl(url) : defaults().memory();
}
