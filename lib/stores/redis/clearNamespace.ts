/**
 * `clear`: SCAN every master for the namespace's keys and UNLINK them, one command per group (one
 * slot) and batch, keeping each group's epoch counter and control hash (the clocks must never go
 * back, or a computation that started before the clear could write afterwards).
 *
 * @packageDocumentation
 */
import { StoreError } from '../../errors.js';
import type { NodeSender, RedisLink } from './link.js';

const SCAN_COUNT = '1000';

function parseScan(reply: unknown): [string, string[]] {
  if (Array.isArray(reply) && typeof reply[0] === 'string' && Array.isArray(reply[1])) {
    return [reply[0], reply[1].filter((k): k is string => typeof k === 'string')];
  }
  throw new StoreError(
    'ERR_STORE',
    `Unexpected Redis reply to SCAN: ${JSON.stringify(reply)?.slice(0, 200)}`,
  );
}

/** Whether `key` is a group's epoch counter (`…}:e`) or control hash (`…}:c`). */
const isClock = (key: string, prefixes: ReadonlySet<string>): boolean =>
  (key.endsWith('e') || key.endsWith('c')) && prefixes.has(key.slice(0, -1));

async function unlinkBySlot(link: RedisLink, keys: readonly string[]): Promise<void> {
  const bySlot = new Map<string, string[]>();
  for (const key of keys) {
    const group = key.slice(0, key.indexOf('}') + 1);
    const list = bySlot.get(group);
    if (list) list.push(key);
    else bySlot.set(group, [key]);
  }
  await Promise.all([...bySlot.values()].map((ks) => link.send(ks[0] as string, ['UNLINK', ...ks])));
}

async function clearNode(
  link: RedisLink,
  send: NodeSender,
  pattern: string,
  prefixes: ReadonlySet<string>,
): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = parseScan(await send(['SCAN', cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT]));
    cursor = next;
    const doomed = keys.filter((k) => !isClock(k, prefixes));
    if (doomed.length > 0) await unlinkBySlot(link, doomed);
  } while (cursor !== '0');
}

/**
 * Removes every key matching `pattern` on every master, except the groups' clocks.
 *
 * @example
 * ```ts
 * await clearNamespace(link, 'tc:{app|*', new Set(['tc:{app|0}:']));
 * ```
 */
export async function clearNamespace(
  link: RedisLink,
  pattern: string,
  prefixes: ReadonlySet<string>,
): Promise<void> {
  const masters = await link.masters();
  await Promise.all(masters.map((send) => clearNode(link, send, pattern, prefixes)));
}
