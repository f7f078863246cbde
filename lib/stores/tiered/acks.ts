/**
 * Waiting for acknowledgements: a strict invalidation resolves once every member that the publish
 * script listed has a watermark at or above the invalidation's `seq`, or no live lease any more,
 * and once the bus hash is settled (after a loss of the hash, membership is unknown for one
 * lease). Acknowledgements arrive as messages on the ack channel; a poll of the hash every
 * `lease / 10` catches expired leases and lost acknowledgements.
 *
 * @packageDocumentation
 */
import { StoreError } from '../../errors.js';
import type { Bus } from './bus.js';
import { CHECK } from './busScripts.js';

/**
 * What the publish script answered.
 *
 * @example
 * ```ts
 * const p: Published = { seq: 12, era: 'e1', settleMs: 0, pending: ['member-b'] };
 * ```
 */
export interface Published {
  readonly seq: number;
  readonly era: string;
  readonly settleMs: number;
  readonly pending: readonly string[];
}

/**
 * Decodes the publish script's reply.
 *
 * @example
 * ```ts
 * parsePublished([12, 'e1', 0, 'member-b']); // { seq: 12, era: 'e1', settleMs: 0, pending: ['member-b'] }
 * ```
 */
export function parsePublished(reply: unknown): Published {
  const [seq, era, settle, ...pending] = reply as [number, string, number, ...string[]];
  return { seq: Number(seq), era: String(era), settleMs: Number(settle), pending };
}

/**
 * The waiting invalidations of one process.
 *
 * @example
 * ```ts
 * const waiters = createWaiters(bus, 2000, () => performance.now());
 * await waiters.wait(parsePublished(reply));
 * ```
 */
export interface Waiters {
  wait(p: Published): Promise<void>;
  /** An acknowledgement message: `"<id> <watermark> <era>"`. */
  onAck(message: string): void;
  close(): void;
}

interface Waiting {
  readonly seq: number;
  readonly era: string;
  readonly pending: Set<string>;
  settleUntil: number;
  readonly deadline: number;
  readonly done: (error?: Error) => void;
}

/**
 * Creates the waiters of one tiered store.
 *
 * @example
 * ```ts
 * const waiters = createWaiters(bus, 2000, () => performance.now());
 * ```
 */
export function createWaiters(bus: Bus, lease: number, now: () => number): Waiters {
  const waiting = new Set<Waiting>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let polling = false;
  const pollMs = Math.max(10, Math.min(100, lease / 10));

  const settle = (w: Waiting): void => {
    const t = now();
    if (w.pending.size === 0 && t >= w.settleUntil) {
      waiting.delete(w);
      w.done();
    } else if (t > w.deadline) {
      waiting.delete(w);
      w.done(
        new StoreError(
          'ERR_STORE_TIMEOUT',
          `tiered store: ${w.pending.size} process(es) did not acknowledge invalidation ${w.seq}`,
        ),
      );
    }
    if (waiting.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  const check = async (w: Waiting): Promise<void> => {
    const reply = (await bus.run(CHECK, [String(w.seq), w.era, ...w.pending])) as [
      string,
      number,
      ...string[],
    ];
    const [state, settleMs, ...still] = reply;
    const t = now();
    if (state === 'lost') {
      w.pending.clear();
      w.settleUntil = Math.max(w.settleUntil, t + lease);
    } else {
      for (const id of [...w.pending]) if (!still.includes(id)) w.pending.delete(id);
      w.settleUntil = Math.max(w.settleUntil, t + Number(settleMs));
    }
  };

  const poll = (): void => {
    if (polling) return;
    polling = true;
    void Promise.all([...waiting].map((w) => check(w).catch(() => undefined))).finally(() => {
      polling = false;
      for (const w of [...waiting]) settle(w);
    });
  };

  return Object.freeze({
    wait(p: Published): Promise<void> {
      const t = now();
      if (p.pending.length === 0 && p.settleMs <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const w: Waiting = {
          seq: p.seq,
          era: p.era,
          pending: new Set(p.pending),
          settleUntil: t + p.settleMs,
          deadline: t + 2 * lease + 1000,
          done: (error) => (error ? reject(error) : resolve()),
        };
        waiting.add(w);
        if (timer === undefined) {
          timer = setInterval(poll, pollMs);
          timer.unref();
        }
      });
    },
    onAck(message: string) {
      const [id, mark, era] = message.split(' ');
      if (id === undefined || waiting.size === 0) return;
      const seq = Number(mark);
      for (const w of [...waiting]) {
        if (w.era === era && seq >= w.seq && w.pending.delete(id)) settle(w);
      }
    },
    close() {
      clearInterval(timer);
      for (const w of [...waiting]) w.done(new StoreError('ERR_STORE', 'The tiered store is closed'));
      waiting.clear();
    },
  });
}
