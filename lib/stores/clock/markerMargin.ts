/**
 * How long invalidation markers outlive the longest entry life seen, shared by every store.
 *
 * @packageDocumentation
 */

/**
 * Extra life given to invalidation markers beyond the longest `ttl + grace` written, covering
 * computations that run long: 10 minutes. A write that started before a forgotten marker is
 * still refused (the clock's floor), so the margin only bounds bookkeeping, never correctness.
 */
export const MARKER_MARGIN_MS = 10 * 60_000;
