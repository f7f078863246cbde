import { InvalidOptionsError, nullStore } from '../../lib/index.js';
import type { WriteEntry } from '../../lib/stores/Store.js';

const entry: WriteEntry<string> = {
  payload: '"v"',
  tags: ['t'],
  createdAt: 0,
  ttl: 60_000,
  grace: 0,
  error: false,
};

describe('nullStore', () => {
  it('takes no options: any given is rejected with an InvalidOptionsError naming it', () => {
    expect(() => nullStore({})).not.toThrow();
    const bad = (): unknown => nullStore({ maxEntries: 10 } as unknown as Record<string, never>);
    expect(bad).toThrow(InvalidOptionsError);
    expect(bad).toThrow('Invalid option "maxEntries": unknown option of nullStore');
    expect(() => nullStore('x' as unknown as Record<string, never>)).toThrow(InvalidOptionsError);
  });

  it('is a frozen store record of kind null', () => {
    const s = nullStore();
    expect(s.kind).toBe('null');
    expect(s.holdsValues).toBe(false);
    expect(Object.isFrozen(s)).toBe(true);
    expect(s.lock).toBeUndefined();
  });

  it('never stores anything: writes are refused and reads miss at epoch 0', async () => {
    const s = nullStore();
    expect(s.get('ns', 'k')).toEqual({ hit: false, epoch: 0 });
    expect(s.set('ns', 'k', entry)).toBe(false);
    expect(s.set('ns', 'k', entry, 0)).toBe(false);
    expect(s.get('ns', 'k')).toEqual({ hit: false, epoch: 0 });
    expect(s.delete('ns', ['k'])).toBeUndefined();
    expect(s.invalidate('ns', ['t'], 'drop')).toBeUndefined();
    expect(s.clear('ns')).toBeUndefined();
    expect(s.get('ns', 'k')).toEqual({ hit: false, epoch: 0 });
    await expect(s.close()).resolves.toBeUndefined();
    await expect(s.close()).resolves.toBeUndefined();
  });
});
