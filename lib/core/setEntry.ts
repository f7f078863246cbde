import { openCall } from './call.js';
import { writeEntry } from './compute.js';
import { policyTtl } from './entryRules.js';
import type { Policy } from './policy.js';
import type { CacheStats } from './types.js';

/** `cached.set`: writes `value` as the entry for `args`, with the tags and TTL the policy gives it. */
export async function setEntry<A extends unknown[], R>(
  policy: Policy<A, R>,
  stats: CacheStats,
  value: R,
  args: A,
): Promise<void> {
  const call = openCall(policy, stats, args);
  if (call === undefined) return;
  const tags = new Set(policy.argTags(args));
  if (policy.valueTags !== undefined) for (const t of policy.valueTags(value, args)) tags.add(t);
  const ttl = policyTtl(policy, call.runtime, value);
  if (ttl > 0) await writeEntry(call, value, false, [...tags], ttl, undefined);
}
