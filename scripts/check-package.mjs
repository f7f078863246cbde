#!/usr/bin/env node
// Checks the *packed* package (run after `npm run build`; `npm run check:package` does both):
//   1. `npm pack` into a temporary directory;
//   2. `publint --strict <tarball>`;
//   3. `attw <tarball>` (@arethetypeswrong/cli) in every resolution mode, node10 included: without
//      `exports` support, the subpaths find their types through `typesVersions` in package.json;
//   4. the tarball holds LICENSE, README.md and CHANGELOG.md, and package.json names the
//      repository, homepage and issue tracker (what the npm page links to);
//   5. a runtime smoke test of the unpacked tarball: every entry loads with `require` and `import`
//      through the package's own `exports`, and the root entry never loads `redis` nor
//      `@opentelemetry/api` (optional peer dependencies);
//   6. the `tagcache` bin: package.json `bin` points into the tarball, the file starts with a
//      shebang and is executable, and the installed bin (node_modules/.bin/tagcache) runs:
//      `--help`, and real commands on a `file://` store (set, then `keys`, `get`, `ping`).
// The temporary directory is always removed. Exits 1 if any step fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, existsSync, statSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const ENTRIES = ['tagcache', 'tagcache/testing', 'tagcache/redis', 'tagcache/otel'];

