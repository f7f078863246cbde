import { createCache, invalidateTag, memoryStore, withCache, type Store } from '../../lib/index.js';
import { deferred } from '../helpers/deferred.js';

function linesOf() {
  const debug: string[] = [];
  const warn: string[] = [];
  return { debug, warn, logger: { warn: (l: string) => warn.push(l), debug: (l: string) => debug.push(l) } };
}

describe('createCache({ debug: true })', () => {
  it('logs one line per hit, miss, write, refused write, invalidation and store error', async () => {
    const base = memoryStore();
    let failing = false;
    const store: Store = {
      ...base,
      get: (ns, k) => (failing ? Promise.reject(new Error('down')) : base.get(ns, k)),
    };
    const log = linesOf();
    const cache = createCache({
      name: 'dbg',
      debug: true,
      logger: log.logger,
      store,
      breaker: false,
      ttl: '1m',
    });
    const getUser = withCache(async (id: number) => ({ id }), {
      name: 'getUser',
      cache,
      tags: (id) => [`user:${id}`],
    });
    await getUser(1);
    await getUser(1);
    await invalidateTag('user:1', { cache });
    const gate = deferred<number>();
    const slow = withCache(() => gate.promise, { name: 'slow', cache, tags: ['slow'] });
    const running = slow();
    await new Promise((r) => setImmediate(r));
    await invalidateTag('slow', { cache });
    gate.resolve(1);
    await running;
    failing = true;
    await getUser(1);
    const key = `${cache.version}:${getUser.keyOf(1)}`; // lines show the full stored key
    const d = '\\d+\\.\\d{2}';
    const expected = [
      new RegExp(`^\\[MISS\\] key=${key} name=getUser duration_ms=${d} cache=dbg$`),
      new RegExp(
        `^\\[WRITE\\] key=${key} name=getUser duration_ms=${d} ttl=60000 tags=@fn:getUser,user:1 cache=dbg$`,
      ),
      new RegExp(`^\\[HIT\\] key=${key} name=getUser duration_ms=${d} ttl=\\d+ cache=dbg$`),
      new RegExp(`^\\[INVALIDATE\\] tags=user:1 mode=drop duration_ms=${d} cache=dbg$`),
      /^\[MISS\] key=\S+:slow:\S* name=slow/,
      /^\[INVALIDATE\] tags=slow mode=drop/,
      /^\[REFUSED\] key=\S+ name=slow duration_ms=\S+ reason=invalidated-while-computing cache=dbg$/,
      new RegExp(
        `^\\[STORE_ERROR\\] op=get key=${key} code=ERR_STORE error="store get failed: down" cache=dbg$`,
      ),
      new RegExp(`^\\[MISS\\] key=${key} name=getUser`),
    ];
    expect(log.debug).toHaveLength(expected.length);
    log.debug.forEach((line, i) => expect(line).toMatch(expected[i] as RegExp));
    expect(log.warn).toEqual([expect.stringContaining('store get failed: down')]);
  });

  it('writes nothing at debug level without debug, and console-like loggers without debug() use info()', async () => {
    const quiet = linesOf();
    const f = withCache(async () => 1, { name: 'f', cache: createCache({ logger: quiet.logger }) });
    await f();
    await f();
    expect(quiet.debug).toEqual([]);
    const info: string[] = [];
    const cache = createCache({ debug: true, logger: { warn: () => {}, info: (l: string) => info.push(l) } });
    const g = withCache(async () => 1, { name: 'g', cache });
    await g();
    expect(info.map((l) => l.split(' ')[0])).toEqual(['[MISS]', '[WRITE]']);
  });

  it('accepts console and pino-style loggers and rejects other values naming the option', () => {
    expect(() => createCache({ logger: console })).not.toThrow();
    expect(() => createCache({ debug: 'yes' as never })).toThrow(/"debug"/);
    expect(() => createCache({ logger: { info: () => {} } as never })).toThrow(/"logger"/);
  });
});
