/**
 * Runs a Node script (through tsx) in a child process and waits, within a bound, for it to exit
 * by itself; a child still running after `limitMs` is killed and reported as `exited: false`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ScriptRun {
  /** Whether the process exited on its own within the limit. */
  readonly exited: boolean;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const ROOT = join(__dirname, '..', '..');

/** `node [...nodeArgs] --import tsx <script> ...args`, from the repository root. */
export function runScript(
  script: string,
  args: readonly string[],
  options: { nodeArgs?: readonly string[]; limitMs?: number } = {},
): Promise<ScriptRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...(options.nodeArgs ?? []), script, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    let exited = true;
    const limit = setTimeout(() => {
      exited = false;
      child.kill('SIGKILL');
    }, options.limitMs ?? 20_000);
    child.once('exit', (code) => {
      clearTimeout(limit);
      resolve({ exited, code, stdout, stderr });
    });
  });
}

/** The last JSON line a script printed. */
export function lastJson<T = Record<string, unknown>>(stdout: string): T {
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as T;
}
