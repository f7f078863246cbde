/**
 * The `tagcache` bin as the tests run it: lib/cli/main.ts bundled by esbuild (the bundler tsup
 * uses, same settings: ESM, node20, dependencies external, shebang kept) into a directory of
 * this repository (so `redis` and `commander` resolve from its node_modules), then run with
 * `node` as a child process. Building only this entry takes well under a second; the tsup build of
 * the whole package, and the bin in the packed tarball, are checked by `npm run check:package`.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface BuiltCli {
  readonly file: string;
  run(args: readonly string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** Runs it attached to a pseudo-terminal (util-linux `script`): stdin and stdout are TTYs. */
  runOnTerminal(args: readonly string[]): Promise<CliResult>;
  dispose(): void;
}

/** Environment without the caller's TAGCACHE_* variables (tests set what they need). */
function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('TAGCACHE_') || k.startsWith('TAGCACHE_TEST_')) env[k] = v;
  for (const [k, v] of Object.entries(extra))
    if (v === undefined) delete env[k];
    else env[k] = v;
  return env;
}

/** At most this many CLI processes at once (each loads node-redis: ~0.5 s of CPU on this machine). */
const PARALLEL = 3;
let active = 0;
const queue: (() => void)[] = [];

async function limited<T>(job: () => Promise<T>): Promise<T> {
  if (active >= PARALLEL) await new Promise<void>((r) => queue.push(r));
  active += 1;
  try {
    return await job();
  } finally {
    active -= 1;
    queue.shift()?.();
  }
}

export async function buildCli(): Promise<BuiltCli> {
  // esbuild is tsup's own bundler (installed with it).
  const esbuild = (await import('esbuild')) as typeof import('esbuild');
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.tmp', 'cli-'));
  const file = join(dir, 'cli.mjs');
  await esbuild.build({
    entryPoints: [join(ROOT, 'lib', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: file,
    logLevel: 'error',
  });
  const run = (args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliResult> =>
    limited(
      () =>
        new Promise<CliResult>((resolve) => {
          execFile(
            process.execPath,
            [file, ...args],
            { env: cleanEnv(env), timeout: 25_000 },
            (error, stdout, stderr) => {
              const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
              resolve({ code, stdout, stderr });
            },
          );
        }),
    );
  const runOnTerminal = (args: readonly string[]): Promise<CliResult> =>
    new Promise((resolve) => {
      const command = [process.execPath, file, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        env: cleanEnv({}),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr: '' }));
    });
  return { file, run, runOnTerminal, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A TCP port nothing listens on (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Asserts an error run: a non-zero exit and exactly one line on stderr, without a stack trace. */
export function oneLineError(r: CliResult): string {
  const lines = r.stderr.trimEnd().split('\n');
  if (r.code === 0 || lines.length !== 1 || !lines[0]?.startsWith('tagcache: ') || /\n\s+at /.test(r.stderr))
    throw new Error(`expected a one-line error and a non-zero exit, got ${JSON.stringify(r)}`);
  return lines[0];
}
