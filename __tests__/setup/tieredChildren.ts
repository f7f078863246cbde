/**
 * Starts `tieredChild.ts` processes (each a separate Node process with its own tiered store) and
 * talks to them, one JSON line per request.
 */
import { startLineChild, type LineChild } from './lineChild.js';
import type { TieredChildConfig } from './tieredChild.js';

export type { ReadReply } from './tieredChild.js';

export type TieredChild = LineChild;

export function startTieredChild(config: TieredChildConfig): Promise<TieredChild> {
  return startLineChild('tieredChild.ts', JSON.stringify(config), 'tiered child');
}

/** Starts `n` children with the same config and waits until each serves its memory tier. */
export async function startTieredChildren(n: number, config: TieredChildConfig): Promise<TieredChild[]> {
  const children = await Promise.all(Array.from({ length: n }, () => startTieredChild(config)));
  const serving = await Promise.all(children.map((c) => c.request<boolean>({ op: 'serving' })));
  if (!serving.every(Boolean)) throw new Error('a tiered child never started serving its memory tier');
  return children;
}
