/**
 * Counting the commands clients send to a Redis node with MONITOR (on its own connection).
 * Lines a Lua script runs (`[0 lua]`) are not commands a client sent, and are left out.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';

export interface Monitor {
  /** Client-sent command lines (not from Lua) containing `needle`, since the last `reset`. */
  sent(needle: string): string[];
  /** Waits until every command sent before this call has been seen. */
  sync(): Promise<void>;
  reset(): void;
  stop(): Promise<void>;
}

/** The command name of a MONITOR line (`… [0 127.0.0.1:5000] "EVALSHA" …` → `EVALSHA`). */
export function commandOf(line: string): string {
  return /\] "([^"]+)"/.exec(line)?.[1]?.toUpperCase() ?? '?';
}

/** Starts MONITOR on the node at `url`. */
export async function monitorNode(url: string): Promise<Monitor> {
  const lines: string[] = [];
  const monitorClient = createClient({ url });
  const control = createClient({ url });
  await Promise.all([monitorClient.connect(), control.connect()]);
  await monitorClient.monitor((line: string) => {
    lines.push(line);
  });
  const sync = async (): Promise<void> => {
    const mark = `sync-${randomUUID()}`;
    await control.sendCommand(['ECHO', mark]);
    const deadline = Date.now() + 5000;
    while (!lines.some((l) => l.includes(mark))) {
      if (Date.now() > deadline) throw new Error('MONITOR did not see the sync mark');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return {
    sent: (needle) => lines.filter((l) => l.includes(needle) && !l.includes('[0 lua]')),
    sync,
    reset: () => {
      lines.length = 0;
    },
    async stop() {
      monitorClient.destroy();
      await control.close();
    },
  };
}
