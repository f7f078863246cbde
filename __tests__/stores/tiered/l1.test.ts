/**
 * The memory tier alone: prepared (strict, two-phase) tag invalidations keep their tags out of
 * it until done, and give up after `pendingMs`.
 */
import { createL1, type L1Fill } from '../../../lib/stores/tiered/l1.js';

const fill = (tags: string[]): L1Fill => ({
  payload: '"v"',
  tags,
  createdAt: 0,
  freshUntil: 1_000_000,
  error: false,
  l2Epoch: 1,
});

describe('memory tier: prepared invalidations', () => {
  it('drops the tags at prepare, fills none of them until every prepare is done, then refuses reads started before', () => {
    const l1 = createL1({ maxEntries: 100, maxBytes: undefined, sizeOf: undefined });
    expect(l1.fill('ns', 'k', fill(['t']), l1.seq(), 0)).toBe(true);
    l1.prepareTags('ns', ['t'], 1);
    l1.prepareTags('ns', ['t'], 2); // a second invalidation of t under way
    expect(l1.read('ns', 'k', 3)).toBeUndefined();
    expect(l1.fill('ns', 'k', fill(['t', 'u']), l1.seq(), 3)).toBe(false); // even a read started now
    expect(l1.fill('ns', 'other', fill(['u']), l1.seq(), 3)).toBe(true); // other tags are not held
    l1.finishTags('ns', ['t'], 4);
    expect(l1.fill('ns', 'k', fill(['t']), l1.seq(), 4)).toBe(false); // the second is still under way
    const before = l1.seq();
    l1.finishTags('ns', ['t'], 5);
    expect(l1.inspect().pending).toBe(0);
    expect(l1.fill('ns', 'k', fill(['t']), before, 5)).toBe(false); // started before the end
    expect(l1.fill('ns', 'k', fill(['t']), l1.seq(), 5)).toBe(true);
  });

  it('gives up on a prepared invalidation whose end never arrives after pendingMs', () => {
    const l1 = createL1({ maxEntries: 100, maxBytes: undefined, sizeOf: undefined, pendingMs: 1000 });
    l1.prepareTags('ns', ['t'], 0);
    l1.prune(999);
    expect(l1.inspect().pending).toBe(1);
    const before = l1.seq();
    l1.prune(1000);
    expect(l1.inspect().pending).toBe(0);
    expect(l1.fill('ns', 'k', fill(['t']), before, 1000)).toBe(false);
    expect(l1.fill('ns', 'k', fill(['t']), l1.seq(), 1000)).toBe(true);
  });
});
