/**
 * Runs Lua scripts by SHA1 (`EVALSHA`), falling back to `EVAL` (which also caches the script on
 * the server) when a node answers `NOSCRIPT`: after a restart, a failover or `SCRIPT FLUSH`.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { StoreError } from '../../errors.js';
import type { RedisLink } from './link.js';

/**
 * A Lua script and its SHA1.
 *
 * @example
 * ```ts
 * const ping = luaScript('ping', "return 'PONG'");
 * ```
 */
export interface LuaScript {
  readonly name: string;
  readonly src: string;
  readonly sha: string;
}

/**
 * Wraps a script source with its SHA1.
 *
 * @example
 * ```ts
 * const s = luaScript('get', GET_LUA);
 * s.sha; // 40 hex digits
 * ```
 */
export function luaScript(name: string, src: string): LuaScript {
  return Object.freeze({ name, src, sha: createHash('sha1').update(src).digest('hex') });
}

const isNoScript = (e: unknown): boolean => e instanceof Error && e.message.startsWith('NOSCRIPT');

/**
 * Wraps a failure of operation `what` as a `StoreError` (kept as is if it already is one).
 *
 * @example
 * ```ts
 * link.send(key, args).catch((e) => { throw wrapError('get', e); });
 * ```
 */
export const wrapError = (what: string, e: unknown): StoreError =>
  e instanceof StoreError
    ? e
    : new StoreError('ERR_STORE', `Redis ${what} failed: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });

/**
 * Runs `script` with one key (which routes it on a cluster) and `args`, and decodes the reply with
 * `parse`: one `EVALSHA`, or an `EVAL` more after `NOSCRIPT`. Errors come out as `StoreError`.
 *
 * @example
 * ```ts
 * const read = await runScript(link, GET, 'tc:{app|0}:k:user:1', ['tc:{app|0}:'], parseRead);
 * ```
 */
export function runScript<T = unknown>(
  link: RedisLink,
  script: LuaScript,
  key: string,
  args: readonly string[],
  parse: (reply: unknown) => T = (r) => r as T,
): Promise<T> {
  const command = ['EVALSHA', script.sha, '1', key];
  for (const a of args) command.push(a);
  return link.send(key, command).then(parse, (e: unknown) => {
    if (!isNoScript(e)) throw wrapError(script.name, e);
    command[0] = 'EVAL';
    command[1] = script.src;
    return link.send(key, command).then(parse, (e2: unknown) => {
      throw wrapError(script.name, e2);
    });
  });
}
