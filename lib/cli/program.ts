/**
 * The `tagcache` command line (commander): global options, one subcommand per operation, and
 * the error policy: one line on stderr and a non-zero exit (2 for bad input: usage, options, URL;
 * 1 for failures: unreachable store, missing entry), never a stack trace.
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { InvalidOptionsError } from '../errors.js';
import { get, inspectKey, keys } from './entryCommands.js';
import { CliError, oneLine, type CliIo } from './output.js';
import { info, ping, stats } from './statusCommands.js';
import { openTarget, type GlobalOptions, type Target } from './target.js';
import { clearCmd, deleteCmd, invalidate, invalidateEntityCmd } from './writeCommands.js';

/** The version in the package.json above the running script (`npx` runs a symlink to dist/cli.js). */
function packageVersion(): string {
  const script = process.argv[1];
  if (script === undefined) return 'unknown';
  let dir = dirname(existsSync(script) ? realpathSync(script) : script);
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'tagcache' && pkg.version !== undefined) return pkg.version;
  }
  return 'unknown';
}

function positiveInt(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

type Run = (t: Target, g: GlobalOptions, io: CliIo, ...args: never[]) => Promise<void>;

/** A commander action: open the target, run, close; the last argument commander passes is the command. */
function action(io: CliIo, run: Run, pick: (args: unknown[], opts: Record<string, unknown>) => unknown[]) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const g = cmd.optsWithGlobals<GlobalOptions>();
    const t = await openTarget(g);
    try {
      await (run as (...a: unknown[]) => Promise<void>)(t, g, io, ...pick(args.slice(0, -2), cmd.opts()));
    } finally {
      await t.close();
    }
  };
}

function globalOptions(program: Command): Command {
  return program
    .option(
      '--url <url>',
      'store URL: redis://, rediss://, redis-cluster://h:p,h:p, file:///dir (default: $TAGCACHE_URL)',
    )
    .option('-n, --namespace <namespace>', 'cache namespace', process.env['TAGCACHE_NAMESPACE'] ?? 'tc')
    .option(
      '--version <version>',
      'cache version (the key prefix keyOf adds)',
      process.env['TAGCACHE_VERSION'] ?? '1',
    )
    .option('--json', 'print one JSON document instead of tables', false)
    .option('--timeout <duration>', 'give up on the store after this long', '5s');
}

function addCommands(program: Command, io: CliIo): void {
  const none = () => [];
  program
    .command('ping')
    .description('round-trip time to the store')
    .action(action(io, ping, none));
  program
    .command('info')
    .description('store kind, server version, memory, entries per namespace')
    .action(action(io, info, none));
  program
    .command('stats')
    .description('keys of the namespace per group: entries, tag and delete markers, locks, clocks')
    .action(action(io, stats, none));
  program
    .command('keys [pattern]')
    .description('entries of the namespace matching a glob (* ? [a-z]), with state, TTL left and tags')
    .option('--limit <n>', 'list at most this many keys', positiveInt, 1000)
    .action(action(io, keys as Run, (a, o) => [a[0] ?? '*', o['limit']]));
  program
    .command('get <key>')
    .description('decoded value of a fresh entry (exit 1 when none)')
    .action(action(io, get as Run, (a) => [a[0]]));
  program
    .command('inspect <key>')
    .description(
      'value, tags and their markers, created at, TTL, epoch, and whether a read serves it now (and why not)',
    )
    .action(action(io, inspectKey as Run, (a) => [a[0]]));
  program
    .command('invalidate <tags...>')
    .description('invalidate every entry carrying one of the tags (invalidateTags)')
    .option('--stale', 'mark them stale instead (served by stale-serving policies while they refresh)', false)
    .action(action(io, invalidate as Run, (a, o) => [a[0], o['stale']]));
  program
    .command('invalidate-entity <type> <id>')
    .description('invalidate every entry holding the entity type:id (invalidateEntity)')
    .action(action(io, invalidateEntityCmd as Run, (a) => [a[0], a[1]]));
  program
    .command('delete <keys...>')
    .description('delete keys, or every key matching a glob (* ? [a-z]: --yes on a terminal)')
    .option('-y, --yes', 'confirm a pattern delete', false)
    .action(action(io, deleteCmd as Run, (a, o) => [a[0], o['yes']]));
  program
    .command('clear')
    .description('remove every entry of the namespace (--yes on a terminal)')
    .option('-y, --yes', 'confirm', false)
    .action(action(io, clearCmd as Run, (_a, o) => [o['yes']]));
}

/**
 * Builds the program, writing through `io`.
 *
 * @example
 * ```ts
 * const program = buildProgram(io);
 * await program.parseAsync(['node', 'tagcache', 'ping']);
 * ```
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('tagcache')
    .description(
      'Look inside a tagcache store and act on it: ping, info, stats, keys, get, inspect, invalidate, delete, clear.',
    )
    .version(packageVersion(), '-V, --cli-version', 'print the tagcache version')
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => write(`tagcache: ${oneLine(s)}\n`),
    })
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();
  addCommands(globalOptions(program), io);
  return program;
}

/**
 * Runs the CLI on `argv` (`process.argv` form) and resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv, io);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    io.err(`tagcache: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    return e instanceof CliError ? e.exitCode : e instanceof InvalidOptionsError ? 2 : 1;
  }
}
