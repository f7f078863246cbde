/**
 * Helpers for tests that reset, stop or promote their own redis-server (never the suite's shared
 * servers): an admin client, the server's process id (to SIGSTOP it), waiting for replication,
 * and waiting until a store answers again after a restart.
 */
import { createClient } from 'redis';
import type { Store } from '../../lib/stores/Store.js';

function connectAdmin(url: string) {
  return createClient({ url, socket: { reconnectStrategy: 50 } });
}
export type Admin = ReturnType<typeof connectAdmin>;

/** A connected admin client; close it with `close()`. */
export async function adminOf(url: string): Promise<Admin> {
  const admin = connectAdmin(url);
  admin.on('error', () => undefined);
  await admin.connect();
  return admin;
}

/** The server's process id (`INFO server`). */
export async function pidOf(admin: Admin): Promise<number> {
  return Number(/process_id:(\d+)/.exec(await admin.info('server'))?.[1]);
}

/** Polls `check` every 20 ms until it holds; throws after `limitMs` (a bound, not a timing assertion). */
export async function until(what: string, check: () => Promise<boolean>, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until `store` answers a read again (after a restart of its server). */
export function storeAnswers(store: Store<string>, ns: string): Promise<void> {
  return until('the store to answer', async () => {
    await store.get(ns, 'ping');
    return true;
  });
}

/** Waits until the replica behind `replica` is in sync with its master. */
export function replicaSynced(replica: Admin): Promise<void> {
  return until('the replica to sync', async () =>
    /master_link_status:up/.test(await replica.info('replication')),
  );
}
