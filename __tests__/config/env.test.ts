import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ENVIRONMENT_VARIABLES, InvalidOptionsError, readEnvironment } from '../../lib/index.js';

const ROOT = join(__dirname, '..', '..');
const CHILD = join(__dirname, 'fixtures', 'envChild.ts');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the child with only these tagcache variables set. */
function runChild(vars: Record<string, string>): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('TAGCACHE_')) env[k] = v;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CHILD],
      { cwd: ROOT, env: { ...env, ...vars }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const resultOf = (run: Run): Record<string, unknown> => {
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`no RESULT line; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  return JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
};

describe('environment variables of the default cache (child processes)', () => {
  it('configures namespace, version, TTL, debug lines and metrics', async () => {
    const run = await runChild({
      TAGCACHE_URL: 'memory://',
      TAGCACHE_NAMESPACE: 'shop',
      TAGCACHE_VERSION: '7',
      TAGCACHE_TTL: '10m',
      TAGCACHE_DEBUG: '1',
      TAGCACHE_METRICS: 'true',
    });
    const result = resultOf(run);
    expect(result).toMatchObject({
      namespace: 'shop',
      version: '7',
      ttl: 600_000,
      enabled: true,
      store: 'memory',
      runs: 1,
    });
    expect(result['metrics']).toEqual({ hits: 1, misses: 1, invalidations: 1 });
    expect(result['key']).toBe('getUser:1');
    const key = String(result['storedKey']);
    expect(key).toBe('7:getUser:1');
    const debug = run.stdout.split('\n').filter((l) => l.startsWith('['));
    expect(debug.map((l) => l.split(' ')[0])).toEqual(['[MISS]', '[WRITE]', '[HIT]', '[INVALIDATE]']);
    expect(debug[0]).toMatch(
      new RegExp(`^\\[MISS\\] key=${key} name=getUser duration_ms=\\d+\\.\\d\\d cache=default$`),
    );
    expect(debug[1]).toMatch(/ ttl=600000 tags=@fn:getUser,user:1 cache=default$/);
    expect(debug[2]).toMatch(
      new RegExp(`^\\[HIT\\] key=${key} name=getUser duration_ms=\\S+ ttl=\\d+ cache=default$`),
    );
  });

  it('TAGCACHE_ENABLED=0 turns the default cache off; nothing is logged or counted by default', async () => {
    const off = resultOf(await runChild({ TAGCACHE_ENABLED: '0' }));
    expect(off).toMatchObject({ enabled: false, runs: 2, namespace: 'tc', metrics: null });
    const plain = await runChild({});
    expect(resultOf(plain)).toMatchObject({ enabled: true, runs: 1, metrics: null, ttl: 300_000 });
    expect(plain.stdout.split('\n').filter((l) => l.startsWith('['))).toEqual([]);
  });

  it('rejects a bad value with an error naming the variable', async () => {
    const run = await runChild({ TAGCACHE_TTL: 'banana' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('InvalidOptionsError: Invalid option "TAGCACHE_TTL"');
    expect(run.stderr).toContain('got "banana"');
  });

  it('TAGCACHE_TTL_SHORT|DEFAULT|LONG set the presets of every cache (default TTL included)', async () => {
    const run = await runChild({
      TAGCACHE_TTL_SHORT: '5s',
      TAGCACHE_TTL_DEFAULT: '90000',
      TAGCACHE_TTL_LONG: '2h',
    });
    expect(resultOf(run)).toMatchObject({
      ttl: 90_000,
      namedDefaultTtl: 90_000,
      namedShortSeconds: 5,
      namedLongSeconds: 7200,
    });
    const plain = resultOf(await runChild({}));
    expect(plain).toMatchObject({ namedShortSeconds: 30, namedLongSeconds: 3600, namedDefaultTtl: 300_000 });
  });

  it.each([
    ['TAGCACHE_TTL_SHORT', 'soon'],
    ['TAGCACHE_TTL_DEFAULT', '0'],
    ['TAGCACHE_TTL_LONG', '-2h'],
  ])('rejects %s=%s with an error naming the variable', async (name, value) => {
    const run = await runChild({ [name]: value });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`InvalidOptionsError: Invalid option "${name}"`);
    expect(run.stderr).toContain(`got ${JSON.stringify(value)}`);
    expect(run.stdout).not.toContain('RESULT ');
  });
});

describe('the TTL preset variables (in this process)', () => {
  it('are read once, the first time a cache is made, and kept', () => {
    const before = process.env['TAGCACHE_TTL_DEFAULT'];
    try {
      jest.isolateModules(() => {
        const lib = jest.requireActual<typeof import('../../lib/index.js')>('../../lib/index.js');
        process.env['TAGCACHE_TTL_DEFAULT'] = '7s';
        const first = lib.createCache({ store: lib.memoryStore(), logger: false });
        process.env['TAGCACHE_TTL_DEFAULT'] = '9s';
        const second = lib.createCache({ store: lib.memoryStore(), logger: false });
        expect([first.defaultTtl, second.defaultTtl]).toEqual([7000, 7000]);
      });
    } finally {
      if (before === undefined) delete process.env['TAGCACHE_TTL_DEFAULT'];
      else process.env['TAGCACHE_TTL_DEFAULT'] = before;
    }
  });
});

describe('readEnvironment', () => {
  it('parses every variable, ignoring unset and empty ones', () => {
    expect(
      readEnvironment({
        TAGCACHE_URL: 'redis://cache:6379',
        TAGCACHE_ENABLED: 'off',
        TAGCACHE_NAMESPACE: ' app ',
        TAGCACHE_VERSION: '3',
        TAGCACHE_TTL: '1500',
        TAGCACHE_DEBUG: 'YES',
        TAGCACHE_METRICS: '',
        TAGCACHE_TTL_SHORT: '45s',
        TAGCACHE_TTL_DEFAULT: ' 120000 ',
        TAGCACHE_TTL_LONG: '1d',
      }),
    ).toEqual({
      url: 'redis://cache:6379',
      enabled: false,
      namespace: 'app',
      version: '3',
      ttl: 1500,
      debug: true,
      ttlShort: 45_000,
      ttlDefault: 120_000,
      ttlLong: 86_400_000,
    });
    expect(readEnvironment({})).toEqual({});
  });

  it.each([
    ['TAGCACHE_ENABLED', 'maybe', /expected 1, 0, true, false/],
    ['TAGCACHE_DEBUG', '2', /expected 1, 0/],
    ['TAGCACHE_METRICS', 'enabled', /expected 1, 0/],
    ['TAGCACHE_TTL', '0', /positive duration/],
    ['TAGCACHE_TTL', '-5m', /positive duration/],
    ['TAGCACHE_URL', 'localhost:6379', /memory:\/\/, redis:\/\//],
    ['TAGCACHE_TTL_SHORT', 'soon', /positive duration/],
    ['TAGCACHE_TTL_DEFAULT', '0', /positive duration/],
    ['TAGCACHE_TTL_LONG', '-1h', /positive duration/],
  ])('%s=%s throws InvalidOptionsError naming it', (name, value, why) => {
    let error: unknown;
    try {
      readEnvironment({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe(name);
    expect((error as Error).message).toMatch(why);
  });

  it('is documented: the table of docs/configuration.md has one row per variable, and no other', () => {
    const page = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    const rows = [...page.matchAll(/^\| `(TAGCACHE_[A-Z_]+)`/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(ENVIRONMENT_VARIABLES.map((v) => v.name).sort());
    expect(ENVIRONMENT_VARIABLES.map((v) => v.name)).toEqual(
      expect.arrayContaining(['TAGCACHE_TTL_SHORT', 'TAGCACHE_TTL_DEFAULT', 'TAGCACHE_TTL_LONG']),
    );
  });
});
