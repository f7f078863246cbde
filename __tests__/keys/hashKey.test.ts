import { createHash } from 'node:crypto';
import { hashKey } from '../../lib/keys/index.js';

describe('hashKey', () => {
  it('returns short material unchanged', () => {
    expect(hashKey('42')).toBe('42');
    expect(hashKey('x'.repeat(120))).toBe('x'.repeat(120));
    expect(hashKey('abc', 32)).toBe('abc');
  });

  it('hashes long material to a readable prefix and a sha256 digest', () => {
    const material = `{"q":"${'y'.repeat(200)}"}`;
    const digest = createHash('sha256').update(material).digest('base64url').slice(0, 32);
    const hashed = hashKey(material);
    expect(hashed).toBe(`${material.slice(0, 48)}~${digest}`);
    expect(hashed.length).toBeLessThanOrEqual(120);
    expect(hashKey(material)).toBe(hashed);
  });

  it('is a fixed value for fixed input (same in every process)', () => {
    expect(hashKey('a'.repeat(200))).toBe(
      `${'a'.repeat(48)}~${createHash('sha256').update('a'.repeat(200)).digest('base64url').slice(0, 32)}`,
    );
    expect(hashKey('0123456789'.repeat(13))).toBe(
      '012345678901234567890123456789012345678901234567~Qm8m2pKJJ6NSC2Gt5iDcfGntTTFUJZKf',
    );
  });

  it('gives different results for material differing only after the prefix', () => {
    const a = `${'p'.repeat(150)}a`;
    const b = `${'p'.repeat(150)}b`;
    expect(hashKey(a)).not.toBe(hashKey(b));
  });

  it('respects a smaller max, down to the bare digest', () => {
    const material = 'z'.repeat(100);
    expect(hashKey(material, 40)).toHaveLength(40);
    expect(hashKey(material, 33)).toHaveLength(32);
    expect(hashKey(material, 32)).toHaveLength(32);
    expect(() => hashKey(material, 31)).toThrow(RangeError);
  });

  it('does not split a surrogate pair in the prefix', () => {
    const material = `${'a'.repeat(47)}😀${'b'.repeat(200)}`;
    const hashed = hashKey(material);
    expect(hashed.startsWith(`${'a'.repeat(47)}~`)).toBe(true);
    expect(hashed).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
  });
});
