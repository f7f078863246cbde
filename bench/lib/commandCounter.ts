/**
 * Counts the commands clients send to Redis while a piece of code runs, with `MONITOR` on a
 * connection of its own. Commands that scripts run inside the server (`[0 lua]` lines) are not
 * counted: they are not round trips. Marker `ECHO`s bracket the window.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';

/** Commands seen in a window, by lower-case command name. */
export interface CommandCount {
  readonly total: number;
  readonly byCommand: ReadonlyMap<string, number>;
}

export interface CommandCounter {
  /** Runs `fn` and counts the client commands Redis received meanwhile. */
  count(fn: () => Promise<void>): Promise<CommandCount>;
  close(): Promise<void>;
}

const LINE = /^\S+ \[\d+ ([^\]]+)\] "([^"]*)"(?: "([^"]*)")?/;

/**
 * Connects a monitor and a marker client to `url`.
 *
 * @example
 * ```ts
 * const counter = await commandCounter(url);
 * const { total } = await counter.count(() => cached('item:1').then(() => undefined));
 * ```
 */
export async function commandCounter(url: string): Promise<CommandCounter> {
  const monitor = createClient({ url });
  const marker = createClient({ url, commandOptions: { timeout: 0 } });
  monitor.on('error', () => undefined);
  marker.on('error', () => undefined);
  await Promise.all([monitor.connect(), marker.connect()]);

  let listener: ((source: string, command: string, arg: string | undefined) => void) | undefined;
  await monitor.monitor((reply: unknown) => {
    const m = LINE.exec(String(reply));
    if (m !== null && listener !== undefined) listener(m[1]!, m[2]!.toLowerCase(), m[3]);
  });

  const count = async (fn: () => Promise<void>): Promise<CommandCount> => {
    const start = `bench-start-${randomUUID()}`;
    const end = `bench-end-${randomUUID()}`;
    const byCommand = new Map<string, number>();
    let open = false;
    let total = 0;
    const done = new Promise<void>((resolve) => {
      listener = (source, command, arg) => {
        if (command === 'echo' && arg === start) open = true;
        else if (command === 'echo' && arg === end) resolve();
        else if (open && source !== 'lua') {
          total += 1;
          byCommand.set(command, (byCommand.get(command) ?? 0) + 1);
        }
      };
    });
    await marker.echo(start);
    await fn();
    await marker.echo(end);
    await done;
    listener = undefined;
    return { total, byCommand };
  };

  return {
    count,
    close: async () => {
      monitor.destroy();
      await marker.close();
    },
  };
}