function run(title, cmd, args, opts = {}) {
  console.log(`\n▶ ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) console.error(r.error.message);
  return r.status === 0;
}

/** The static (non-dynamic) import specifiers of an ESM file, following relative chunks. */
function staticImports(file, seen = new Set()) {
  if (seen.has(file)) return [];
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  const re = /(?:^|[\s;}])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"']+)["']/g;
  const out = [];
  for (const m of src.matchAll(re)) {
    const spec = m[1];
    if (spec.startsWith('.')) out.push(...staticImports(resolve(dirname(file), spec), seen));
    else out.push(spec);
  }
  return out;
}

const SMOKE_CJS = `
const Module = require('node:module');
const loaded = [];
const load = Module._load;
Module._load = function (request, ...rest) { loaded.push(request); return load.call(this, request, ...rest); };
const entries = ${JSON.stringify(ENTRIES)};
const root = require(entries[0]);
if (Object.keys(root).length === 0) throw new Error('require("tagcache") has no exports');
const redisLoads = [...new Set(loaded.filter((r) => /^(redis|@redis\\/client|@opentelemetry\\/api)$/.test(r)))];
if (redisLoads.length) throw new Error('require("tagcache") loaded ' + redisLoads.join(', '));
for (const e of entries.slice(1)) require(e);
console.log('  require: ok (' + entries.join(', ') + '); root entry does not load redis nor @opentelemetry/api');
`;

const SMOKE_ESM = `
const entries = ${JSON.stringify(ENTRIES)};
for (const e of entries) {
  const m = await import(e);
  if (Object.keys(m).length === 0) throw new Error('import("' + e + '") has no exports');
}
console.log('  import: ok (' + entries.join(', ') + ')');
`;

function smoke(pkgDir) {
  console.log('\n▶ runtime smoke test of the unpacked tarball');
  let ok = true;
  const rootEsm = join(pkgDir, 'dist', 'index.js');
  if (existsSync(rootEsm)) {
    const bad = staticImports(rootEsm).filter((s) => /^(redis|@redis\/|@opentelemetry\/)/.test(s));
    if (bad.length) {
      console.error(`  ✗ dist/index.js statically imports ${bad.join(', ')}`);
      ok = false;
    }
  }
  for (const [flag, code] of [
    ['--input-type=commonjs', SMOKE_CJS],
    ['--input-type=module', SMOKE_ESM],
  ]) {
    const r = spawnSync(process.execPath, [flag, '-e', code], { cwd: pkgDir, stdio: 'inherit' });
    if (r.status !== 0) ok = false;
  }
  return ok;
}

/** Files every tarball must hold, and the package.json fields the npm page links from. */
function checkContents(info) {
  console.log('\n▶ package contents and metadata');
  const packed = new Set(info.files.map((f) => f.path));
  const problems = ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']
    .filter((f) => !packed.has(f))
    .map((f) => `${f} is not in the tarball`);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const field of ['license', 'repository', 'homepage', 'bugs']) {
    if (!pkg[field]) problems.push(`package.json has no "${field}"`);
  }
  for (const p of problems) console.error(`  ✗ ${p}`);
  if (problems.length === 0)
    console.log('  ok: LICENSE, README.md, CHANGELOG.md; license, repository, homepage, bugs');
  return problems.length === 0;
}

/** Runs the installed bin; returns its stdout, or throws with what it printed. */
function runBin(binPath, args, cwd) {
  const r = spawnSync(binPath, args, { cwd, encoding: 'utf8', env: { ...process.env, TAGCACHE_URL: '' } });
  if (r.status !== 0)
    throw new Error(`tagcache ${args.join(' ')} exited ${r.status}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

const SEED_FILE_STORE = `
import { createCache, fileStore } from 'tagcache';
const cache = createCache({ store: fileStore({ dir: process.argv[1] }), logger: false });
await cache.set('user:1', { name: 'Ada' }, { tags: ['user:1'] });
await cache.close();
`;

/** The bin: declared, packed, executable, and it runs from node_modules/.bin like `npx tagcache`. */
function checkBin(info, tmp, pkgDir) {
  console.log('\n▶ the tagcache bin');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const target = pkg.bin?.tagcache?.replace(/^\.\//, '');
  if (!target || !info.files.some((f) => f.path === target)) {
    console.error(`  ✗ package.json bin.tagcache (${target}) is not in the tarball`);
    return false;
  }
  const file = join(pkgDir, target);
  if (
    !readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n') ||
    (statSync(file).mode & 0o111) === 0
  ) {
    console.error(`  ✗ ${target} lacks its shebang or is not executable`);
    return false;
  }
  // Install the unpacked package as a dependency of an app, as npm would, bin link included.
  const app = join(tmp, 'app');
  mkdirSync(join(app, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(pkgDir, join(app, 'node_modules', 'tagcache'), 'dir');
  symlinkSync(join('..', 'tagcache', target), join(app, 'node_modules', '.bin', 'tagcache'));
  const bin = join(app, 'node_modules', '.bin', 'tagcache');
  try {
    if (!runBin(bin, ['--help'], app).includes('Usage: tagcache')) throw new Error('--help printed no usage');
    const store = join(tmp, 'store');
    const seed = spawnSync(process.execPath, ['--input-type=module', '-e', SEED_FILE_STORE, store], {
      cwd: pkgDir,
      stdio: 'inherit',
    });
    if (seed.status !== 0) throw new Error('could not seed the file store');
    const url = pathToFileURL(store).href;
    const keys = runBin(bin, ['--url', url, 'keys'], app);
    const value = runBin(bin, ['--url', url, 'get', 'user:1'], app);
    const ping = runBin(bin, ['--url', url, 'ping'], app);
    if (!/^user:1 +fresh/m.test(keys) || value.trim() !== "{ name: 'Ada' }" || !ping.startsWith('PONG'))
      throw new Error(`unexpected output: ${JSON.stringify({ keys, value, ping })}`);
    console.log(`  ok: ${target} (shebang, executable); --help, keys, get and ping on ${url}`);
    return true;
  } catch (e) {
    console.error(`  ✗ ${e instanceof Error ? e.message : e}`);
    return false;
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'tagcache-pack-'));
let ok = true;
try {
  console.log(`▶ npm pack --pack-destination ${tmp}`);
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stdout}`);
  const [info] = JSON.parse(pack.stdout);
  const tarball = join(tmp, info.filename);
  console.log(`  ${info.filename}: ${info.entryCount} files, ${info.size} bytes packed`);
  for (const f of info.files) console.log(`    ${f.path}`);

  ok = run('publint', bin('publint'), ['run', '--strict', tarball]) && ok;
  ok = run('attw', bin('attw'), [tarball, '--no-emoji', '--no-color']) && ok;
  ok = checkContents(info) && ok;

  if (!run('unpack', 'tar', ['-xzf', tarball, '-C', tmp])) throw new Error('tar failed');
  const pkgDir = join(tmp, 'package');
  symlinkSync(join(root, 'node_modules'), join(pkgDir, 'node_modules'), 'dir');
  ok = smoke(pkgDir) && ok;
  ok = checkBin(info, tmp, pkgDir) && ok;
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  ok = false;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(ok ? '\n✔ package checks passed' : '\n✘ package checks FAILED');
process.exit(ok ? 0 : 1);
