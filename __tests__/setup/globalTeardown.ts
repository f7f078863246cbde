/**
 * Jest global teardown: stops the servers globalSetup started and removes their directories.
 */
import { takeHandles } from './handles.js';

export default async function globalTeardown(): Promise<void> {
  const { server, cluster } = takeHandles();
  await Promise.all([server?.destroy(), cluster?.destroy()]);
}
