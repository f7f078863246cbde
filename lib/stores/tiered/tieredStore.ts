/**
 * The tiered store: a bounded memory tier (L1) in front of a Redis or Redis Cluster store (L2),
 * coherent across processes through a bus on the same Redis. See docs/tiered.md for the design
 * and its guarantee.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type {
  Epoch,
  FreshEntry,
  InvalidationMode,
  ReadResult,
  Store,
  StoreHit,
  StoreLock,
  WriteEntry,
} from '../Store.js';
import { createWaiters, parsePublished } from './acks.js';
import { createBus } from './bus.js';
import { PUBLISH } from './busScripts.js';
import { createL1, type L1Entry } from './l1.js';
import { createMember } from './lease.js';
import { applyEffect, messageBody, parseMessage, type Effect } from './messages.js';
import { resolveTieredOptions, type TieredStoreOptions } from './options.js';
import { tieredKeyValueOps } from './keyValue.js';
import { createTokens, type TokenInfo } from './tokens.js';

export type { TieredStoreOptions, TieredBusConnection } from './options.js';

/**
 * The tiered store, with a look at its memory tier.
 *
 * @example
 * ```ts
 * const url = 'redis://localhost:6379';
 * const store: TieredStore = tieredStore({ l2: redisStore({ url }), bus: { url } });
 * store.inspect(); // { entries: 0, markers: 0, pending: 0, serving: false, leaseLeft: 0 }
 * ```
 */
export interface TieredStore extends Store<string> {
  get(ns: string, key: string): ReadResult<string> | Promise<ReadResult<string>>;
  /** As {@link Store.freshEntry}: the memory tier's entry, when it is served now and the entry is fresh. */
  freshEntry(ns: string, key: string): FreshEntry<string> | undefined;
  set(ns: string, key: string, entry: WriteEntry<string>, epoch?: Epoch): Promise<boolean>;
  delete(ns: string, keys: readonly string[]): Promise<void>;
  invalidate(ns: string, tags: readonly string[], mode: InvalidationMode): Promise<void>;
  clear(ns: string): Promise<void>;
  /** Connects L2 and the bus's command link now and joins the bus; rejects with the real cause. */
  ready(): Promise<void>;
  /**
   * Entries and markers of the memory tier, tags kept out of it by strict invalidations under way
   * (`pending`), whether it is served now, and for how many more ms it will be without a
   * successful lease renewal.
   */
  inspect(): { entries: number; markers: number; pending: number; serving: boolean; leaseLeft: number };
}

/**
 * A store with a memory tier in front of `l2` (a Redis or Redis Cluster store), kept coherent
 * across processes. A hit of the memory tier costs no Redis command. In `strict` coherence (the
 * default), once `invalidate`, `delete`, `clear` or an unconditional `set` resolves in any
 * process, no process serves the affected entries from its memory tier; a process that cannot
 * renew its lease stops serving its memory tier before that lease ends. Locks, stale states and
 * everything but fresh hits are L2's. Closing the tiered store closes `l2`.
 *
 * @example
 * ```ts
 * import { createCache } from 'tagcache';
 * import { redisStore, tieredStore } from 'tagcache/redis';
 * const url = process.env.REDIS_URL ?? 'redis://localhost:6379';
 * const store = tieredStore({ l2: redisStore({ url }), bus: { url }, l1: { maxEntries: 50_000 } });
 * const cache = createCache({ store, timeout: '3s' });
 * ```
 */
