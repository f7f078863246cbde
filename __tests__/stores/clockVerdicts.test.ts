/**
 * One set of clock rules, three implementations: the shared in-process clock (memory and file
 * stores), the Redis scripts, and the Redis client-side judge of a known key's `MGET`. The same
 * generated operation sequences run through each, through the public Store interface only, and
 * every verdict (hit or miss, state, tags, payload; write accepted or refused) must agree.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  fileStore,
  memoryStore,
  type Epoch,
  type InvalidationMode,
  type ReadResult,
  type Store,
} from '../../lib/index.js';
import { MARKER_MARGIN_MS } from '../../lib/stores/clock/markerMargin.js';
import { testRedisStore, uniqueNamespace } from '../setup/testStores.js';

const KEYS = ['k0', 'k1', 'k2'] as const;
const TAGS = ['t0', 't1', 't2'] as const;
/** Entry lives: fresh for an hour; expired at once but kept an hour (stale); gone at once. */
const LIVES = {
  long: { ttl: 3_600_000, grace: 0 },
  expiring: { ttl: 1, grace: 3_600_000 },
  gone: { ttl: 1, grace: 1 },
};
/** Time let pass after a write of a short-lived entry, so that it has expired on every store. */
const SHORT_LIFE_PAUSE_MS = 5;

type Life = keyof typeof LIVES;
type Op =
  | { readonly op: 'get'; readonly key: string }
  | {
      readonly op: 'set';
      readonly key: string;
      readonly tags: string[];
      readonly life: Life;
      readonly from: number | 'none';
    }
  | { readonly op: 'invalidate'; readonly tags: string[]; readonly mode: InvalidationMode }
  | { readonly op: 'delete'; readonly keys: string[] }
  | { readonly op: 'clear' }
  | { readonly op: 'forget' };

const key = fc.constantFrom(...KEYS);
const tags = fc.subarray([...TAGS]);
const get = fc.record({ op: fc.constant('get' as const), key });
const set = fc.record({
  op: fc.constant('set' as const),
  key,
  tags,
  life: fc.constantFrom<Life>('long', 'long', 'long', 'expiring', 'gone'),
  // mostly the epoch of one of the last reads of the key (a computation that started then)
  from: fc.oneof({ arbitrary: fc.nat(3), weight: 4 }, { arbitrary: fc.constant('none' as const), weight: 1 }),
});
const invalidate = fc.record({
  op: fc.constant('invalidate' as const),
  tags: fc.subarray([...TAGS], { minLength: 1, maxLength: 2 }),
  mode: fc.constantFrom<InvalidationMode>('drop', 'stale'),
});
const del = fc.record({
  op: fc.constant('delete' as const),
  keys: fc.subarray([...KEYS], { minLength: 1, maxLength: 2 }),
});
const weighted = [
  { arbitrary: get as fc.Arbitrary<Op>, weight: 8 },
  { arbitrary: set as fc.Arbitrary<Op>, weight: 6 },
  { arbitrary: invalidate as fc.Arbitrary<Op>, weight: 4 },
  { arbitrary: del as fc.Arbitrary<Op>, weight: 1 },
  { arbitrary: fc.constant<Op>({ op: 'clear' }), weight: 1 },
];
const sequence = fc.array(fc.oneof(...weighted), { minLength: 6, maxLength: 24 });
/** With `forget`: time jumps past every marker's life (only for stores with an injected clock). */
const longSequence = fc.array(
  fc.oneof(...weighted, { arbitrary: fc.constant<Op>({ op: 'forget' }), weight: 1 }),
  {
    minLength: 6,
    maxLength: 24,
  },
);

/** A store under test: where operations go, how reads are made, how time passes. */
interface Subject {
  readonly store: Store;
  readonly ns: string;
  read(key: string): Promise<ReadResult<unknown>>;
  pass(ms: number): Promise<void>;
  close(): Promise<void>;
}

function describeRead(r: ReadResult<unknown>): string {
  if (!r.hit) return 'miss';
  return `hit ${String(r.payload)} ${r.state} [${[...r.tags].sort().join(',')}] created ${r.createdAt} error ${r.error}`;
}

