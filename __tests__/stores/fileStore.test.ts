import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidOptionsError, StoreError } from '../../lib/errors.js';
import { MARKER_MARGIN_MS as FILE_MARKER_MARGIN_MS } from '../../lib/stores/clock/markerMargin.js';
import { fileStore, type FileStoreOptions } from '../../lib/stores/fileStore.js';
import type { ReadResult, Store, StoreHit, WriteEntry } from '../../lib/stores/Store.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tagcache-file-'));
  dirs.push(d);
  return d;
}

/** A manual clock: tests move time explicitly, never by waiting. */
function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const entry = (tags: readonly string[] = [], over: Partial<WriteEntry<string>> = {}): WriteEntry<string> => ({
  payload: '"v"',
  tags,
  createdAt: 1,
  ttl: 60_000,
  grace: 0,
  error: false,
  ...over,
});

function hitOf(r: ReadResult<string>): StoreHit<string> {
  if (!r.hit) throw new Error('expected a hit');
  return r;
}
function missEpoch(r: ReadResult<string>): number {
  if (r.hit) throw new Error('expected a miss');
  return r.epoch;
}

/** The one namespace directory under `dir`. */
function spaceDir(dir: string): string {
  const names = readdirSync(dir);
  expect(names).toHaveLength(1);
  return join(dir, names[0] as string);
}
const entryFiles = (dir: string): string[] => readdirSync(join(spaceDir(dir), 'entries'));
function stateOf(dir: string): {
  epoch: number;
  floor: number;
  maxLife: number;
  tags: unknown[];
  keys: unknown[];
} {
  return JSON.parse(readFileSync(join(spaceDir(dir), 'state.json'), 'utf8')) as ReturnType<typeof stateOf>;
}

