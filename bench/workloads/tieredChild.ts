/**
 * A bench process holding a memory tier in front of Redis: tagcache's tiered store (strict or
 * eventual) or bentocache's memory + Redis + bus tier. Driven over stdin/stdout, one JSON line per
 * request. argv[2]: JSON `{ kind: 'strict' | 'eventual' | 'bento', url, prefix, lease }`.
 */
import { createInterface } from 'node:readline';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import { Redis } from 'ioredis';
import { createCache, invalidateTag, withCache } from '../../lib/index.js';
import { redisStore, tieredStore } from '../../lib/redis.js';

interface Config {
  readonly kind: 'strict' | 'eventual' | 'bento';
  readonly url: string;
  readonly prefix: string;
  readonly lease: number;
}

interface Tier {
  read(key: string): Promise<string>;
  invalidate(tag: string): Promise<void>;
  close(): Promise<void>;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
let counter = 0;
/** The "function": a value unique to this process and call, tagged with the key's tag. */
const load = async (): Promise<string> => `${process.pid}:${++counter}`;
const tagOf = (key: string): string => `tag:${key}`;

function tagcacheTier(): Tier {
  const store = tieredStore({
    l2: redisStore({ url: config.url }),
    bus: { url: config.url },
    lease: config.lease,
    coherence: config.kind === 'eventual' ? 'eventual' : 'strict',
    prefix: config.prefix,
  });
  const cache = createCache({ store, namespace: config.prefix, logger: false, timeout: config.lease + 2000 });
  const item = withCache((_key: string) => load(), { cache, name: 'item', tags: (key) => [tagOf(key)] });
  return {
    read: (key) => item(key),
    invalidate: (tag) => invalidateTag(tag, { cache }),
    close: () => cache.close(),
  };
}

function bentoTier(): Tier {
  const connection = new Redis(config.url);
  const bento = new BentoCache({
    default: 'c',
    prefix: config.prefix,
    stores: {
      c: bentostore()
        .useL1Layer(memoryDriver({ maxItems: 10_000 }))
        .useL2Layer(redisDriver({ connection }))
        .useBus(
          redisBusDriver({
            connection: { host: new URL(config.url).hostname, port: Number(new URL(config.url).port) },
          }),
        ),
    },
  });
  return {
    read: (key) => bento.getOrSet({ key, factory: load, ttl: 60_000, tags: [tagOf(key)] }),
    invalidate: async (tag) => void (await bento.deleteByTag({ tags: [tag] })),
    close: async () => {
      await bento.disconnect();
      connection.disconnect();
    },
  };
}

const tier = config.kind === 'bento' ? bentoTier() : tagcacheTier();
let watched: Promise<string> | undefined;

/** Polls `key` (each poll a memory-tier hit) until its value changes; resolves with hrtime (ns). */
function watch(key: string, current: string): Promise<string> {
  return new Promise((resolve) => {
    const deadline = Date.now() + 10_000;
    const poll = (): void => {
      void tier.read(key).then((v) => {
        if (v !== current || Date.now() > deadline) resolve(process.hrtime.bigint().toString());
        else setImmediate(poll);
      });
    };
    poll();
  });
}

type Request =
  | { op: 'read'; key: string }
  | { op: 'invalidate'; key: string }
  | { op: 'watch'; key: string; current: string }
  | { op: 'watched' }
  | { op: 'block'; ms: number }
  | { op: 'close' };

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'read':
      return tier.read(req.key);
    case 'invalidate': {
      const start = process.hrtime.bigint();
      await tier.invalidate(tagOf(req.key));
      return { start: start.toString(), end: process.hrtime.bigint().toString() };
    }
    case 'watch':
      watched = watch(req.key, req.current);
      return true;
    case 'watched':
      return watched;
    case 'block': {
      const until = Date.now() + req.ms;
      while (Date.now() < until) {
        // busy: no message is handled meanwhile
      }
      return true;
    }
    case 'close':
      await tier.close();
      setImmediate(() => process.exit(0));
      return true;
  }
}

/** The error and its causes, on one line. */
function describe(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e; x !== undefined && parts.length < 5; x = (x as { cause?: unknown }).cause)
    parts.push(String(x));
  return parts.join(' <- ');
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  void handle(JSON.parse(line) as Request).then(
    (result) => process.stdout.write(JSON.stringify({ result }) + '\n'),
    (e: unknown) => process.stdout.write(JSON.stringify({ error: describe(e) }) + '\n'),
  );
});
process.stdout.write(JSON.stringify({ ready: process.pid }) + '\n');
