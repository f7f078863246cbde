/**
 * The Redis the benchmark runs against: `REDIS_URL` when given, else a throwaway redis-server
 * started on a free loopback port (no persistence) and killed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import { pinnedCommand, placement } from './placement.js';

export interface BenchRedis {
  readonly url: string;
  /** True when the script started the server (and may flush it freely). */
  readonly owned: boolean;
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, child: ChildProcess, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      await client.close();
      return;
    } catch {
      client.destroy();
      if (Date.now() > deadline) throw new Error(`redis-server at ${url} did not answer within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Uses `REDIS_URL` if set; otherwise spawns `redis-server --port P --save '' --appendonly no`
 * (pinned to a CPU, see placement.ts).
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * try { … } finally { await redis.stop(); }
 * ```
 */
export async function startRedis(): Promise<BenchRedis> {
  const given = process.env['REDIS_URL'];
  if (given) return { url: given, owned: false, stop: () => Promise.resolve() };
  const port = await freePort();
  const [command, args] = pinnedCommand(placement().redis, 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `redis://127.0.0.1:${port}`;
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  await waitForPing(url, child, Date.now() + 10_000);
  return {
    url,
    owned: true,
    stop: async () => {
      process.off('exit', kill);
      await stopChild(child);
    },
  };
}
