/**
 * What identifies the instance a cached method runs on: its `[cacheKey]()`, else its `id`, else
 * its `pk`.
 *
 * @packageDocumentation
 */
import { InvalidKeyError } from '../errors.js';
import { cacheKey } from './cacheKey.js';

function className(obj: object): string {
  const ctor: unknown = (obj as { constructor?: unknown }).constructor;
  const name: unknown = typeof ctor === 'function' ? ctor.name : undefined;
  return typeof name === 'string' && name !== '' ? name : 'anonymous';
}

function present(obj: object, field: 'id' | 'pk'): unknown {
  const value = (obj as Record<string, unknown>)[field];
  if (value === undefined || value === null)
    throw new InvalidKeyError(
      'this',
      `a ${className(obj)} instance has an empty ${field} (${String(value)})`,
    );
  return value;
}

/**
 * The key material of `self` for a per-instance cached method: `self[cacheKey]()`, else
 * `self.id`, else `self.pk`. Throws InvalidKeyError (path `this`) for a detached call (no
 * instance) and for an instance with none of them.
 */
export function instanceIdentity(self: unknown): unknown {
  if ((typeof self !== 'object' && typeof self !== 'function') || self === null)
    throw new InvalidKeyError(
      'this',
      'the method was called without its instance (a detached method, e.g. `const f = repo.getUser; f(1)`): call it on the instance or bind it',
    );
  const custom: unknown = (self as Partial<Record<typeof cacheKey, unknown>>)[cacheKey];
  if (typeof custom === 'function') {
    const material: unknown = (custom as () => unknown).call(self);
    if (material === self)
      throw new InvalidKeyError(
        'this',
        '[cacheKey]() returned the instance itself; return plain key material',
      );
    return material;
  }
  if ('id' in self) return present(self, 'id');
  if ('pk' in self) return present(self, 'pk');
  throw new InvalidKeyError(
    'this',
    `a ${className(self)} instance has neither a [cacheKey]() method nor an id or pk property, so its entries cannot be told apart from another instance's (implement [cacheKey], returning a constant for a singleton service, or give the \`key\` option)`,
  );
}
