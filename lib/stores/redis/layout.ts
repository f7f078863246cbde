/**
 * Key layout of the Redis stores. A namespace is split into G groups; group `g` owns every key
 * under one hash tag, so that each script touches a single cluster slot:
 *
 * ```text
 * <prefix>:{<ns>|<n>}:e          epoch counter of the group (INCR), never expires
 * <prefix>:{<ns>|<n>}:c          control hash: longest entry life, write floor, marker buckets
 * <prefix>:{<ns>|<n>}:k:<key>    entry `~<epoch><createdAt>:<fresh>[+<grace>][!][,<tag>]…\n<payload>` (`entryCodec.ts`)
 * <prefix>:{<ns>|<n>}:d:<key>    delete marker (epoch of the delete), expires
 * <prefix>:{<ns>|<n>}:t:<tag>    tag marker `<hard>:<soft>:<born>`: epochs of the last `drop` and `stale`
 *                                invalidations of the tag (either part may be empty) and of its creation, expires
 * <prefix>:{<ns>|<n>}:l:<key>    cross-process lock token, expires
 * ```
 *
 * `<ns>` is the namespace with `%`, `{`, `}` and `|` percent-encoded; `<n>` is a small number
 * chosen so that the G groups of a namespace fall into G evenly spaced slot ranges (so a cluster
 * with masters owning equal slot ranges holds equal shares of the groups).
 *
 * @packageDocumentation
 */
import { fnv1a, keySlot, SLOT_COUNT } from './slots.js';

/**
 * The groups of one namespace.
 *
 * @example
 * ```ts
 * const l = createLayout('tc', 1).forNamespace('app');
 * l.prefixOf('user:1'); // 'tc:{app|0}:'
 * ```
 */
export interface NamespaceLayout {
  /** Key prefix of each group, indexed by group number (`tc:{app|0}:`). */
  readonly prefixes: readonly string[];
  /** The prefix of the group that owns `key`. */
  prefixOf(key: string): string;
}

/**
 * Key layout shared by every namespace of a store.
 *
 * @example
 * ```ts
 * const layout = createLayout('tc', 64);
 * layout.scanPattern('app'); // 'tc:{app|*'
 * ```
 */
export interface Layout {
  readonly groups: number;
  forNamespace(ns: string): NamespaceLayout;
  /** A `SCAN MATCH` pattern selecting every key of the namespace. */
  scanPattern(ns: string): string;
}

const MAX_CACHED_NAMESPACES = 1000;

/**
 * Percent-encodes the characters that delimit the hash tag and the namespace.
 *
 * @example
 * ```ts
 * escapeNamespace('a{b}|c'); // 'a%7Bb%7D%7Cc'
 * ```
 */
export function escapeNamespace(ns: string): string {
  return ns.replace(/[%{}|]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * The hash tag contents of each of `groups` groups of an (escaped) namespace: `<ns>|<n>` with the
 * smallest numbers `n` that land group `g` in the slot range `[g, g + 1) × 16384 / groups`.
 *
 * @example
 * ```ts
 * groupTags('app', 1); // ['app|0']
 * ```
 */
export function groupTags(escapedNs: string, groups: number): string[] {
  if (groups === 1) return [`${escapedNs}|0`];
  const tags: (string | undefined)[] = new Array<string | undefined>(groups).fill(undefined);
  let missing = groups;
  for (let n = 0; missing > 0; n++) {
    const tag = `${escapedNs}|${n}`;
    const bucket = Math.floor((keySlot(`{${tag}}`) * groups) / SLOT_COUNT);
    if (tags[bucket] === undefined) {
      tags[bucket] = tag;
      missing -= 1;
    }
  }
  return tags as string[];
}

const globEscape = (s: string): string => s.replace(/[*?[\]\\]/g, (c) => '\\' + c);

/**
 * Creates the layout for key prefix `prefix` and `groups` groups per namespace.
 *
 * @example
 * ```ts
 * const layout = createLayout('tc', 1);
 * layout.forNamespace('app').prefixes; // ['tc:{app|0}:']
 * ```
 */
export function createLayout(prefix: string, groups: number): Layout {
  const cache = new Map<string, NamespaceLayout>();
  const build = (ns: string): NamespaceLayout => {
    const prefixes = groupTags(escapeNamespace(ns), groups).map((tag) => `${prefix}:{${tag}}:`);
    const only = prefixes[0] as string;
    const prefixOf = groups === 1 ? () => only : (key: string) => prefixes[fnv1a(key) % groups] as string;
    return Object.freeze({ prefixes: Object.freeze(prefixes), prefixOf });
  };
  return Object.freeze({
    groups,
    forNamespace(ns: string): NamespaceLayout {
      let layout = cache.get(ns);
      if (layout === undefined) {
        if (cache.size >= MAX_CACHED_NAMESPACES) cache.clear();
        layout = build(ns);
        cache.set(ns, layout);
      }
      return layout;
    },
    scanPattern: (ns: string) => `${globEscape(prefix)}:{${globEscape(escapeNamespace(ns))}|*`,
  });
}
