/**
 * Starts `historyChild.ts` processes and talks to them: requests carry an id, so each child
 * handles many at once.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { HistoryChildConfig } from './historyChild.js';

export type { HistoryChildConfig, HistoryRead } from './historyChild.js';

export interface HistoryChild {
  readonly pid: number;
  request<T = unknown>(req: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

export async function startHistoryChild(config: HistoryChildConfig): Promise<HistoryChild> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, '__tests__', 'setup', 'historyChild.ts'), JSON.stringify(config)],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const waiting = new Map<number, (r: Record<string, unknown>) => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const r = JSON.parse(line) as Record<string, unknown>;
    const id = Number(r['id']);
    waiting.get(id)?.(r);
    waiting.delete(id);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let next = 1;
  const call = (req: Record<string, unknown> | undefined, id: number): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`history child did not answer ${JSON.stringify(req)}`)),
        30_000,
      );
      waiting.set(id, (r) => {
        clearTimeout(timer);
        if ('error' in r) reject(new Error(String(r['error'])));
        else resolve(r['result']);
      });
      if (req !== undefined) child.stdin!.write(JSON.stringify({ ...req, id }) + '\n');
    });
  const pid = Number(await call(undefined, 0));
  return {
    pid,
    request: <T>(req: Record<string, unknown>) => call(req, next++) as Promise<T>,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.write(JSON.stringify({ op: 'close', id: next++ }) + '\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
