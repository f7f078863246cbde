import { InvalidKeyError } from '../errors.js';
/**
 * Finds entity tags (`type:id`) in a result.
 *
 * @example
 * ```ts
 * const posts: EntityExtractor = entity('post');
 * posts.extract([{ id: 1 }, { id: 2 }]); // ['post:1', 'post:2']
 * ```
 */
export interface EntityExtractor {
  readonly type: string;
  extract(value: unknown): string[];
}

/**
 * Options of {@link entity}.
 *
 * @example
 * ```ts
 * const opts: EntityOptions = { id: 'sku', path: 'items[].product', when: (o) => o.active === true };
 * ```
 */
export interface EntityOptions {
  /** The id field name (default `id`), or a function of the entity object. */
  readonly id?: string | ((o: Record<string, unknown>) => unknown);
  /** Where the entities are: `author`, `items[].product`, `data.users`. Default: the result itself. */
  readonly path?: string;
  /** Only objects for which this is true count. */
  readonly when?: (o: Record<string, unknown>) => boolean;
}

/**
 * The tag of one entity: `${type}:${id}`.
 *
 * @example
 * ```ts
 * entityTag('user', 42); // 'user:42'
 * await invalidateTag(entityTag('user', 42));
 * ```
 */
export function entityTag(type: string, id: unknown): string {
  if (!isEntityId(id))
    throw new InvalidKeyError(
      `the id of entity '${type}'`,
      `expected a non-empty string, a finite number or a bigint, got ${describeId(id)}`,
    );
  return `${type}:${String(id)}`;
}

/** Whether `id` can be the id part of an entity tag. */
const isEntityId = (id: unknown): id is string | number | bigint =>
  (typeof id === 'string' && id.length > 0) ||
  (typeof id === 'number' && Number.isFinite(id)) ||
  typeof id === 'bigint';

function describeId(id: unknown): string {
  if (id === null || id === undefined || typeof id === 'number') return String(id);
  if (typeof id === 'string') return '""';
  if (Array.isArray(id)) return 'an array';
  return typeof id === 'object' ? 'an object' : `a ${typeof id}`;
}

/**
 * Why an extractor found no entity in a non-empty result: its `path` led nowhere, or the objects
 * found had no usable id. Internal: reached through {@link unresolvedIn}.
 */
export type Unresolved = 'path' | 'id';

/** The method of extractors made by `entity()` telling why a result gave no tag (internal). */
export const unresolvedIn: unique symbol = Symbol('tagcache.unresolvedIn');

interface Segment {
  readonly field: string;
  readonly each: boolean;
}

function parsePath(path: string): Segment[] {
  return path
    .split('.')
    .filter((s) => s.length > 0)
    .map((s) => (s.endsWith('[]') ? { field: s.slice(0, -2), each: true } : { field: s, each: false }));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Walks one path segment from every node; arrays met on the way are flattened. */
function step(nodes: unknown[], seg: Segment): unknown[] {
  const out: unknown[] = [];
  for (const n of nodes) {
    if (!isRecord(n)) continue;
    const v = seg.field === '' ? n : n[seg.field];
    if (Array.isArray(v)) out.push(...v);
    else if (v !== undefined && v !== null) out.push(v);
  }
  return out;
}

/**
 * Builds the extractor of `entity(type, opts)` (options already checked by the public `entity`
 * of `core/entity.ts`).
 */
export function entityExtractor(type: string, opts: EntityOptions): EntityExtractor {
  const segments = opts.path === undefined ? [] : parsePath(opts.path);
  const idOf =
    typeof opts.id === 'function'
      ? opts.id
      : (
          (field: string) => (o: Record<string, unknown>) =>
            o[field]
        )(opts.id ?? 'id');
  const when = opts.when;
  const walk = (value: unknown): unknown[] => {
    let nodes: unknown[] = Array.isArray(value) ? value : [value];
    for (const seg of segments) nodes = step(nodes, seg);
    return nodes;
  };
  const extract = (value: unknown): string[] => {
    const tags: string[] = [];
    for (const n of walk(value)) {
      if (!isRecord(n) || (when !== undefined && !when(n))) continue;
      const id = idOf(n);
      if (isEntityId(id)) tags.push(`${type}:${String(id)}`);
    }
    return tags;
  };
  /** For a result that gave no tag: why, or undefined when it is empty or `when` left it out. */
  const unresolved = (value: unknown): Unresolved | undefined => {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0))
      return undefined;
    const nodes = walk(value);
    if (nodes.length === 0) return 'path';
    return nodes.some((n) => isRecord(n) && when !== undefined && !when(n)) ? undefined : 'id';
  };
  return Object.freeze({ type, extract, [unresolvedIn]: unresolved });
}
