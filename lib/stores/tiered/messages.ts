/**
 * Invalidation messages of the coherence bus: `"<era>:<seq>|<origin>|<strict>|<effect JSON>"`
 * (the publish script prepends `<era>:<seq>|`).
 *
 * @packageDocumentation
 */
import type { L1 } from './l1.js';

/**
 * What an invalidation does to a memory tier: drop tags, drop keys, or clear the namespace. A
 * strict tag invalidation comes in two messages: `p` (prepare, before L2 changes: drop the tags'
 * entries and fill none until done) and `d` (done, once L2 is invalidated).
 *
 * @example
 * ```ts
 * const e: Effect = { n: 'app', t: ['user:1'], p: 1 };
 * ```
 */
export interface Effect {
  readonly n: string;
  readonly t?: readonly string[];
  readonly p?: 1;
  readonly d?: 1;
  readonly k?: readonly string[];
  readonly c?: 1;
}

/**
 * A decoded message.
 *
 * @example
 * ```ts
 * const m = parseMessage('e1:12|member-a|1|{"n":"app","t":["user:1"]}');
 * ```
 */
export interface BusMessage {
  readonly era: string;
  readonly seq: number;
  readonly origin: string;
  readonly strict: boolean;
  readonly effect: Effect;
}

/**
 * The body a process publishes (without era and seq).
 *
 * @example
 * ```ts
 * messageBody('member-a', true, { n: 'app', k: ['user:1'] });
 * ```
 */
export function messageBody(origin: string, strict: boolean, effect: Effect): string {
  return `${origin}|${strict ? 1 : 0}|${JSON.stringify(effect)}`;
}

/**
 * Decodes a message; undefined for anything malformed.
 *
 * @example
 * ```ts
 * parseMessage('e1:12|member-a|0|{"n":"app","c":1}')?.effect.c; // 1
 * ```
 */
export function parseMessage(message: string): BusMessage | undefined {
  const a = message.indexOf('|');
  const b = message.indexOf('|', a + 1);
  const c = message.indexOf('|', b + 1);
  if (a < 0 || b < 0 || c < 0) return undefined;
  const head = message.slice(0, a);
  const colon = head.lastIndexOf(':');
  try {
    const effect = JSON.parse(message.slice(c + 1)) as Effect;
    if (typeof effect?.n !== 'string') return undefined;
    return {
      era: head.slice(0, colon),
      seq: Number(head.slice(colon + 1)),
      origin: message.slice(a + 1, b),
      strict: message.slice(b + 1, c) === '1',
      effect,
    };
  } catch {
    return undefined;
  }
}

/**
 * Applies an effect to a memory tier.
 *
 * @example
 * ```ts
 * applyEffect(l1, { n: 'app', t: ['user:1'] }, performance.now());
 * ```
 */
export function applyEffect(l1: L1, e: Effect, now: number): void {
  if (e.c === 1) l1.clearNamespace(e.n);
  else if (e.t !== undefined) {
    if (e.p === 1) l1.prepareTags(e.n, e.t, now);
    else if (e.d === 1) l1.finishTags(e.n, e.t, now);
    else l1.invalidateTags(e.n, e.t, now);
  } else if (e.k !== undefined) l1.deleteKeys(e.n, e.k, now);
}
