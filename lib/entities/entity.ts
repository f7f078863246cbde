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
  return `${type}:${String(id)}`;
}

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
  const idOf = typeof opts.id === 'function' ? opts.id : ((field: string) => (o: Record<string, unknown>) => o[field])(opts.id ?? 'id');
  const when = opts.when;
  return Object.freeze({
    type,
    extract(value: unknown): string[] {
      let nodes: unknown[] = Array.isArray(value) ? value : [value];
      for (const seg of segments) nodes = step(nodes, seg);
      const tags: string[] = [];
      for (const n of nodes) {
        if (!isRecord(n) || (when !== undefined && !when(n))) continue;
        const id = idOf(n);
        if (id !== undefined && id !== null && id !== '') tags.push(entityTag(type, id));
      }
      return tags;
    },
  });
}
