/**
 * `invalidate`, `invalidate-entity`, `delete` and `clear`: each one calls the library's own
 * function on the cache of the URL, so it is exactly as race-free as in an application
 * (invalidations bump the group clocks; a computation already running cannot write afterwards).
 *
 * @packageDocumentation
 */
import { entityTag, invalidateEntity } from '../index.js';
import { CliError, toJson, type CliIo } from './output.js';
import type { GlobalOptions, Target } from './target.js';

/**
 * Whether a `delete` argument is a glob pattern: an unescaped `*`, `?` or `[`.
 *
 * @example
 * ```ts
 * isPattern('user:*'); // true
 * isPattern('user:1'); // false
 * ```
 */
export const isPattern = (arg: string): boolean => /(^|[^\\])[*?[]/.test(arg);

function confirmed(io: CliIo, yes: boolean, what: string): void {
  if (io.interactive && !yes) throw new CliError(`${what}: add --yes to confirm (required on a terminal)`, 2);
}

/**
 * `tagcache invalidate <tag...>`: `cache.invalidateTags` (`--stale`: mode `stale`).
 *
 * @example
 * ```ts
 * await invalidate(target, globals, io, ['user:1', 'feed'], false);
 * ```
 */
export async function invalidate(
  t: Target,
  g: GlobalOptions,
  io: CliIo,
  tags: string[],
  stale: boolean,
): Promise<void> {
  const empty = tags.find((x) => x.length === 0);
  if (empty !== undefined) throw new CliError('invalidate: tags must be non-empty', 2);
  const mode = stale ? 'stale' : 'drop';
  await t.cache.invalidateTags(tags, { mode });
  if (g.json) io.out(toJson({ namespace: g.namespace, invalidated: tags, mode }));
  else
    io.out(
      `invalidated ${tags.length} tag(s) in namespace ${JSON.stringify(g.namespace)}${stale ? ' (stale)' : ''}: ${tags.join(', ')}\n`,
    );
}

/**
 * `tagcache invalidate-entity <type> <id>`: `invalidateEntity(type, id)`.
 *
 * @example
 * ```ts
 * await invalidateEntityCmd(target, globals, io, 'user', '42');
 * ```
 */
export async function invalidateEntityCmd(
  t: Target,
  g: GlobalOptions,
  io: CliIo,
  type: string,
  id: string,
): Promise<void> {
  await invalidateEntity(type, id, { cache: t.cache });
  const tag = entityTag(type, id);
  if (g.json) io.out(toJson({ namespace: g.namespace, invalidated: [tag], mode: 'drop' }));
  else io.out(`invalidated entity ${tag} in namespace ${JSON.stringify(g.namespace)}\n`);
}

/**
 * `tagcache delete <key|pattern...>`: `cache.delete` for keys, `cache.deletePattern` for globs
 * (which want `--yes` on a terminal).
 *
 * @example
 * ```ts
 * await deleteCmd(target, globals, io, ['user:1', 'page:*'], true);
 * ```
 */
export async function deleteCmd(
  t: Target,
  g: GlobalOptions,
  io: CliIo,
  args: string[],
  yes: boolean,
): Promise<void> {
  const patterns = args.filter(isPattern);
  const keys = args.filter((a) => !isPattern(a));
  if (patterns.length > 0) confirmed(io, yes, `delete ${patterns.join(' ')} removes every matching key`);
  let deleted = keys.length === 0 ? 0 : await t.cache.delete(keys);
  for (const p of patterns) deleted += await t.cache.deletePattern(p);
  if (g.json) io.out(toJson({ namespace: g.namespace, deleted, keys, patterns }));
  else
    io.out(
      `deleted ${deleted} entr${deleted === 1 ? 'y' : 'ies'} from namespace ${JSON.stringify(g.namespace)}\n`,
    );
}

/**
 * `tagcache clear`: `cache.clear()`, every entry of the namespace (`--yes` on a terminal).
 *
 * @example
 * ```ts
 * await clearCmd(target, globals, io, true);
 * ```
 */
export async function clearCmd(t: Target, g: GlobalOptions, io: CliIo, yes: boolean): Promise<void> {
  confirmed(io, yes, `clear removes every entry of namespace ${JSON.stringify(g.namespace)}`);
  await t.cache.clear();
  if (g.json) io.out(toJson({ namespace: g.namespace, cleared: true }));
  else io.out(`cleared namespace ${JSON.stringify(g.namespace)} (${t.where})\n`);
}
