/**
 * Starts `storeChild.ts` in a separate Node process (through tsx) and talks to it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ChildStore {
  readonly pid: number;
  request<T = unknown>(req: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

export async function startChildStore(url: string): Promise<ChildStore> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, '__tests__', 'setup', 'storeChild.ts'), url],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const replies = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  replies.on('line', (line) => waiting.shift()?.(line));
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('child store did not answer')), 20_000);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, unknown>);
      });
    });
  const ready = await next();
  return {
    pid: Number(ready['ready']),
    async request<T>(req: Record<string, unknown>): Promise<T> {
      const reply = next();
      child.stdin!.write(JSON.stringify(req) + '\n');
      const r = await reply;
      if ('error' in r) throw new Error(String(r['error']));
      return r['result'] as T;
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.write(JSON.stringify({ op: 'close' }) + '\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
