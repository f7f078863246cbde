import { WARNING_EVENTS, type CacheEvent } from '../events/CacheEvent.js';

export type { Logger, LoggerObject } from '../events/logLevels.js';

const LOGGED = WARNING_EVENTS;
const QUIET_MS = 10_000;

/**
 * Turns events into log lines, at most one line per event type and cache every 10 s
 * (with the count of those skipped), so a dead store cannot flood the log.
 */
export function eventLogger(logger: (line: string) => void): (e: CacheEvent) => void {
  const last = new Map<string, { at: number; skipped: number }>();
  return (e) => {
    if (!LOGGED.has(e.type)) return;
    const id = `${e.cache}:${e.type}`;
    const now = Date.now();
    const seen = last.get(id);
    if (e.type !== 'circuit' && seen !== undefined && now - seen.at < QUIET_MS) {
      seen.skipped += 1;
      return;
    }
    const skipped = seen?.skipped ? ` (${seen.skipped} similar skipped)` : '';
    last.set(id, { at: now, skipped: 0 });
    logger(`[tagcache] ${describeEvent(e)}${skipped}`);
  };
}

function describeEvent(e: CacheEvent): string {
  switch (e.type) {
    case 'store-error':
      return `cache "${e.cache}": store ${e.op} failed (${e.error.code}: ${e.error.message}); serving from the function`;
    case 'decode-error':
      return `cache "${e.cache}": entry ${e.key} could not be decoded and was removed (${e.error.message})`;
    case 'serialize-error':
      return `cache "${e.cache}": result of ${e.name} could not be serialized and was not cached (${e.error.message})`;
    case 'circuit':
      return `cache "${e.cache}": circuit breaker ${e.state}`;
    case 'refresh-error':
      return `cache "${e.cache}": background refresh of ${e.key} failed (${e.error instanceof Error ? e.error.message : String(e.error)})`;
    case 'entity-unresolved':
      return `cache "${e.cache}": entity('${e.entity}') found nothing in a non-empty result of ${e.name} (${e.reason === 'path' ? 'its path leads nowhere' : 'no object has a usable id'}); invalidateEntity('${e.entity}', …) will not reach that entry`;
    default:
      return `cache "${e.cache}": ${e.type}`;
  }
}
