/**
 * Starts `historyChild.ts` processes and talks to them: requests carry an id, so each child
 * handles many at once.
 */
import { startLineChild, type LineChild } from './lineChild.js';
import type { HistoryChildConfig } from './historyChild.js';

export type { HistoryChildConfig, HistoryRead } from './historyChild.js';

export type HistoryChild = LineChild;

export function startHistoryChild(config: HistoryChildConfig): Promise<HistoryChild> {
  return startLineChild('historyChild.ts', JSON.stringify(config), 'history child', 30_000);
}