describe('fileStore', () => {
  let stores: Store<string>[] = [];
  const open = (opts: FileStoreOptions): Store<string> => {
    const s = fileStore(opts);
    stores.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    stores = [];
  });

  it('is a frozen store record of kind file holding strings', () => {
    const s = open({ dir: tempDir() });
    expect(s.kind).toBe('file');
    expect(s.holdsValues).toBe(false);
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('rejects bad and unknown options with an InvalidOptionsError naming the option', () => {
    const option = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionsError);
        return (e as InvalidOptionsError).option;
      }
      return undefined;
    };
    expect(option(() => fileStore({ dir: '' }))).toBe('dir');
    expect(option(() => fileStore(undefined as unknown as FileStoreOptions))).toBe('dir');
    expect(option(() => fileStore({ dir: tempDir(), maxEntries: 0 }))).toBe('maxEntries');
    expect(option(() => fileStore({ dir: tempDir(), maxEntries: 1.5 }))).toBe('maxEntries');
    expect(option(() => fileStore({ dir: tempDir(), now: 5 } as unknown as FileStoreOptions))).toBe('now');
    expect(option(() => fileStore({ dir: tempDir(), maxEntires: 10 } as unknown as FileStoreOptions))).toBe(
      'maxEntires',
    );
    expect(() => fileStore({ dir: tempDir(), maxEntires: 10 } as unknown as FileStoreOptions)).toThrow(
      'Invalid option "maxEntires": unknown option of fileStore',
    );
  });

  describe('survives a restart', () => {
    it('keeps entries, tags, epochs and markers', async () => {
      const dir = tempDir();
      const a = open({ dir });
      const start = missEpoch(await a.get('app', 'k1'));
      expect(await a.set('app', 'k1', entry(['t1'], { payload: '"one"', createdAt: 42 }), start)).toBe(true);
      expect(await a.set('app', 'k2', entry(['t2'], { payload: '"two"', error: true }))).toBe(true);
      await a.close();

      const b = open({ dir });
      const hit = hitOf(await b.get('app', 'k1'));
      expect(hit).toMatchObject({
        payload: '"one"',
        tags: ['t1'],
        createdAt: 42,
        state: 'fresh',
        error: false,
      });
      await b.invalidate('app', ['t1'], 'drop');
      await b.close();

      const c = open({ dir });
      const epochAfter = missEpoch(await c.get('app', 'k1'));
      expect(epochAfter).toBeGreaterThan(start);
      expect(hitOf(await c.get('app', 'k2'))).toMatchObject({
        payload: '"two"',
        error: true,
        state: 'fresh',
      });
    });

    it('refuses, after a restart, a write that straddled an invalidation before it', async () => {
      const dir = tempDir();
      const a = open({ dir });
      const epoch = missEpoch(await a.get('app', 'k'));
      await a.invalidate('app', ['user:1'], 'stale');
      await a.close();
      const b = open({ dir });
      expect(await b.set('app', 'k', entry(['user:1']), epoch)).toBe(false);
      expect(await b.set('app', 'k', entry(['user:2']), epoch)).toBe(true);
    });

    it('refuses, after a restart, a write that straddled a clear', async () => {
      const dir = tempDir();
      const a = open({ dir });
      const epoch = missEpoch(await a.get('app', 'k'));
      await a.clear('app');
      const b = open({ dir });
      expect(await b.set('app', 'k', entry(), epoch)).toBe(false);
      expect(await b.set('app', 'k', entry(), missEpoch(await b.get('app', 'k')))).toBe(true);
    });
  });

  describe('race-free tags', () => {
    it('refuses a write that straddles an invalidation of one of its tags', async () => {
      const s = open({ dir: tempDir() });
      const epoch = missEpoch(await s.get('app', 'k'));
      await s.invalidate('app', ['user:1'], 'drop');
      expect(await s.set('app', 'k', entry(['post:9', 'user:1']), epoch)).toBe(false);
      missEpoch(await s.get('app', 'k'));
      const next = missEpoch(await s.get('app', 'k'));
      expect(await s.set('app', 'k', entry(['post:9', 'user:1']), next)).toBe(true);
      hitOf(await s.get('app', 'k'));
    });

    it('refuses a write that straddles a delete of its key', async () => {
      const s = open({ dir: tempDir() });
      const epoch = missEpoch(await s.get('app', 'k'));
      await s.delete('app', ['k']);
      expect(await s.set('app', 'k', entry(), epoch)).toBe(false);
      expect(await s.set('app', 'other', entry(), epoch)).toBe(true);
    });

    it('drops entries carrying a hard-invalidated tag and removes their files', async () => {
      const dir = tempDir();
      const s = open({ dir });
      await s.set('app', 'a', entry(['t']));
      await s.set('app', 'b', entry(['u']));
      expect(entryFiles(dir)).toHaveLength(2);
      await s.invalidate('app', ['t'], 'drop');
      missEpoch(await s.get('app', 'a'));
      expect(entryFiles(dir)).toHaveLength(1);
      hitOf(await s.get('app', 'b'));
    });

    it('reports soft-invalidated entries as invalidated until rewritten', async () => {
      const s = open({ dir: tempDir() });
      await s.set('app', 'k', entry(['user:1'], { payload: '"old"' }));
      await s.invalidate('app', ['user:1'], 'stale');
      const stale = hitOf(await s.get('app', 'k'));
      expect(stale.state).toBe('invalidated');
      expect(stale.payload).toBe('"old"');
      expect(await s.set('app', 'k', entry(['user:1'], { payload: '"new"' }), stale.epoch)).toBe(true);
      expect(hitOf(await s.get('app', 'k'))).toMatchObject({ state: 'fresh', payload: '"new"' });
    });

    it('does not trust an entry written while an invalidation of its tag is being persisted', async () => {
      // Entries are stamped with the last epoch known to be on disk, so a crash between the
      // invalidation's in-memory bump and its state write can never leave them looking newer.
      const s = open({ dir: tempDir() });
      await s.set('app', 'warm', entry());
      const invalidating = s.invalidate('app', ['t'], 'drop'); // bumps the epoch, then writes
      const writing = s.set('app', 'k', entry(['t']));
      await Promise.all([invalidating, writing]);
      missEpoch(await s.get('app', 'k'));
      expect(await s.set('app', 'k', entry(['t']))).toBe(true);
      hitOf(await s.get('app', 'k'));
    });
  });

  describe('time', () => {
    it('is fresh, then expired within grace, then gone with its file', async () => {
      const dir = tempDir();
      const clock = manualClock();
      const s = open({ dir, now: clock.now });
      await s.set('app', 'k', entry([], { ttl: 1000, grace: 1000 }));
      expect(hitOf(await s.get('app', 'k'))).toMatchObject({ state: 'fresh', ttl: 1000 });
      clock.advance(1500);
      expect(hitOf(await s.get('app', 'k'))).toMatchObject({ state: 'expired', ttl: -500 });
      clock.advance(500);
      missEpoch(await s.get('app', 'k'));
      expect(entryFiles(dir)).toHaveLength(0);
    });

    it('reports an invalidated entry past its ttl as invalidated', async () => {
      const clock = manualClock();
      const s = open({ dir: tempDir(), now: clock.now });
      await s.set('app', 'k', entry(['t'], { ttl: 1000, grace: 5000 }));
      await s.invalidate('app', ['t'], 'stale');
      clock.advance(2000);
      expect(hitOf(await s.get('app', 'k')).state).toBe('invalidated');
    });
  });

  describe('bounded bookkeeping', () => {
    it('forgets markers after the longest ttl + grace plus the margin, and still refuses older writes', async () => {
      const dir = tempDir();
      const clock = manualClock();
      const s = open({ dir, now: clock.now });
      const early = missEpoch(await s.get('app', 'k'));
      await s.set('app', 'long', entry([], { ttl: 60_000, grace: 30_000 }));
      await s.delete('app', ['gone']);
      for (let i = 0; i < 300; i++) await s.invalidate('app', [`tag:${i}`], i % 2 === 0 ? 'drop' : 'stale');
      expect(stateOf(dir).maxLife).toBe(90_000);
      expect(stateOf(dir).tags).toHaveLength(300);
      expect(stateOf(dir).keys).toHaveLength(1);

      clock.advance(90_000 + FILE_MARKER_MARGIN_MS - 1);
      await s.invalidate('app', ['fresh-tag'], 'drop');
      expect(stateOf(dir).tags).toHaveLength(301); // not yet old enough

      clock.advance(2);
      await s.invalidate('app', ['newest'], 'drop');
      const state = stateOf(dir);
      expect(state.tags).toEqual([
        ['fresh-tag', state.epoch - 1, 0, clock.now() - 2],
        ['newest', state.epoch, 0, clock.now()],
      ]);
      expect(state.keys).toHaveLength(0);
      expect(state.floor).toBe(state.epoch - 2); // the newest forgotten marker, tag:299
      // The forgotten markers can no longer refuse it, so the floor does.
      expect(await s.set('app', 'k', entry(['tag:0']), early)).toBe(false);
      expect(await s.set('app', 'k', entry(['tag:0']), missEpoch(await s.get('app', 'k')))).toBe(true);
    });

    it('forgets old markers when a restarted store loads the namespace', async () => {
      const dir = tempDir();
      const clock = manualClock();
      const a = open({ dir, now: clock.now });
      await a.set('app', 'k', entry([], { ttl: 1000 }));
      await a.invalidate('app', ['a', 'b'], 'drop');
      await a.close();
      clock.advance(1000 + FILE_MARKER_MARGIN_MS);
      const b = open({ dir, now: clock.now });
      await b.invalidate('app', ['c'], 'drop');
      expect(stateOf(dir).tags.map((t) => (t as unknown[])[0])).toEqual(['c']);
    });

    it('keeps at most maxEntries entry files, evicting the least recently used', async () => {
      const dir = tempDir();
      const s = open({ dir, maxEntries: 3 });
      for (const k of ['a', 'b', 'c']) await s.set('app', k, entry());
      hitOf(await s.get('app', 'a')); // a is now the most recently used
      await s.set('app', 'd', entry());
      await s.set('app', 'e', entry());
      expect(entryFiles(dir)).toHaveLength(3);
      missEpoch(await s.get('app', 'b'));
      missEpoch(await s.get('app', 'c'));
      for (const k of ['a', 'd', 'e']) hitOf(await s.get('app', k));
    });
  });

  describe('damage', () => {
    it('treats a corrupt entry file as a miss and removes it', async () => {
      const dir = tempDir();
      const s = open({ dir });
      await s.set('app', 'k', entry());
      const [file] = entryFiles(dir);
      writeFileSync(join(spaceDir(dir), 'entries', file as string), '{"k": "k", "p": 1');
      missEpoch(await s.get('app', 'k'));
      expect(entryFiles(dir)).toHaveLength(0);
    });

    it('drops every entry of a namespace whose clock file is unreadable', async () => {
      const dir = tempDir();
      const a = open({ dir });
      await a.set('app', 'k', entry(['t']));
      await a.close();
      writeFileSync(join(spaceDir(dir), 'state.json'), 'garbage');
      const b = open({ dir });
      missEpoch(await b.get('app', 'k'));
      expect(entryFiles(dir)).toHaveLength(0);
      expect(await b.set('app', 'k', entry(['t']))).toBe(true);
      hitOf(await b.get('app', 'k'));
    });

    it('removes leftovers of interrupted writes and clears on load', async () => {
      const dir = tempDir();
      const a = open({ dir });
      await a.set('app', 'k', entry());
      await a.close();
      const root = spaceDir(dir);
      writeFileSync(join(root, 'entries', 'x.json.123.1.tmp'), 'partial');
      mkdirSync(join(root, 'trash-123-4'));
      writeFileSync(join(root, 'trash-123-4', 'old.json'), '{}');
      const b = open({ dir });
      hitOf(await b.get('app', 'k'));
      expect(readdirSync(root).sort()).toEqual(['entries', 'state.json']);
      expect(entryFiles(dir)).toHaveLength(1);
    });

    it('rejects with a StoreError when the directory is unusable', async () => {
      const dir = tempDir();
      const file = join(dir, 'not-a-dir');
      writeFileSync(file, 'x');
      const s = open({ dir: file });
      await expect(s.get('app', 'k')).rejects.toBeInstanceOf(StoreError);
      await expect(s.set('app', 'k', entry())).rejects.toMatchObject({ code: 'ERR_STORE' });
    });
  });

  describe('namespaces', () => {
    it('gives each namespace its own safe directory, case and punctuation included', async () => {
      const dir = tempDir();
      const s = open({ dir });
      for (const ns of ['App', 'app', '../../etc', 'a/b:c', ''])
        await s.set(ns, 'k', entry([], { payload: JSON.stringify(ns) }));
      const names = readdirSync(dir);
      expect(names).toHaveLength(5);
      for (const n of names) expect(n).toMatch(/^[A-Za-z0-9._-]*-[0-9a-f]{16}$/);
      expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(5);
      for (const ns of ['App', 'app', '../../etc', 'a/b:c', ''])
        expect(hitOf(await s.get(ns, 'k')).payload).toBe(JSON.stringify(ns));
    });

    it('clear removes the entry files of one namespace only', async () => {
      const dir = tempDir();
      const s = open({ dir });
      await s.set('one', 'k', entry());
      await s.set('two', 'k', entry());
      await s.clear('one');
      missEpoch(await s.get('one', 'k'));
      hitOf(await s.get('two', 'k'));
      const counts = readdirSync(dir)
        .map((n) => readdirSync(join(dir, n, 'entries')).length)
        .sort();
      expect(counts).toEqual([0, 1]);
    });
  });
});
