/**
 * The randomized history check on the tiered store with three real processes (issue 10's check,
 * issue 14's "done when"): readers in every process (tags, entity tags, tags added while running,
 * nested calls, peek, refresh) and writers that bump a row's version in a source of truth (a
 * Redis key outside tagcache's keys) and then await its invalidation, all at once, in a random
 * order. Check: no read that started after an invalidation resolved, in any process, returns an
 * older version. The parent stamps every request when it sends it and every write when its reply
 * arrives, so a read is only judged against invalidations that surely resolved before it began.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from 'redis';
import {
  checkedReads,
  seededRandom,
  staleReads,
  type ReadRecord,
  type WriteRecord,
} from '../../helpers/historyCheck.js';
import { startHistoryChild, type HistoryChild, type HistoryRead } from '../../setup/historyChildren.js';
import { testClusterNodes, testRedisUrl, uniqueNamespace } from '../../setup/testStores.js';
import { uniquePrefix } from './testTiered.js';

const OPERATIONS = 300;
const ROWS = 3;
const IN_FLIGHT = 8;
const KINDS: readonly HistoryRead[] = ['tag', 'entity', 'added', 'nested', 'nested', 'peek', 'refresh'];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface History {
  readonly writes: WriteRecord[];
  readonly reads: ReadRecord[];
}

/** Sends `OPERATIONS` random requests to the children, at most `IN_FLIGHT` at a time. */
async function record(children: readonly HistoryChild[], seed: number): Promise<History> {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const history: History = { writes: [], reads: [] };
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < OPERATIONS; i++) {
    while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    const index = Math.floor(rnd() * children.length);
    const child = children[index] as HistoryChild;
    const row = Math.floor(rnd() * ROWS);
    let op: Promise<void>;
    if (rnd() < 0.2) {
      const style = rnd() < 0.5 ? 'tags' : 'each';
      op = child.request<number>({ op: 'write', row, style }).then((version) => {
        history.writes.push({ row, version, resolvedAt: performance.now() });
      });
    } else {
      const kind = pick(KINDS);
      const startedAt = performance.now();
      op = child.request<number | null>({ op: 'read', kind, row }).then((v) => {
        history.reads.push({ row, op: kind, startedAt, version: v ?? undefined, by: `process ${index}` });
      });
    }
    const tracked: Promise<void> = op.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (rnd() < 0.3) await sleep(Math.floor(rnd() * 3));
  }
  await Promise.all(inFlight);
  return history;
}

/** Writes the stale reads and the merged logs of the children to a temporary file; returns its path. */
async function writeLogs(children: readonly HistoryChild[], stale: readonly string[]): Promise<string> {
  const logs = await Promise.all(children.map((c) => c.request<string[]>({ op: 'log' })));
  const lines = logs.flatMap((l, i) => l.map((line) => `${line} [process ${i}]`)).sort();
  const path = join(tmpdir(), `tagcache-history-${process.pid}-${Date.now()}.log`);
  writeFileSync(path, [...stale, ...lines].join('\n'));
  return path;
}

interface ChildStats {
  l1Hits: number;
  fns: { hits: number; refusedWrites: number }[];
}

function describeHistory(name: string, target: () => { url: string } | { nodes: string[] }): void {
  describe(`randomized history on the tiered store over ${name}: three processes`, () => {
    const dbUrl = testRedisUrl();
    const dbKey = `history-db:${uniqueNamespace('rows')}`;
    let children: HistoryChild[] = [];
    beforeAll(async () => {
      const config = {
        ...target(),
        prefix: uniquePrefix(),
        lease: 800,
        namespace: uniqueNamespace('h'),
        dbUrl,
        dbKey,
      };
      children = await Promise.all([0, 1, 2].map(() => startHistoryChild(config)));
      const serving = await Promise.all(children.map((c) => c.request<boolean>({ op: 'serving' })));
      expect(serving).toEqual([true, true, true]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all(children.map((c) => c.close()));
      const db = createClient({ url: dbUrl });
      await db.connect();
      await db.del(Array.from({ length: ROWS }, (_, row) => `${dbKey}:${row}`));
      await db.close();
    });

    it(`${OPERATIONS} operations: no read started after a resolved invalidation returns an older version`, async () => {
      const seed = Math.floor(Math.random() * 2 ** 31);
      const history = await record(children, seed);
      const stale = staleReads(history.writes, history.reads);
      // On a failure, every process's own log (store reads and writes, on the machine's clock) goes to a file.
      const log = stale.length === 0 ? undefined : await writeLogs(children, stale);
      expect({ seed, stale, log }).toEqual({ seed, stale: [], log: undefined });
      // Not vacuous: many reads had a floor, and the memory tiers answered some of them.
      expect(history.writes.length).toBeGreaterThan(OPERATIONS / 10);
      expect(checkedReads(history.writes, history.reads)).toBeGreaterThan(OPERATIONS / 3);
      const stats = await Promise.all(children.map((c) => c.request<ChildStats>({ op: 'stats' })));
      expect(stats.reduce((n, s) => n + s.l1Hits, 0)).toBeGreaterThan(0);
    }, 60_000);
  });
}

describe('the history check itself', () => {
  it('reports a read that started after an invalidation resolved and returned an older version', () => {
    const writes: WriteRecord[] = [{ row: 1, version: 2, resolvedAt: 10 }];
    expect(
      staleReads(writes, [
        { row: 1, op: 'tag', startedAt: 11, version: 1, by: 'process 2' },
        { row: 1, op: 'tag', startedAt: 9, version: 1 }, // may have overlapped: not judged
        { row: 0, op: 'tag', startedAt: 11, version: 0 }, // another row
        { row: 1, op: 'peek', startedAt: 11, version: undefined }, // nothing returned
        { row: 1, op: 'nested', startedAt: 12, version: 2 },
      ]),
    ).toEqual(['tag(1) started at 11 in process 2 returned version 1, but version 2 was invalidated at 10']);
    expect(checkedReads(writes, [{ row: 1, op: 'tag', startedAt: 11, version: 1 }])).toBe(1);
  });
});

describeHistory('Redis', () => ({ url: testRedisUrl() }));
describeHistory('Redis Cluster', () => ({ nodes: testClusterNodes() }));
