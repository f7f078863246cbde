/**
 * The data every subject caches: the same keys and ~1 KB JSON values, and a loader that counts
 * how often it runs.
 */

/** Number of distinct keys the hit workloads cycle through. */
export const KEY_COUNT = 256;

/** The logical key of item `i`: every subject caches under this (plus its own prefix). */
export const keyOf = (i: number): string => `item:${i}`;

/** The keys of the hit workloads. */
export const KEYS: readonly string[] = Array.from({ length: KEY_COUNT }, (_, i) => keyOf(i));

/** A JSON object of about 1 KB describing item `key`. */
export function makeValue(key: string): Record<string, unknown> {
  const n = Number(key.slice(key.lastIndexOf(':') + 1)) || 0;
  return {
    id: key,
    sku: `SKU-${String(n).padStart(8, '0')}`,
    name: `Product number ${n}, a sturdy thing`,
    price: { amount: 1999 + n, currency: 'EUR', vat: 0.2 },
    stock: { warehouse: 'north', available: n % 17, reserved: n % 5 },
    tags: ['kitchen', 'garden', 'tools', 'outdoor', 'sale'],
    dimensions: { width: 12.5, height: 30, depth: 8.25, unit: 'cm' },
    ratings: [5, 4, 4, 3, 5, 5, 4, 2, 5, 4],
    updatedAt: '2024-05-01T12:00:00.000Z',
    seller: { id: `seller:${n % 100}`, name: 'Acme Supplies Ltd.', country: 'DE', verified: true },
    description:
      'A reliable product made of recycled steel and sustainably sourced wood, built to last for years of daily use. ' +
      'Ships in plastic-free packaging. Dishwasher safe, rust resistant, and covered by a five year warranty. ' +
      'Assembly takes about ten minutes with the included tools; spare parts are available on request.',
    features: ['waterproof', 'foldable', 'lightweight', 'recyclable', 'warranty-5y', 'spare-parts'],
    shipping: { days: 2 + (n % 3), free: n % 2 === 0, carrier: 'DHL' },
    related: [n + 1, n + 2, n + 3, n + 5, n + 8].map((r) => `item:${r}`),
  };
}

/** Size of a value as JSON, in bytes. */
export const VALUE_BYTES = JSON.stringify(makeValue(keyOf(0))).length;

/** The three tags of item `key` in the tagged variants. */
export function tagsOf(key: string): string[] {
  const n = Number(key.slice(key.lastIndexOf(':') + 1)) || 0;
  return ['items', `seller:${n % 100}`, `shelf:${n % 10}`];
}

/** A loader (the "function being cached") that counts its runs and can take some time. */
export interface Loader {
  (key: string): Promise<Record<string, unknown>>;
  runs(): number;
  reset(): void;
}

/**
 * Makes a counting loader; `delayMs` > 0 makes each run take that long (stampede workloads).
 *
 * @example
 * ```ts
 * const load = countingLoader();
 * await load('item:1'); load.runs(); // 1
 * ```
 */
export function countingLoader(delayMs = 0): Loader {
  let runs = 0;
  const load = async (key: string): Promise<Record<string, unknown>> => {
    runs += 1;
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    return makeValue(key);
  };
  return Object.assign(load, { runs: () => runs, reset: () => void (runs = 0) });
}