/** Runs `ops` and returns one verdict per operation. Epochs stay opaque: only handed back. */
async function verdicts(subject: Subject, ops: readonly Op[]): Promise<string[]> {
  const { store, ns } = subject;
  const seen = new Map<string, Epoch[]>(KEYS.map((k) => [k, []]));
  const out: string[] = [];
  for (const [i, o] of ops.entries()) {
    if (o.op === 'get') {
      const r = await subject.read(o.key);
      seen.get(o.key)?.push(r.epoch);
      out.push(describeRead(r));
    } else if (o.op === 'set') {
      const epochs = seen.get(o.key) ?? [];
      const epoch = o.from === 'none' || epochs.length === 0 ? undefined : epochs[o.from % epochs.length];
      const entry = { payload: `v${i}`, tags: o.tags, createdAt: i, error: false, ...LIVES[o.life] };
      out.push(`set ${await store.set(ns, o.key, entry, epoch)}`);
      if (o.life !== 'long') await subject.pass(SHORT_LIFE_PAUSE_MS);
    } else if (o.op === 'invalidate') {
      await store.invalidate(ns, o.tags, o.mode);
      out.push('ok');
    } else if (o.op === 'delete') {
      await store.delete(ns, o.keys);
      out.push('ok');
    } else if (o.op === 'clear') {
      await store.clear(ns);
      out.push('ok');
    } else {
      await subject.pass(2 * LIVES.expiring.grace + MARKER_MARGIN_MS + 1);
      out.push('ok');
    }
  }
  return out;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The memory and the file store, on one injected wall clock each. */
function inProcess(kind: 'memory' | 'file'): Subject {
  let t = 1_700_000_000_000;
  const now = (): number => t;
  let store: Store;
  if (kind === 'memory') store = memoryStore({ now });
  else {
    const dir = mkdtempSync(join(tmpdir(), 'tagcache-verdicts-'));
    dirs.push(dir);
    store = fileStore({ dir, now });
  }
  return {
    store,
    ns: 'verdicts',
    read: async (k) => store.get('verdicts', k),
    pass: (ms) => {
      t += ms;
      return Promise.resolve();
    },
    close: () => store.close(),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Redis, one store instance for everything: it wrote each entry, so it knows its tags (`MGET` judged in the client). */
function redisKnowing(store: Store): Subject {
  const ns = uniqueNamespace('verdicts');
  return { store, ns, read: async (k) => store.get(ns, k), pass: sleep, close: () => Promise.resolve() };
}

/** Redis, every read from a fresh store instance that knows no tags (the read script judges). */
function redisFresh(store: Store): Subject {
  const ns = uniqueNamespace('verdicts');
  const read = async (k: string): Promise<ReadResult<unknown>> => {
    const reader = testRedisStore();
    try {
      return await reader.get(ns, k);
    } finally {
      await reader.close();
    }
  };
  return { store, ns, read, pass: sleep, close: () => Promise.resolve() };
}

async function run(subject: Subject, ops: readonly Op[]): Promise<string[]> {
  try {
    return await verdicts(subject, ops);
  } finally {
    await subject.close();
  }
}

describe('clock verdicts agree across stores (generated sequences)', () => {
  let redis: Store;
  beforeAll(async () => {
    redis = testRedisStore();
    await redis.get('verdicts-warm-up', 'k');
  });
  afterAll(async () => {
    await redis.close();
  });

  it('memory and file (the shared clock) give the verdicts of Redis', async () => {
    await fc.assert(
      fc.asyncProperty(sequence, async (ops) => {
        const onMemory = await run(inProcess('memory'), ops);
        expect(await run(inProcess('file'), ops)).toEqual(onMemory);
        expect(await run(redisKnowing(redis), ops)).toEqual(onMemory);
      }),
      { numRuns: 40 },
    );
  });

  it("Redis: the client-side judge of a known key gives the read script's verdicts", async () => {
    await fc.assert(
      fc.asyncProperty(sequence, async (ops) => {
        const judged = await run(redisKnowing(redis), ops);
        expect(await run(redisFresh(redis), ops)).toEqual(judged);
      }),
      { numRuns: 25 },
    );
  });

  it('memory and file agree when markers are forgotten (time jumps past their life)', async () => {
    await fc.assert(
      fc.asyncProperty(longSequence, async (ops) => {
        expect(await run(inProcess('file'), ops)).toEqual(await run(inProcess('memory'), ops));
      }),
      { numRuns: 40 },
    );
  });
});
