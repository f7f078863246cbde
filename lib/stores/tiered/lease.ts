/**
 * Membership of one process in the coherence bus: its lease, its watermark, and when its memory
 * tier may be served.
 *
 * - The process renews its lease every `lease / 3` (one script: lease end on the server's clock,
 *   watermark, current `seq` and `era`). It serves its memory tier only while
 *   `now < (time it SENT its last renewal) + lease − margin` on its own monotonic clock, so its
 *   local validity ends before the server ends the lease. No clocks of two machines are compared.
 * - The watermark is the highest `seq` such that every invalidation up to it has been applied
 *   here; it is written to Redis (batched) and, for strict invalidations, published.
 * - The memory tier is flushed, and the watermark set to the `seq` the renewal read, when the
 *   renewal reveals that the lease was not continuous (expired, `FLUSHALL`, restart, eviction),
 *   when the subscription was lost since the last renewal, or when messages up to the `seq` read
 *   one renewal earlier still have not all arrived (a lost message). The flush happens after the
 *   reply: every invalidation up to that `seq` reached L2 before the renewal ran, so what the
 *   tier is refilled with afterwards is newer than all of them.
 * - Renewals stop while the subscription is down: the lease then runs out, and strict
 *   invalidations stop waiting for this process.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import type { Bus } from './bus.js';
import { ACK, LEAVE, RENEW } from './busScripts.js';
import type { L1 } from './l1.js';

/**
 * One process's membership.
 *
 * @example
 * ```ts
 * const member = createMember({ bus, l1, lease: 2000, now: () => performance.now(), onError });
 * member.start();
 * if (member.serving(performance.now())) { … }
 * ```
 */
export interface Member {
  readonly id: string;
  /** Whether the memory tier may be served (and filled) at local time `now`. */
  serving(now: number): boolean;
  /** Ms of local validity left at `now` (0 when not serving). */
  validFor(now: number): number;
  /** Joins the bus (once). */
  start(): void;
  /** The era this process last saw (undefined before its first renewal). */
  era(): string | undefined;
  /** A bus message of `era` with `seq` was applied here; `strict` ones are acknowledged by publish. */
  applied(era: string, seq: number, strict: boolean): void;
  busUp(): void;
  busDown(): void;
  /** Renews now (tests, and after the bus comes back). */
  renew(): Promise<void>;
  close(): Promise<void>;
}

/** Dependencies of {@link createMember}. */
export interface MemberDeps {
  readonly bus: Bus;
  readonly l1: L1;
  readonly lease: number;
  readonly now: () => number;
  readonly onError: (e: Error) => void;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * Creates the membership of this process (inactive until `start`).
 *
 * @example
 * ```ts
 * const member = createMember({ bus, l1, lease: 2000, now: () => performance.now(), onError: () => {} });
 * ```
 */
export function createMember(deps: MemberDeps): Member {
  const { bus, l1, lease, now } = deps;
  const id = randomUUID();
  const margin = Math.max(50, lease / 10);
  let started = false;
  let closed = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let validUntil = -Infinity;
  let busOk = false;
  let busGen = 0;
  let syncedGen = -1;
  let knownEra: string | undefined;
  let watermark = 0;
  const above = new Set<number>();
  let seqAtLastRenewal = 0;
  let renewing: Promise<void> | undefined;
  let ackScheduled = false;
  let ackPublish = false;
  let ackedWatermark = -1;

  const sendAck = (): void => {
    ackScheduled = false;
    if (closed || knownEra === undefined) return;
    const publish = ackPublish;
    ackPublish = false;
    if (!publish && watermark <= ackedWatermark) return;
    const w = watermark;
    bus.run(ACK, [id, String(w), bus.ackChannel, publish ? '1' : '0']).then(
      () => (ackedWatermark = Math.max(ackedWatermark, w)),
      (e: unknown) => deps.onError(asError(e)),
    );
  };
  const scheduleAck = (): void => {
    if (ackScheduled) return;
    ackScheduled = true;
    setImmediate(sendAck);
  };

  /** Empties the memory tier; every invalidation up to `seq` is then covered. */
  const resync = (seq: number, era: string): void => {
    l1.flush();
    if (era !== knownEra) above.clear();
    knownEra = era;
    watermark = seq;
    for (const s of above) if (s <= seq) above.delete(s);
    while (above.delete(watermark + 1)) watermark += 1;
    ackPublish = true;
    scheduleAck();
  };

  const onRenewed = (sent: number, gen: number, reply: unknown): void => {
    const [continuous, seqText, era] = reply as [number, string, string];
    const seq = Number(seqText);
    const lagging = watermark < seqAtLastRenewal;
    if (continuous !== 1 || era !== knownEra || gen !== syncedGen || lagging) resync(seq, era);
    seqAtLastRenewal = seq;
    if (gen !== busGen || !busOk) return;
    syncedGen = gen;
    validUntil = sent + lease - margin;
  };

  const renew = (): Promise<void> => {
    if (closed || !busOk) return Promise.resolve();
    if (renewing) return renewing;
    const sent = now();
    const gen = busGen;
    renewing = bus
      .run(RENEW, [id, String(watermark), String(Math.ceil(lease)), randomUUID()])
      .then(
        (reply) => onRenewed(sent, gen, reply),
        (e: unknown) => deps.onError(asError(e)),
      )
      .finally(() => (renewing = undefined));
    return renewing;
  };

  const serving = (t: number): boolean => busOk && t < validUntil && syncedGen === busGen;
  return Object.freeze({
    id,
    serving,
    validFor: (t: number) => (serving(t) ? validUntil - t : 0),
    start() {
      if (started || closed) return;
      started = true;
      timer = setInterval(() => {
        l1.prune(now());
        void renew();
      }, lease / 3);
      timer.unref();
    },
    era: () => knownEra,
    applied(era: string, seq: number, strict: boolean) {
      if (strict) ackPublish = true;
      if (era === knownEra && seq > watermark) {
        if (seq === watermark + 1) {
          watermark = seq;
          while (above.delete(watermark + 1)) watermark += 1;
        } else if (above.size < 100_000) above.add(seq);
      }
      scheduleAck();
    },
    busUp() {
      busOk = true;
      void renew();
    },
    busDown() {
      busOk = false;
      busGen += 1;
      l1.flush();
    },
    renew,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      if (started && knownEra !== undefined) await bus.run(LEAVE, [id]).catch(() => undefined);
    },
  });
}
