/**
 * Child scripts for process-level tests, run with `node --import tsx scriptChild.ts MODE URL`:
 * - `no-close`: caches a call through `createCache({ store: storeFromUrl(URL) })`, prints what
 *   it saw, and never closes anything: the process must exit by itself;
 * - `ready`: creates a Redis store from URL, prints how `ready()` and a first `get` end.
 */
import { createCache, storeFromUrl, withCache } from '../../lib/index.js';

const [mode, url] = process.argv.slice(2);
if (url === undefined) throw new Error('usage: scriptChild.ts no-close|ready URL');

const print = (o: unknown): void => void process.stdout.write(JSON.stringify(o) + '\n');
const failure = (e: unknown) => ({
  name: (e as Error).name,
  code: (e as { code?: string }).code,
  message: String((e as Error).message),
});

if (mode === 'no-close') {
  const store = storeFromUrl(url);
  // Connect first, so that the first call's connection does not count against its timeout.
  await store.ready?.().catch(() => undefined);
  const cache = createCache({ store, namespace: `exit-${process.pid}-${Date.now()}` });
  const double = withCache(async (n: number) => n * 2, { cache, name: 'double' });
  const first = await double(21);
  const second = await double(21);
  print({ first, second, hits: double.stats().hits, errors: double.stats().errors });
} else {
  const store = storeFromUrl(url);
  const ready = await (store.ready?.() ?? Promise.resolve()).then(() => 'ok', failure);
  const get = await Promise.resolve(store.get('ns', 'k')).then(() => 'ok', failure);
  print({ ready, get });
  await store.close();
}
