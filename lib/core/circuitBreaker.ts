/** The states of a circuit breaker. */
export type CircuitState = 'open' | 'half-open' | 'closed';

/** Circuit breaker settings (`createCache({ breaker })`, durations in ms here). */
export interface BreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  readonly failures?: number;
  /** Time the circuit stays open before one probe is let through. Default 5 s. */
  readonly resetAfter?: number;
}

/**
 * A circuit breaker: `closed` lets every operation through and counts consecutive failures;
 * `failures` of them open it; `open` lets nothing through until `resetAfter` has passed, then
 * `half-open` lets one probe through: its success closes the circuit, its failure reopens it.
 */
export interface CircuitBreaker {
  /** Whether an operation may go to the store now (in `half-open`, only the first one). */
  admit(): boolean;
  /** An admitted operation succeeded. Cheap when nothing failed since the last success. */
  success(): void;
  /** An admitted operation failed. */
  failure(): void;
  state(): CircuitState;
}

/** A breaker that never opens (`breaker: false`). */
const ALWAYS_CLOSED: CircuitBreaker = Object.freeze({
  admit: () => true,
  success: () => undefined,
  failure: () => undefined,
  state: () => 'closed' as const,
});

/** Creates a breaker; `onChange` hears every state transition. `now` is the clock. */
export function createCircuitBreaker(
  options: Required<BreakerOptions> | false,
  now: () => number,
  onChange: (state: CircuitState) => void,
): CircuitBreaker {
  if (options === false) return ALWAYS_CLOSED;
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;
  const moveTo = (next: CircuitState): void => {
    if (state === next) return;
    state = next;
    onChange(next);
  };
  return Object.freeze({
    admit(): boolean {
      if (state === 'closed') return true;
      if (state === 'open' && now() - openedAt >= options.resetAfter) moveTo('half-open');
      if (state !== 'half-open' || probing) return false;
      probing = true;
      return true;
    },
    success(): void {
      if (failures === 0 && state === 'closed') return;
      failures = 0;
      probing = false;
      moveTo('closed');
    },
    failure(): void {
      probing = false;
      failures += 1;
      if (state !== 'half-open' && failures < options.failures) return;
      openedAt = now();
      moveTo('open');
    },
    state: () => state,
  });
}
