/**
 * Starts `storeChild.ts` in a separate Node process (through tsx) and talks to it.
 */
import { startLineChild, type LineChild } from './lineChild.js';

export type ChildStore = LineChild;

export function startChildStore(url: string): Promise<ChildStore> {
  return startLineChild('storeChild.ts', url, 'child store');
}
