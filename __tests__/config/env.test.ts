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
      }),
    ).toEqual({
      url: 'redis://cache:6379',
      enabled: false,
      namespace: 'app',
      version: '3',
      ttl: 1500,
      debug: true,
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

  it('is documented: docs/configuration.md lists every variable', () => {
    const page = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    for (const v of ENVIRONMENT_VARIABLES)
      expect([v.name, page.includes(`| \`${v.name}\``)]).toEqual([v.name, true]);
  });
});
