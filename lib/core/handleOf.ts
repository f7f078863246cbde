import type { Cache } from './createCache.js';
import type { Runtime } from './runtime.js';

const handles = new WeakMap<Runtime, Cache>();

/**
 * Remembers the handle of a runtime (internal; `createCache` calls it).
 */
export function linkHandle(runtime: Runtime, cache: Cache): void {
  handles.set(runtime, cache);
}

/**
 * The handle of a runtime (internal; `currentCache`).
 */
export function handleOf(runtime: Runtime): Cache | undefined {
  return handles.get(runtime);
}