export function tieredStore(options: TieredStoreOptions): TieredStore {
  const settings = resolveTieredOptions(options);
  const { l2 } = options;
  const { lease, onError } = settings;
  const now = (): number => performance.now();
  const l1 = createL1(settings);
  const bus = createBus(options.bus, settings.prefix, onError);
  const member = createMember({ bus, l1, lease, now, onError });
  const waiters = createWaiters(bus, lease, now);
  const tokens = createTokens();
  const strict = settings.coherence === 'strict';
  let started = false;
  let closed = false;

  const onMessage = (channel: string, message: string): void => {
    if (channel === bus.ackChannel) return waiters.onAck(message);
    const m = parseMessage(message);
    if (m === undefined) return;
    if (m.origin !== member.id) applyEffect(l1, m.effect, now());
    member.applied(m.era, m.seq, m.strict);
  };
  /**
   * The subscription is back, so Redis answers again: renew, and reconnect L2 now rather than
   * when its link's fail-fast second after the last failed attempt ends (calls made meanwhile
   * wait for this attempt instead of failing open).
   */
  const onBusUp = (): void => {
    member.busUp();
    l2.ready?.().catch((e: unknown) => onError(e instanceof Error ? e : new Error(String(e))));
  };
  const begin = (): void => {
    if (started || closed) return;
    started = true;
    bus.listen({ message: onMessage, up: onBusUp, down: () => member.busDown() });
    member.start();
  };

  /** Applies `effect` here and publishes it; `wait`: until every live member applied it too. */
  const publish = async (effect: Effect, wait: boolean): Promise<void> => {
    applyEffect(l1, effect, now());
    begin();
    const args = [
      bus.invChannel,
      messageBody(member.id, wait, effect),
      member.id,
      String(Math.ceil(lease)),
      randomUUID(),
    ];
    const published = parsePublished(await bus.run(PUBLISH, args));
    if (wait) await waiters.wait(published);
  };
  /** After a change reached L2: apply it here, publish it, and (strict) wait for the others. */
  const broadcast = (effect: Effect): Promise<void> => publish(effect, strict);

  /**
   * A strict tag invalidation in two phases, each acknowledged by every live member: `prepare`
   * (drop the tags' entries and fill none of them) BEFORE L2 changes, then the L2 invalidation,
   * then `done` (fills resume; anything filled from a read that started before is refused, which
   * also covers a member that joined in between). So no computation anywhere can combine a
   * memory-tier hit older than the L2 invalidation with an L2 epoch newer than it (L2 would accept
   * its write). L2 is invalidated even when `prepare` failed; the first error is rethrown.
   */
  const invalidateStrict = async (
    ns: string,
    tags: readonly string[],
    mode: InvalidationMode,
  ): Promise<void> => {
    let failure: { error: unknown } | undefined;
    const keep = (error: unknown): void => void (failure ??= { error });
    await publish({ n: ns, t: [...tags], p: 1 }, true).catch(keep);
    try {
      await l2.invalidate(ns, tags, mode);
    } finally {
      await publish({ n: ns, t: [...tags], d: 1 }, true).catch(keep);
    }
    if (failure !== undefined) throw failure.error;
  };

  /**
   * The hit of L1 entry `e` at local time `t`. Everything that decides whether `e` may be served
   * (the lease, checked against the clock reading `t`; the entry's freshness and its markers) has
   * been checked by the caller on this very hit, so the record only has to say the right things
   * about a servable entry, and one record per entry is kept and handed out again (building a
   * new one was most of the cost of `get` on an L1 hit): its fields but two are the entry's own,
   * immutable ones; its `epoch`, the token of the current local `seq`, is only valid while `seq`
   * is unchanged, so the record is built anew (a new object: holders of the old one keep their
   * epoch) after any invalidation, deletion, clear or flush applied here; and its `ttl` is set
   * afresh to the freshness left at `t` (a holder of the record from an earlier hit of the entry
   * then reads the newer, smaller figure; nothing holds a hit across another read and relies on
   * its `ttl` not moving: core reads a hit's fields at once and never writes them).
   */
  const hitOf = (e: L1Entry, t: number): StoreHit<string> => {
    const seq = l1.seq();
    let h = e.hit;
    if (h === undefined || e.hitSeq !== seq) {
      h = {
        hit: true,
        payload: e.payload,
        tags: e.tags,
        createdAt: e.createdAt,
        ttl: e.freshUntil - t,
        state: 'fresh',
        error: e.error,
        epoch: tokens.token(true, seq, e.l2Epoch),
        slot: e,
      };
      e.hit = h;
      e.hitSeq = seq;
    } else h.ttl = e.freshUntil - t;
    return h;
  };

  const afterL2 = (
    ns: string,
    key: string,
    r: ReadResult<string>,
    since: number,
    sent: number,
  ): ReadResult<string> => {
    if (!r.hit) return { hit: false, epoch: tokens.token(false, since, r.epoch) };
    const t = now();
    if (r.state === 'fresh' && r.ttl > 0 && typeof r.payload === 'string' && member.serving(t)) {
      const { payload, tags, createdAt, error } = r;
      l1.fill(
        ns,
        key,
        { payload, tags, createdAt, error, freshUntil: sent + r.ttl, l2Epoch: r.epoch },
        since,
        t,
      );
    }
    return { ...r, epoch: tokens.token(true, since, r.epoch) };
  };

  /**
   * One clock reading per call serves the lease check, the entry's freshness and the hit's `ttl`.
   * The lease is checked against it on every hit, not through a flag that a timer clears: a timer
   * runs late when the event loop is blocked, and a process blocked past its lease must not serve
   * its memory tier when it resumes (another process's strict invalidation stopped waiting for it).
   */
  const get = (ns: string, key: string): ReadResult<string> | Promise<ReadResult<string>> => {
    const t = now();
    if (member.serving(t)) {
      const e = l1.read(ns, key, t);
      if (e !== undefined) return hitOf(e, t);
    } else begin();
    const since = l1.seq();
    return Promise.resolve(l2.get(ns, key)).then((r) => afterL2(ns, key, r, since, t));
  };

  /**
   * The plain hit's shortcut: what `get` serves from the memory tier (the same lease check against
   * one clock reading, the same freshness and marker checks in `l1.read`), as the entry itself;
   * undefined sends the cache to `get`, which also rejoins when the tier is not served.
   */
  const freshEntry = (ns: string, key: string): L1Entry | undefined => {
    const t = now();
    return member.serving(t) ? l1.read(ns, key, t) : undefined;
  };

  /** A conditional write after a miss also goes into the memory tier (no other tier can hold the key). */
  const fillWritten = (
    ns: string,
    key: string,
    entry: WriteEntry<string>,
    info: TokenInfo,
    sent: number,
  ): void => {
    const t = now();
    if (!member.serving(t) || typeof entry.payload !== 'string') return;
    const { payload, tags, createdAt, error } = entry;
    const fill = { payload, tags, createdAt, error, freshUntil: sent + entry.ttl, l2Epoch: info.l2 };
    l1.fill(ns, key, fill, info.seq, t);
  };

  const set = async (ns: string, key: string, entry: WriteEntry<string>, epoch?: Epoch): Promise<boolean> => {
    begin();
    if (epoch === undefined) {
      const written = await l2.set(ns, key, entry);
      if (written) await broadcast({ n: ns, k: [key] });
      return written;
    }
    const info = tokens.lookup(epoch);
    if (info === undefined) return false;
    const sent = now();
    if (!(await l2.set(ns, key, entry, info.l2))) return false;
    if (info.replacing) await broadcast({ n: ns, k: [key] });
    else fillWritten(ns, key, entry, info, sent);
    return true;
  };

  const lock = l2.lock?.bind(l2);
  return Object.freeze({
    kind: 'tiered',
    holdsValues: false,
    get,
    freshEntry,
    set,
    async delete(ns: string, keys: readonly string[]) {
      if (keys.length === 0) return;
      await l2.delete(ns, keys);
      await broadcast({ n: ns, k: [...keys] });
    },
    async invalidate(ns: string, tags: readonly string[], mode: InvalidationMode) {
      if (tags.length === 0) return;
      if (strict) return invalidateStrict(ns, tags, mode);
      await l2.invalidate(ns, tags, mode);
      await broadcast({ n: ns, t: [...tags] });
    },
    async clear(ns: string) {
      await l2.clear(ns);
      await broadcast({ n: ns, c: 1 });
    },
    ...(lock === undefined
      ? {}
      : {
          lock: (ns: string, key: string, ttl: number): Promise<StoreLock | undefined> =>
            Promise.resolve(lock(ns, key, ttl)),
        }),
    ...(l2.ownsClient === undefined ? {} : { ownsClient: l2.ownsClient }),
    async ready() {
      begin();
      await Promise.all([l2.ready?.(), bus.ready()]);
    },
    ...tieredKeyValueOps({
      l2,
      l1,
      tokens,
      now,
      serving: member.serving,
      begin,
      hitOf,
      afterL2,
      fillWritten,
      broadcast,
    }),
    inspect: () => {
      const t = now();
      return { ...l1.inspect(), serving: member.serving(t), leaseLeft: member.validFor(t) };
    },
    async close() {
      if (closed) return;
      closed = true;
      waiters.close();
      await member.close();
      await bus.close();
      await l2.close();
    },
  });
}
