/**
 * The optional key-value operations of the tiered store, kept coherent like the basic ones:
 *
 * - read-only ones go to L2 (`scan`, `ping`, `info`); `getMany` answers what it can from the
 *   memory tier and reads the rest with one L2 `getMany`, filling the memory tier with the same
 *   straddle rules as `get`;
 * - mutating ones (`setMany`, `remove`, `expire`) are the L2 call, then the bus broadcast of the
 *   keys they changed (as `set` and `delete`), so no process keeps an older copy in its memory
 *   tier once they resolve (strict coherence).
 *
 * @packageDocumentation
 */
import { derivedOps } from '../storeOps.js';
import type { ManyWrite, ReadResult, Store, StoreHit, WriteEntry } from '../Store.js';
import type { L1, L1Entry } from './l1.js';
import type { Effect } from './messages.js';
import type { TokenInfo, Tokens } from './tokens.js';

/**
 * What the key-value operations need of the tiered store.
 *
 * @example
 * ```ts
 * const ops = tieredKeyValueOps({ l2, l1, tokens, now, serving, begin, hitOf, afterL2, fillWritten, broadcast });
 * ```
 */
export interface TieredParts {
  readonly l2: Store<string>;
  readonly l1: L1;
  readonly tokens: Tokens;
  readonly now: () => number;
  /** Whether the memory tier is served at `t`. */
  serving(t: number): boolean;
  /** Joins the bus (once). */
  begin(): void;
  /** The hit a memory-tier entry answers at `t`. */
  hitOf(e: L1Entry, t: number): StoreHit<string>;
  /** An L2 read's result, with a tiered token, after filling the memory tier if allowed. */
  afterL2(ns: string, key: string, r: ReadResult<string>, since: number, sent: number): ReadResult<string>;
  /** Puts what a conditional write after a miss wrote into the memory tier (unless refused). */
  fillWritten(ns: string, key: string, entry: WriteEntry<string>, info: TokenInfo, sent: number): void;
  /** After a change reached L2: applies it here, publishes it and (strict) waits for the others. */
  broadcast(effect: Effect): Promise<void>;
}

type KeyValueOps = Pick<
  Store<string>,
  'getMany' | 'setMany' | 'remove' | 'expire' | 'scan' | 'ping' | 'info'
>;

function getManyOf(p: TieredParts): NonNullable<Store<string>['getMany']> {
  const { l2, l1 } = p;
  const l2GetMany = l2.getMany?.bind(l2) ?? derivedOps(l2).getMany;
  return (ns, keys) => {
    const t = p.now();
    const out: ReadResult<string>[] = new Array<ReadResult<string>>(keys.length);
    const rest: string[] = [];
    const at: number[] = [];
    const serving = p.serving(t);
    if (!serving) p.begin();
    keys.forEach((key, i) => {
      const e = serving ? l1.read(ns, key, t) : undefined;
      if (e !== undefined) out[i] = p.hitOf(e, t);
      else {
        rest.push(key);
        at.push(i);
      }
    });
    if (rest.length === 0) return out;
    const since = l1.seq();
    return Promise.resolve(l2GetMany(ns, rest)).then((reads) => {
      reads.forEach((r, j) => (out[at[j] as number] = p.afterL2(ns, rest[j] as string, r, since, t)));
      return out;
    });
  };
}

function setManyOf(p: TieredParts): NonNullable<Store<string>['setMany']> {
  const { l2, tokens } = p;
  const l2SetMany = l2.setMany?.bind(l2) ?? derivedOps(l2).setMany;
  return async (ns, items) => {
    p.begin();
    const out = items.map(() => false);
    const infos = items.map((w) => (w.epoch === undefined ? undefined : tokens.lookup(w.epoch)));
    const sent: ManyWrite<string>[] = [];
    const at: number[] = [];
    items.forEach((w, i) => {
      const info = infos[i];
      if (w.epoch !== undefined && info === undefined) return; // unknown token: refused
      sent.push(
        info === undefined ? { key: w.key, entry: w.entry } : { key: w.key, entry: w.entry, epoch: info.l2 },
      );
      at.push(i);
    });
    if (sent.length === 0) return out;
    const started = p.now();
    const written = await l2SetMany(ns, sent);
    const replaced = new Set<string>();
    written.forEach((ok, j) => {
      const i = at[j] as number;
      const w = items[i] as ManyWrite<string>;
      const info = infos[i];
      out[i] = ok;
      if (!ok) return;
      if (info === undefined || info.replacing) replaced.add(w.key);
      else p.fillWritten(ns, w.key, w.entry, info, started);
    });
    if (replaced.size > 0) await p.broadcast({ n: ns, k: [...replaced] });
    return out;
  };
}

/**
 * The key-value operations of a tiered store over `p.l2`: `getMany`, `setMany` and `remove`
 * always (built from L2's basic operations when it lacks them), `expire`, `scan`, `ping` and
 * `info` when L2 has them.
 *
 * @example
 * ```ts
 * const store = Object.freeze({ ...basics, ...tieredKeyValueOps(parts) });
 * ```
 */
export function tieredKeyValueOps(p: TieredParts): KeyValueOps {
  const { l2 } = p;
  const l2Remove = l2.remove?.bind(l2) ?? derivedOps(l2).remove;
  const { expire, scan, ping, info } = l2;
  return {
    getMany: getManyOf(p),
    setMany: setManyOf(p),
    async remove(ns: string, keys: readonly string[]) {
      if (keys.length === 0) return 0;
      p.begin();
      const n = await l2Remove(ns, keys);
      await p.broadcast({ n: ns, k: [...new Set(keys)] });
      return n;
    },
    ...(expire === undefined
      ? {}
      : {
          async expire(ns: string, key: string, ttl: number) {
            p.begin();
            const changed = await expire.call(l2, ns, key, ttl);
            // Unchanged in L2 (absent or invalidated there): every memory copy is as valid as before.
            if (changed) await p.broadcast({ n: ns, k: [key] });
            return changed;
          },
        }),
    ...(scan === undefined ? {} : { scan: (ns: string, pattern: string) => scan.call(l2, ns, pattern) }),
    ...(ping === undefined ? {} : { ping: () => ping.call(l2) }),
    ...(info === undefined ? {} : { info: (ns: string) => info.call(l2, ns) }),
  };
}
