/**
 * Starts `tieredChild.ts` processes (each a separate Node process with its own tiered store) and
 * talks to them, one JSON line per request.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TieredChildConfig } from './tieredChild.js';

export type { ReadReply } from './tieredChild.js';

export interface TieredChild {
  readonly pid: number;
  request<T = unknown>(req: Record<string, unknown>): Promise<T>;
  /** Sends a signal (SIGSTOP, SIGCONT, SIGKILL) to the process. */
  signal(sig: NodeJS.Signals): void;
  close(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

export async function startTieredChild(config: TieredChildConfig): Promise<TieredChild> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, '__tests__', 'setup', 'tieredChild.ts'), JSON.stringify(config)],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const replies = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  replies.on('line', (line) => waiting.shift()?.(line));
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('tiered child did not answer')), 20_000);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, unknown>);
      });
    });
  const ready = await next();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    pid: Number(ready['ready']),
    async request<T>(req: Record<string, unknown>): Promise<T> {
      const reply = next();
      child.stdin!.write(JSON.stringify(req) + '\n');
      const r = await reply;
      if ('error' in r) throw new Error(String(r['error']));
      return r['result'] as T;
    },
    signal: (sig) => void child.kill(sig),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.stdin!.write(JSON.stringify({ op: 'close' }) + '\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts `n` children with the same config and waits until each serves its memory tier. */
export async function startTieredChildren(n: number, config: TieredChildConfig): Promise<TieredChild[]> {
  const children = await Promise.all(Array.from({ length: n }, () => startTieredChild(config)));
  const serving = await Promise.all(children.map((c) => c.request<boolean>({ op: 'serving' })));
  if (!serving.every(Boolean)) throw new Error('a tiered child never started serving its memory tier');
  return children;
}
