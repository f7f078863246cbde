import fc from 'fast-check';
import { createCache, withCache, withInvalidation, memoryStore, entityTag } from '../../lib/index.js';

/**
 * Interleaves cached reads, database writes and invalidations in random orders (fast-check's
 * scheduler decides when each awaited step resumes) and checks the guarantee: a call that starts
 * after an invalidation resolved never returns a value older than the database at that moment.
 */
describe('randomized interleavings', () => {
  it('never serves data older than the last resolved invalidation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ op: fc.constantFrom('read', 'read', 'nested', 'write'), id: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 30 }),
        async (s, ops) => {
          const cache = createCache({ store: memoryStore(), logger: false });
          const db = new Map<number, number>();
          const committed = new Map<number, number>(); // version whose invalidation has resolved
          const version = (id: number) => db.get(id) ?? 0;
          const read = withCache(async function read(id: number) {
            await s.schedule(Promise.resolve(), 'before db read');
            const v = version(id);
            await s.schedule(Promise.resolve(), 'after db read');
            return v;
          }, { cache, tags: (id) => [entityTag('item', id)] });
          const nested = withCache(async function nested(id: number) {
            const v = await read(id);
            await s.schedule(Promise.resolve(), 'outer work');
            return v;
          }, { cache });
          const write = withInvalidation(async (id: number) => {
            await s.schedule(Promise.resolve(), 'db write');
            db.set(id, version(id) + 1);
            return version(id);
          }, { cache, tags: (id) => [entityTag('item', id)] });
          const checks: Promise<void>[] = [];
          const start = (op: string, id: number): Promise<void> => {
            if (op === 'write') return write(id).then((v) => void committed.set(id, Math.max(committed.get(id) ?? 0, v)));
            const floor = committed.get(id) ?? 0;
            const call = op === 'read' ? read(id) : nested(id);
            return call.then((v) => {
              if (v < floor) throw new Error(`${op}(${id}) returned version ${v} after version ${floor} was committed and invalidated`);
            });
          };
          for (const { op, id } of ops) checks.push(s.schedule(Promise.resolve(), `start ${op}(${id})`).then(() => start(op, id)));
          await s.waitFor(Promise.all(checks));
        },
      ),
      { numRuns: 300 },
    );
  });
});
