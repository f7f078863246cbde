#!/usr/bin/env node
// Makes sure the workspace is ready before `npm test`, `npm run demo`, `npm run bench`.
// Plain Node, no dependencies: it must work before `npm ci` has ever run.
//
//   node scripts/ensure-setup.mjs                     dependencies only
//   node scripts/ensure-setup.mjs --need-redis        ... and redis-server must be on PATH
//   node scripts/ensure-setup.mjs --need-redis-if-url ... and redis-server must be on PATH when
//                                                     TAGCACHE_URL is a redis://, rediss:// or
//                                                     redis-cluster:// URL
//
// 1. If node_modules is missing or older than package-lock.json, runs `npm ci`
// 2. Checks for redis-server as asked; if missing, says how to install it and exits 1.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const known = new Set(['--need-redis', '--need-redis-if-url']);
for (const a of args) {
  if (!known.has(a)) {
    console.error(`ensure-setup: unknown argument ${a} (expected one of ${[...known].join(', ')})`);
    process.exit(2);
  }
}

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`ensure-setup: Node ${process.versions.node} is too old; tagcache needs Node >= 20.`);
  process.exit(1);
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function dependenciesOutdated() {
  const nodeModules = join(root, 'node_modules');
  if (!existsSync(nodeModules)) return 'node_modules is missing';
  const lock = mtime(join(root, 'package-lock.json'));
  // npm writes node_modules/.package-lock.json after every install; fall back to the folder itself.
  const installed = mtime(join(nodeModules, '.package-lock.json')) ?? mtime(nodeModules);
  if (lock !== undefined && installed !== undefined && lock > installed) {
    return 'package-lock.json is newer than node_modules';
  }
  return undefined;
}

const why = dependenciesOutdated();
if (why) {
  console.log(`ensure-setup: ${why}; running npm ci`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const npmRun = (npmArgs) =>
    spawnSync(npm, npmArgs, { cwd: root, stdio: 'inherit', shell: npm.endsWith('.cmd') });
  const r = npmRun(['ci']);
  if (r.status !== 0) {
    console.error(
      `ensure-setup: installing dependencies failed (${r.error?.message ?? `exit code ${r.status}`})`,
    );
    process.exit(1);
  }
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

const url = process.env.TAGCACHE_URL ?? '';
const needRedis =
  args.has('--need-redis') ||
  (args.has('--need-redis-if-url') && /^(redis|rediss|redis-cluster):/i.test(url));

if (needRedis && !onPath('redis-server')) {
  const reason = args.has('--need-redis') ? 'the tests and benchmarks need it' : `TAGCACHE_URL is ${url}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  console.error(
    [
      '',
      `ensure-setup: redis-server was not found on PATH (${reason}).`,
      'Install it, then run the command again:',
      isRoot
        ? '    apt-get update && apt-get install -y redis-server'
        : '    sudo apt-get update && sudo apt-get install -y redis-server',
      '  (Debian/Ubuntu; macOS: brew install redis)',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
