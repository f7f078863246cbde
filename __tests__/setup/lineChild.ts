/**
 * Starts a child Node process (a script of this folder, through tsx) that serves requests over
 * stdin/stdout with `serveLines` (serveLines.ts): one JSON line `{ id, ... }` in, one
 * `{ id, result | error }` out, matched by id (so a child may answer out of order). The first
 * line, id 0, carries the child's pid once it is ready.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A running child. */
export interface LineChild {
  readonly pid: number;
  /** Sends one request; rejects with the child's error, or when it does not answer in time. */
  request<T = unknown>(req: Record<string, unknown>): Promise<T>;
  /** Sends a signal (SIGSTOP, SIGCONT, SIGKILL) to the process. */
  signal(sig: NodeJS.Signals): void;
  /** Asks the child to close (continuing it first if stopped) and waits for it to exit (SIGKILL after 5 s). */
  close(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

/**
 * Starts `__tests__/setup/<script>` with `arg` and waits until it is ready. `what` names the child
 * in the error of a request it does not answer within `answerMs`.
 */
export async function startLineChild(
  script: string,
  arg: string,
  what: string,
  answerMs = 20_000,
): Promise<LineChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, '__tests__', 'setup', script), arg], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
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
        () =>
          reject(new Error(`${what} did not answer ${req === undefined ? '(start)' : JSON.stringify(req)}`)),
        answerMs,
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
    signal: (sig) => void child.kill(sig),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.stdin!.write(JSON.stringify({ op: 'close', id: next++ }) + '\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
